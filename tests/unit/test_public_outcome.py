"""The public status page says, in plain words and without personal data, what came of a closed case."""
from __future__ import annotations

import random
import uuid

from app.casework.case_admin import merge_case, withdraw_case
from app.casework.models import Partner
from app.casework.steps import StepInput, take_step
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import citizen_data, make_case, member, tenant

SLUG = "payakumbuh"


def step(case, key, role, **data):
    user, membership = member(f"{role}@{SLUG}.demo")
    return take_step(case, key, StepInput(**data), user=user, membership=membership, expected_version=case.version)


def _case():
    last4 = f"{random.randrange(1000, 7000):04d}"
    data = citizen_data(SLUG, name=f"Rahmat Rahasia {uuid.uuid4().hex[:4]}", phone=f"0813-9999-{last4}")
    return make_case(SLUG, data=data), last4


def _referred_and_served(case):
    partner = Partner(name=f"Dinas Kesehatan Uji {uuid.uuid4().hex[:4]}", level="regency", kind="opd")
    db.session.add(partner)
    db.session.flush()
    step(case, "forward_to_back_office", "intake_officer")
    step(case, "request_referral", "case_officer", note="Perlu rujukan", partner_id=str(partner.id))
    step(case, "approve_referral", "unit_head")
    step(case, "send_referral", "case_officer")
    step(case, "record_answer", "case_officer", note="Diterima", answer_result="accepted")
    step(case, "record_outcome", "case_officer", note="Sudah dilayani", outcome="served")
    inform = next(t.key for t in case.sop_version.sop.transitions_from(case.state) if t.kind == "inform")
    step(case, inform, "intake_officer", inform_channel="phone")
    return partner.name


def _status(region_client, ticket, last4):
    response = region_client(SLUG).post("/status", data={"ticket": ticket, "phone_last4": last4})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _private(case) -> list[str]:
    citizen = case.citizen
    return [citizen.name, citizen.nik, citizen.address, case.complaint]


def test_a_referred_and_served_case_says_where_it_went_and_that_it_was_served(app, region_client):
    with app.app_context(), tenant_context(tenant(SLUG)):
        case, last4 = _case()
        partner = _referred_and_served(case)
        ticket, private = case.ticket, _private(case)
        db.session.commit()
    page = _status(region_client, ticket, last4)
    assert f"Selesai: dirujuk ke {partner}, layanan diterima." in page
    assert not [p for p in private if p in page]


def test_a_withdrawn_case_says_so(app, region_client):
    with app.app_context(), tenant_context(tenant(SLUG)):
        case, last4 = _case()
        user, membership = member(f"manager@{SLUG}.demo")
        withdraw_case(case, "Warga Rahmat mencabut pengaduan", user=user, membership=membership)
        ticket = case.ticket
        db.session.commit()
    page = _status(region_client, ticket, last4)
    assert "Selesai: pengaduan ditarik." in page and "Rahmat" not in page


def test_a_merged_case_points_to_the_ticket_that_stays(app, region_client):
    with app.app_context(), tenant_context(tenant(SLUG)):
        survivor, _l4 = _case()
        duplicate, last4 = _case()
        user, membership = member(f"manager@{SLUG}.demo")
        merge_case(duplicate, survivor.ticket, "Dicatat dua kali", user=user, membership=membership)
        tickets = duplicate.ticket, survivor.ticket
        db.session.commit()
    page = _status(region_client, tickets[0], last4)
    assert f"digabung dengan pengaduan {tickets[1]}" in page


def test_an_open_case_shows_no_outcome(app, region_client):
    with app.app_context(), tenant_context(tenant(SLUG)):
        case, last4 = _case()
        ticket = case.ticket
        db.session.commit()
    page = _status(region_client, ticket, last4)
    assert "Hasil" not in page and "Selesai:" not in page
