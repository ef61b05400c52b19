"""The pre-list: citizens not found in the register, proposed for addition, and their review."""
from __future__ import annotations

from sqlalchemy import and_, select

from app.audit.log import record
from app.casework.models import Case
from app.citizens.models import Citizen, PrelistProposal
from app.extensions import db
from app.pagination import page_of
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context

PAGE_SIZE = 20


def area_districts(membership) -> list[str] | None:
    """The districts a supervisor works in; None for roles that see the whole region."""
    if membership.position.role != "supervisor":
        return None
    return sorted({area.district_code for area in membership.areas})


def page_of_proposals(membership, *, status: str = "", district: str = "", page: int = 1):
    """The page asked for; each row of `.items` is (proposal, citizen, case id, ticket, village, district)."""
    stmt = (select(PrelistProposal, Citizen, Case.id, Case.ticket, Village.name, District.name)
            .join(Citizen, and_(Citizen.tenant_id == PrelistProposal.tenant_id,
                                Citizen.id == PrelistProposal.citizen_id))
            .outerjoin(Case, and_(Case.tenant_id == PrelistProposal.tenant_id, Case.id == PrelistProposal.case_id))
            .join(Village, Village.code == PrelistProposal.village_code)
            .join(District, District.code == PrelistProposal.district_code))
    own = area_districts(membership)
    if own is not None:
        stmt = stmt.where(PrelistProposal.district_code.in_(own))
    if status:
        stmt = stmt.where(PrelistProposal.status == status)
    if district:
        stmt = stmt.where(PrelistProposal.district_code == district)
    return page_of(stmt.order_by(PrelistProposal.created_at.desc(), PrelistProposal.id), page, PAGE_SIZE, rows=True)


def review_proposal(proposal: PrelistProposal, decision: str, note: str, user) -> None:
    """Mark a proposal verified or rejected (the reason is kept in `note`) and audit it."""
    proposal.status = decision
    proposal.note = note.strip()
    record("prelist.review", "prelist_proposal", proposal.id, decision=decision, citizen=proposal.citizen_id,
           reviewer=user.id)


def member_districts(membership) -> list[District]:
    """The districts of the region this member may filter the pre-list by (a supervisor: their own)."""
    own = area_districts(membership)
    stmt = select(District).where(District.regency_code == tenant_in_context().region_code).order_by(District.name)
    if own is not None:
        stmt = stmt.where(District.code.in_(own))
    return list(db.session.scalars(stmt))
