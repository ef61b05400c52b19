"""Complaints by a group or community (Palembang Pasal 4): a case names a group and its contact person."""
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.casework.models import Case
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import make_case, tenant, village_of

SLUG = "palembang"


def _in_region(app, fn):
    with app.app_context(), tenant_context(tenant(SLUG)):
        result = fn()
        db.session.commit()
        return result


def _payload(app, **over) -> dict:
    village = _in_region(app, lambda: village_of(SLUG).code)
    return {"intake_token": uuid.uuid4().hex, "group_name": f"Paguyuban Warga Lorong {uuid.uuid4().hex[:6]}",
            "group_kind": "community", "contact_name": "Bu Sari Ketua RT", "contact_phone": "0812-7777-4321",
            "member_count": "34", "address": "Lorong Bersama RT 05", "village_code": village,
            "service_area": "pelayanan_dasar_lainnya", "channel": "walk_in",
            "complaint": "Air bersih tidak mengalir ke 34 rumah sejak tiga bulan."} | over


def _post(app, staff, **over):
    data = _payload(app, **over)
    return data, staff("intake_officer", SLUG).post("/intake/group", data=data)


def test_the_intake_offers_person_or_group(staff):
    html = staff("intake_officer", SLUG).get("/intake/").get_data(as_text=True)
    assert "Perorangan" in html and 'href="/intake/group"' in html
    group = staff("intake_officer", SLUG).get("/intake/group").get_data(as_text=True)
    for name in ("group_name", "group_kind", "contact_name", "contact_phone", "member_count"):
        assert f'name="{name}"' in group, name
    assert 'name="nik"' not in group


def test_a_group_complaint_opens_a_case_without_a_citizen(app, staff):
    data, response = _post(app, staff)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    case = _in_region(app, lambda: db.session.execute(
        select(Case.citizen_id, Case.group_name, Case.group_members, Case.group_contact_phone)
        .where(Case.intake_token == data["intake_token"])).one()._asdict())
    assert case["citizen_id"] is None and case["group_name"] == data["group_name"]
    assert case["group_members"] == 34 and case["group_contact_phone"] == "081277774321"
    receipt = staff("intake_officer", SLUG).get(response.headers["Location"])
    assert receipt.status_code == 200 and data["group_name"] in receipt.get_data(as_text=True)


def test_a_group_needs_its_contact_phone_at_the_field(app, staff):
    data, response = _post(app, staff, contact_phone="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="contact_phone-error"' in html
    assert data["group_name"] in html
    assert _in_region(app, lambda: db.session.scalar(
        select(Case).where(Case.intake_token == data["intake_token"]))) is None


def test_the_inbox_and_case_page_show_the_group(app, staff):
    data, response = _post(app, staff)
    case_id = response.headers["Location"].split("/cases/")[1].split("/")[0]
    client = staff("manager", SLUG)
    inbox = client.get(f"/cases/?view=all&q={data['group_name'][-6:]}").get_data(as_text=True)
    assert data["group_name"] in inbox
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert data["group_name"] in page and "Bu Sari Ketua RT" in page and "Komunitas" in page and "34" in page


def test_the_public_status_works_with_the_contact_phone(app, staff, region_client):
    data, _response = _post(app, staff)
    ticket = _in_region(app, lambda: db.session.scalar(
        select(Case.ticket).where(Case.intake_token == data["intake_token"])))
    page = region_client(SLUG).post("/status", data={"ticket": ticket, "phone_last4": "4321"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Diterima" in html and data["group_name"] not in html


def test_the_database_keeps_exactly_one_of_citizen_and_group(app):
    with app.app_context(), tenant_context(tenant(SLUG)):
        case = make_case(SLUG)
        db.session.flush()
        case.group_name = "Kelompok Ganda"
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_group_case_goes_through_a_referral_like_any_other(app, staff):
    from app.casework.group_intake import GroupData, open_group_case
    from app.casework.models import Partner
    from app.casework.steps import StepInput, take_step
    from tests.factories import member

    slug = "bekasi"
    with app.app_context(), tenant_context(tenant(slug)):
        user, membership = member(f"intake_officer@{slug}.demo")
        group = GroupData(name=f"Kelompok Tani {uuid.uuid4().hex[:6]}", kind="association", contact_name="Pak Darto",
                          contact_phone="081233334444", members=12, village_code=village_of(slug).code)
        case, _created = open_group_case(group=group, complaint="Pupuk bersubsidi tidak sampai.",
                                         service_area="pendidikan", channel="walk_in",
                                         intake_token=uuid.uuid4().hex, user=user, membership=membership)
        partner = Partner(name=f"Dinas Uji Kelompok {uuid.uuid4().hex[:6]}", level="regency", kind="opd",
                          contact="Jl. Uji 1")
        db.session.add(partner)
        db.session.flush()
        for key, role in (("forward_to_back_office", "intake_officer"), ("request_referral", "case_officer"),
                          ("approve_referral", "manager"), ("send_referral", "case_officer")):
            user, membership = member(f"{role}@{slug}.demo")
            values = {"partner_id": str(partner.id)} if key == "request_referral" else {}
            take_step(case, key, StepInput.of("Perlu dirujuk." if values else "", values), user=user,
                      membership=membership, expected_version=case.version)
        from app.casework.letters import case_letters

        letters = case_letters(case.id)
        db.session.commit()
        case_id, letter_id = case.id, letters[-1].id if letters else None
    page = staff("case_officer", slug).get(f"/cases/{case_id}")
    assert letter_id is not None
    pdf = staff("case_officer", slug).get(f"/cases/{case_id}/letters/{letter_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert page.status_code == 200 and group.name in page.get_data(as_text=True)
    assert staff("case_officer", slug).post(f"/cases/{case_id}/reveal-nik").status_code == 404
