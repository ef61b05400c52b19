"""The case page and inbox over HTTP: visibility, steps, 403 / 409 / 422, NIK masking and reveal."""
import re

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.casework.models import Case
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import make_case, tenant


def _case_id_from_builder():
    return {"case_id": make_case("bekasi").id}


CROSS_TENANT = {
    "cases.show": ("GET", _case_id_from_builder),
    "cases.step": ("POST", lambda: {**_case_id_from_builder(), "key": "forward_to_back_office"}),
    "cases.reveal_nik": ("POST", _case_id_from_builder),
}


def new_case(app, slug, **kw):
    with app.app_context(), tenant_context(tenant(slug)):
        case = make_case(slug, **kw)
        db.session.commit()
        return case.id, case.ticket, case.version, case.citizen.nik


def current(app, slug, case_id):
    with app.app_context(), tenant_context(tenant(slug)):
        return db.session.get(Case, (tenant(slug).id, case_id))


def test_inbox_shows_cases_waiting_for_my_role(app, staff):
    _id, ticket, *_ = new_case(app, "cianjur")
    assert ticket in staff("intake_officer", "cianjur").get("/cases/").get_data(as_text=True)
    assert ticket not in staff("supervisor", "cianjur").get("/cases/").get_data(as_text=True)


def test_inbox_search_returns_the_list_fragment_for_htmx(app, staff):
    _id, ticket, *_ = new_case(app, "cianjur")
    response = staff("intake_officer", "cianjur").get(
        f"/cases/?q={ticket}", headers={"HX-Request": "true", "HX-Target": "case-list"})
    page = response.get_data(as_text=True)
    assert ticket in page and "<html" not in page


def test_case_page_shows_timeline_article_and_masked_nik(app, staff):
    case_id, ticket, _v, nik = new_case(app, "cianjur")
    page = staff("intake_officer", "cianjur").get(f"/cases/{case_id}").get_data(as_text=True)
    assert ticket in page and "Riwayat" in page
    assert nik not in page and nik[:6] + "••••••" + nik[-4:] in page
    assert re.search(r'Dasar: <span class="citation"><span class="citation-text">Pasal \d+', page)  # its article


def test_only_my_steps_are_offered(app, staff):
    case_id, *_ = new_case(app, "cianjur")
    page = staff("case_officer", "cianjur").get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Langkah yang dapat Anda ambil" in page and "forward_to_back_office" not in page


def test_step_by_wrong_role_is_403(app, staff):
    case_id, _t, version, _n = new_case(app, "payakumbuh")
    response = staff("case_officer", "payakumbuh").post(
        f"/cases/{case_id}/steps/forward_to_back_office",
        data={"forward_to_back_office-version": version})
    assert response.status_code == 403


def test_step_moves_the_case_and_records_it(app, staff):
    case_id, _t, version, _n = new_case(app, "payakumbuh")
    response = staff("intake_officer", "payakumbuh").post(
        f"/cases/{case_id}/steps/forward_to_back_office", data={"forward_to_back_office-version": version})
    assert response.status_code == 302
    assert current(app, "payakumbuh", case_id).state == "analysis"


def test_stale_form_gets_409_with_current_state(app, staff):
    case_id, _t, version, _n = new_case(app, "bekasi")
    first, second = staff("intake_officer", "bekasi"), staff("intake_officer", "bekasi")
    data = {"forward_to_back_office-version": version}
    assert first.post(f"/cases/{case_id}/steps/forward_to_back_office", data=data).status_code == 302
    response = second.post(f"/cases/{case_id}/steps/forward_to_back_office", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "baru saja diubah oleh petugas lain" in page
    assert current(app, "bekasi", case_id).version == version + 1


def test_missing_reason_is_422_at_the_field(app, staff):
    case_id, _t, version, _n = new_case(app, "cianjur", channel="home_visit")
    response = staff("supervisor", "cianjur").post(
        f"/cases/{case_id}/steps/return_field_record", data={"return_field_record-version": version})
    assert response.status_code == 422
    assert "Alasan pengembalian wajib diisi." in response.get_data(as_text=True)
    assert current(app, "cianjur", case_id).state == "field_review"


def test_reveal_nik_is_logged_and_forbidden_to_others(app, staff):
    # Routed to the education section, where the first demo case officer of Bekasi works.
    case_id, _t, _v, nik = new_case(app, "bekasi", service_area="pendidikan")
    response = staff("case_officer", "bekasi").post(f"/cases/{case_id}/reveal-nik")
    assert nik in response.get_data(as_text=True)
    with app.app_context(), tenant_context(tenant("bekasi")):
        logged = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "citizen.reveal_nik",
                                                            AuditEvent.actor == "case_officer@bekasi.demo"))
        assert logged is not None and logged.ip
    assert staff("monitoring_officer", "bekasi").post(f"/cases/{case_id}/reveal-nik").status_code == 403
