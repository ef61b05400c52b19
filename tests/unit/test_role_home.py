"""Every role's home page shows its own work, not two counters that don't concern it."""
from datetime import timedelta

from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.factories import make_case, tenant

SLUG = "palembang"


def _home(staff, role):
    return staff(role, SLUG).get("/home").get_data(as_text=True)


def test_patron_sees_the_regions_figures_not_a_personal_inbox(staff):
    page = _home(staff, "patron")
    assert 'id="region-figures"' in page
    assert "kasus menunggu tindakan Anda" not in page


def test_unit_head_sees_the_regions_figures(staff):
    page = _home(staff, "unit_head")
    assert 'id="region-figures"' in page and "Terbuka saat ini" in page


def test_supervisor_sees_approvals_waiting_by_district(app, staff):
    with app.app_context(), tenant_context(tenant(SLUG)):
        case = make_case(SLUG, channel="home_visit")  # Palembang: a field record waits for the supervisor
        db.session.commit()
        district = case.district_code
    page = _home(staff, "supervisor")
    assert 'id="approvals-by-district"' in page
    assert f'data-district="{district}"' in page
    assert 'id="region-figures"' not in page


def test_facilitator_sees_their_villages_cases(app, staff):
    with app.app_context(), tenant_context(tenant(SLUG)):
        case = make_case(SLUG, channel="home_visit")
        case.due_at = utcnow() - timedelta(days=365)  # the most urgent: listed first whatever else is open there
        db.session.commit()
        village, ticket = case.village_code, case.ticket
    page = _home(staff, "facilitator")
    assert 'id="my-villages"' in page
    assert f'data-village="{village}"' in page and ticket in page
    assert 'id="region-figures"' not in page


def test_front_office_sees_its_own_work(staff):
    page = _home(staff, "intake_officer")
    assert 'id="my-work"' in page and "kasus menunggu tindakan Anda" in page
    assert 'id="region-figures"' not in page and 'id="approvals-by-district"' not in page
