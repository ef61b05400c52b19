"""Casework operations: intake, register check, steps, conflicts, version pinning, append-only."""
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from app.casework.errors import StaleCase, StepInvalid, StepNotAllowed
from app.casework.intake import open_case
from app.casework.models import Case, CaseEvent, Partner
from app.casework.sop_store import current_version, publish_version
from app.casework.steps import StepInput, allowed_steps, take_step
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from app.tenancy.context import tenant_context
from app.verval.models import DataUpdate
from tests.factories import citizen_data, make_case, member, tenant


def partner(name="Dinas Kesehatan (uji)"):
    found = db.session.scalar(select(Partner).where(Partner.name == name))
    if found is None:
        found = Partner(name=name, level="regency", kind="opd")
        db.session.add(found)
        db.session.flush()
    return found


def step(case, key, email, **data):
    user, membership = member(email)
    return take_step(case, key, StepInput(**data), user=user, membership=membership, expected_version=case.version)


@pytest.fixture()
def in_region(app_ctx):
    def enter(slug):
        ctx = tenant_context(tenant(slug))
        ctx.__enter__()
        return ctx
    contexts = []
    yield lambda slug: contexts.append(enter(slug))
    for ctx in reversed(contexts):
        ctx.__exit__(None, None, None)


def test_intake_gives_ticket_and_starts_at_channel_entry(in_region):
    in_region("cianjur")
    case = make_case("cianjur")
    prefix = tenant("cianjur").ticket_prefix  # the region's own (`app.tenants.ticket_prefix`), not PLG-
    assert prefix and prefix != "PLG"
    assert case.ticket.startswith(f"{prefix}-") and len(case.ticket) == len(f"{prefix}-2026-000001")
    assert case.state == "registered" and case.due_at is not None
    assert case.events[0].action == "intake" and case.events[0].legal_basis


def test_tickets_are_sequential_per_region(in_region):
    in_region("bekasi")
    a, b = make_case("bekasi"), make_case("bekasi")
    assert int(b.ticket[-6:]) == int(a.ticket[-6:]) + 1


def test_double_submit_makes_one_case(in_region):
    in_region("bekasi")
    user, membership = member("intake_officer@bekasi.demo")
    data, token = citizen_data("bekasi"), uuid.uuid4().hex
    kwargs = dict(citizen_data=data, complaint="x", service_area="sosial", channel="walk_in",
                  intake_token=token, user=user, membership=membership)
    first, created = open_case(**kwargs)
    second, created_again = open_case(**kwargs)
    assert created and not created_again and first.id == second.id
    assert db.session.scalar(select(func.count()).select_from(Case).where(Case.intake_token == token)) == 1


def test_same_nik_twice_is_found_not_duplicated(in_region):
    in_region("bekasi")
    data = citizen_data("bekasi")
    a = make_case("bekasi", data=data)
    b = make_case("bekasi", data=data)
    assert a.citizen_id == b.citizen_id


def test_citizen_not_in_register_becomes_a_new_household_proposal(in_region):
    in_region("palembang")
    case = make_case("palembang")
    assert case.in_register is False
    update = db.session.scalar(select(DataUpdate).where(DataUpdate.citizen_id == case.citizen_id))
    assert update.kind == "new_household" and update.case_id == case.id and update.status == "pending"
    assert update.chain and update.data["members"][0]["nik"] == case.citizen.nik


def test_citizen_in_register_by_kk_is_found(in_region):
    in_region("palembang")
    data = citizen_data("palembang")
    user, _m = member("manager@palembang.demo")
    batch = RegisterImport(filename="uji.csv", row_count=1, imported_by=user.id)
    db.session.add(batch)
    db.session.flush()
    db.session.add(RegisterEntry(nik="1671010101800001", kk_number=data.kk_number, name="Kepala Keluarga",
                                 import_id=batch.id))
    db.session.flush()
    case = make_case("palembang", data=data)
    assert case.in_register is True


def test_wrong_role_may_not_take_step(in_region):
    in_region("payakumbuh")
    case = make_case("payakumbuh")
    with pytest.raises(StepNotAllowed):
        step(case, "forward_to_back_office", "case_officer@payakumbuh.demo")


def test_return_needs_a_reason(in_region):
    in_region("cianjur")
    case = make_case("cianjur", channel="home_visit")
    return_key = next(t.key for t in case.sop_version.sop.transitions_from("field_review") if t.kind == "return")
    with pytest.raises(StepInvalid) as err:
        step(case, return_key, "supervisor@cianjur.demo", note="  ")
    assert "note" in err.value.errors


def test_stale_form_is_a_conflict(in_region):
    in_region("bekasi")
    case = make_case("bekasi")
    user, membership = member("intake_officer@bekasi.demo")
    key = allowed_steps(case, membership)[0].key
    stale = case.version
    take_step(case, key, StepInput(), user=user, membership=membership, expected_version=stale)
    with pytest.raises(StaleCase):
        take_step(case, key, StepInput(), user=user, membership=membership, expected_version=stale)


def test_supervisor_of_another_district_cannot_approve(in_region):
    in_region("cianjur")
    from app.reference.models import District
    data = citizen_data("cianjur")
    case = make_case("cianjur", channel="home_visit", data=data)
    _u, supervisor = member("supervisor@cianjur.demo")
    assert allowed_steps(case, supervisor)  # the demo supervisor covers the facilitator's district
    other = db.session.scalar(select(District).where(District.regency_code == "32.03",
                                                     District.code != case.district_code))
    original = supervisor.areas[0].district_code
    supervisor.areas[0].district_code = other.code
    db.session.flush()
    assert allowed_steps(case, supervisor) == []
    supervisor.areas[0].district_code = original
    db.session.flush()


def test_open_case_keeps_its_sop_version(in_region):
    in_region("batubara")
    old_case = make_case("batubara")
    old = current_version()
    definition = dict(old.definition)
    definition["regulation"] = "uji versi baru"
    new = publish_version(definition, regulation="uji versi baru")
    try:
        new_case = make_case("batubara")
        assert new_case.sop_version_id == new.id
        assert old_case.sop_version_id == old.id and old.status == "superseded"
    finally:
        db.session.rollback()


def test_referral_returned_once_then_approved_and_followed_to_close(in_region):
    in_region("payakumbuh")
    case = make_case("payakumbuh")
    target = partner()
    step(case, "forward_to_back_office", "intake_officer@payakumbuh.demo")
    step(case, "request_referral", "case_officer@payakumbuh.demo", note="Perlu bantuan biaya",
         partner_id=str(target.id))
    assert case.state == "referral_approval"
    with pytest.raises(StepNotAllowed):  # Payakumbuh: the Kepala UPT approves, not the manager
        step(case, "approve_referral", "manager@payakumbuh.demo")
    step(case, "return_referral", "unit_head@payakumbuh.demo", note="Lengkapi surat keterangan")
    assert case.referrals[-1].status == "returned" and case.state == "analysis"
    step(case, "request_referral", "case_officer@payakumbuh.demo", note="Sudah lengkap", partner_id=str(target.id))
    step(case, "approve_referral", "unit_head@payakumbuh.demo")
    step(case, "send_referral", "case_officer@payakumbuh.demo")
    step(case, "record_answer", "case_officer@payakumbuh.demo", note="Diterima", answer_result="accepted")
    step(case, "record_outcome", "case_officer@payakumbuh.demo", note="Sudah dilayani", outcome="served")
    inform = next(t.key for t in case.sop_version.sop.transitions_from("informing"))
    step(case, inform, "intake_officer@payakumbuh.demo", inform_channel="phone")
    assert case.is_closed and case.referrals[-1].status == "completed"
    assert [e.action for e in case.events][-1] == inform


def test_case_events_and_audit_are_append_only(app, in_region):
    in_region("bekasi")
    case = make_case("bekasi")
    db.session.commit()
    for table in ("case_events", "audit_events"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(f"UPDATE {table} SET at = at"))
        db.session.rollback()
        with pytest.raises(DatabaseError):
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)) == 1


def test_back_office_sections_act_only_on_cases_routed_to_them(in_region):
    in_region("bekasi")
    from sqlalchemy import select as sel

    from app.accounts.models import Membership, User
    health_case = make_case("bekasi", service_area="kesehatan")
    civil_case = make_case("bekasi", service_area="kependudukan")  # routed to the general back office
    step(health_case, "forward_to_back_office", "intake_officer@bekasi.demo")
    step(civil_case, "forward_to_back_office", "intake_officer@bekasi.demo")
    officers = db.session.scalars(sel(Membership).join(User).where(User.email.like("case_officer%@bekasi.demo"))).all()
    acting = {m.position.unit.key: bool(allowed_steps(health_case, m)) for m in officers}
    assert acting[health_case.unit.key] is True
    assert sum(acting.values()) == 1, acting  # only the health section
    assert all(allowed_steps(civil_case, m) for m in officers)  # every section covers the general back office
