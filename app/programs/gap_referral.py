"""Turning an eligibility gap into a referral, the way the region's SOP makes referrals.

A referral in SLRT is a step of a case (the SOP says who refers, who approves, to which
partner). So a gap does not write a referral by itself: if a member of the household has
an open case this staff member can see, the referral is made there, at the case's referral
step; otherwise a new case is started at intake for the head of the household (or the
member concerned) with the complaint prefilled with the program, its partner and the
conditions met. Either way the choice is audited.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.log import record
from app.casework.access import visible_condition
from app.casework.models import Case, Partner
from app.citizens.identity import mask_nik
from app.citizens.models import Citizen
from app.errors import Conflict, NotFound
from app.extensions import db
from app.programs.eligibility import Gap, gaps
from app.programs.facts import HouseholdFacts
from app.programs.models import Program

COMPLAINT_MAX = 4000


@dataclass
class ReferralStart:
    """Where the referral of a gap goes on: an open case, or a new intake prefilled."""

    program: Program
    partner: Partner | None
    case: Case | None
    nik: str             # whom the new case is for (intake), "" when an open case is used
    complaint: str
    service_area: str


def open_cases_seen(facts: HouseholdFacts, membership) -> list[Case]:
    """Open cases of the household's members that this staff member may see, oldest first."""
    niks = [m.nik for m in facts.members if m.nik]
    if not niks:
        return []
    return list(db.session.scalars(
        select(Case).join(Citizen, (Citizen.tenant_id == Case.tenant_id) & (Citizen.id == Case.citizen_id))
        .where(Citizen.nik.in_(niks), Case.closed_at.is_(None), visible_condition(membership))
        .order_by(Case.created_at)))


def _gap_of(facts: HouseholdFacts, program_id) -> Gap:
    program = db.session.scalar(select(Program).where(Program.id == program_id))
    if program is None:
        raise NotFound(_("Program tidak ditemukan."))
    found = gaps(facts, [program]) if program.active else []
    if not found:
        raise Conflict(_("Rumah tangga ini tidak lagi tampak memenuhi syarat %(p)s tanpa menerimanya.",
                         p=program.name))
    return found[0]


def _complaint(gap: Gap, partner: Partner | None) -> str:
    met = "; ".join(r.label for r in gap.results)
    text = _("Rujukan ke %(program)s (pengelola: %(partner)s). Rumah tangga tampak memenuhi syarat: %(met)s.",
             program=gap.program.name, partner=partner.name if partner else _("belum ditentukan"), met=met)
    if gap.members:
        text += " " + _("Anggota yang belum menerima: %(names)s.", names=", ".join(m.name for m in gap.members))
    return text[:COMPLAINT_MAX]


def _whom(facts: HouseholdFacts, gap: Gap) -> str:
    head = facts.head
    if head is not None:
        return head.nik
    return (gap.members or facts.members)[0].nik if (gap.members or facts.members) else ""


def start_referral(facts: HouseholdFacts, program_id, membership) -> ReferralStart:
    """Where to refer the household's gap for `program_id`: its open case, or a new intake; audited.

    Refused: a program of another region or unknown (NotFound), one the household no longer
    appears to lack (Conflict). The caller has checked the household is in the member's reach.
    """
    gap = _gap_of(facts, program_id)
    program = gap.program
    partner = db.session.scalar(select(Partner).where(Partner.id == program.partner_id)) \
        if program.partner_id else None
    areas = [a for a in (partner.service_areas if partner else "").split(",") if a]
    cases = open_cases_seen(facts, membership)
    start = ReferralStart(program=program, partner=partner, case=cases[0] if cases else None,
                          nik="" if cases else _whom(facts, gap), complaint=_complaint(gap, partner),
                          service_area=areas[0] if areas else "")
    record("program.gap.refer", "household", facts.kk_number, program=program.code,
           via="case" if start.case else "intake", case=start.case.ticket if start.case else "",
           nik=mask_nik(start.nik) if start.nik else "")
    return start
