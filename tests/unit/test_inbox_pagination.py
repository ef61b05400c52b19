"""The inbox paginates and keeps its filters in the page links."""
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import make_case, tenant


def test_inbox_paginates_with_filters_kept(app, staff):
    with app.app_context(), tenant_context(tenant("batubara")):
        for _ in range(22):
            make_case("batubara", service_area="sosial")
        db.session.commit()
    client = staff("intake_officer", "batubara")
    page = client.get("/cases/?service_area=sosial").get_data(as_text=True)
    assert "Halaman 1 dari" in page and "service_area=sosial" in page and "page=2" in page
    page2 = client.get("/cases/?service_area=sosial&page=2").get_data(as_text=True)
    assert "Halaman 2 dari" in page2 and "page=1" in page2
