"""Referral letters for tests: a referral sent through the real SOP steps, or a letter on any case."""
from __future__ import annotations

import subprocess
import uuid

from sqlalchemy import select

from app.casework.letters import issue_letter
from app.casework.models import Case, Partner, Referral
from app.casework.steps import StepInput, take_step
from app.casework.vocabulary import ReferralStatus
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.factories import citizen_data, make_case, member, tenant

#: Who takes each step of the referral path in the demo regions used here (Bekasi, Cianjur's shape).
REFERRAL_PATH = (("forward_to_back_office", "intake_officer"), ("request_referral", "case_officer"),
                 ("approve_referral", "manager"), ("send_referral", "case_officer"))


def new_partner(name: str | None = None) -> Partner:
    """A partner of the current region with a unique name and an address (retire it once used)."""
    partner = Partner(name=name or f"Dinas Kesehatan Uji {uuid.uuid4().hex[:6]}", level="regency", kind="opd",
                      contact="Jl. Pahlawan No. 7, Telp. 021-555")
    db.session.add(partner)
    db.session.flush()
    return partner


def send_referral(slug: str, *, reason: str = "Perlu bantuan biaya rawat inap.", name: str | None = None,
                  until: str | None = None) -> Case:
    """A new case of `slug` (inside its tenant context) taken through request, approval and sending
    (or up to, not including, the step `until`)."""
    data = citizen_data(slug, name=name or f"Warga Rujukan {uuid.uuid4().hex[:6]}")
    case = make_case(slug, service_area="pendidikan", data=data)
    partner = new_partner()
    for key, role in REFERRAL_PATH:
        if key == until:
            break
        user, membership = member(f"{role}@{slug}.demo")
        values = {"partner_id": str(partner.id)} if key == "request_referral" else {}
        take_step(case, key, StepInput.of(reason if key == "request_referral" else "", values), user=user,
                  membership=membership, expected_version=case.version)
    partner.retired_at = utcnow()  # the region's configuration (its export) stays as the template made it
    return case


def sent_referral_facts(app, slug: str = "bekasi", **kw) -> dict:
    """`send_referral` in its own app context, committed; returns plain facts about the case and letter."""
    from app.casework.letters import case_letters

    with app.app_context(), tenant_context(tenant(slug)):
        case = send_referral(slug, **kw)
        letter = case_letters(case.id)[-1]
        facts = dict(case_id=case.id, ticket=case.ticket, nik=case.citizen.nik, name=case.citizen.name,
                     letter_id=letter.id, number=letter.number, token=letter.token,
                     partner=letter.partner_name, approver=letter.approver_name, title=letter.approver_title)
        db.session.commit()
        return facts


_letters: dict = {}


def letter_on(case_id, slug: str = "bekasi") -> uuid.UUID:
    """A letter on an existing case (a sent referral added directly, the case itself untouched); once per case.

    Called where an app context exists (inside `test_request_context`)."""
    if case_id not in _letters:
        with tenant_context(tenant(slug)):
            case = db.session.scalar(select(Case).where(Case.id == case_id))
            partner = new_partner()
            partner.retired_at = utcnow()
            referral = Referral(case_id=case.id, partner_id=partner.id, reason="Uji akses surat.",
                                status=ReferralStatus.SENT, sent_at=utcnow())
            db.session.add(referral)
            db.session.flush()
            _letters[case_id] = issue_letter(case, referral, utcnow()).id
            db.session.commit()
    return _letters[case_id]


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
