"""The inbox: the cases waiting for a member (or all they may see), with filters and search.

Which cases a member may see at all is `app.casework.access`'s rule, shared with the case pages.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, func, inspect, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.casework.access import visible_condition
from app.casework.models import Case
from app.casework.sop_store import versions_in_use
from app.citizens.models import Citizen
from app.extensions import db
from app.pagination import Pagination, page_of
from app.permissions import Capability, can
from app.tenancy.models import utcnow

PAGE_SIZE = 20


@dataclass
class InboxFilters:
    q: str = ""
    state: str = ""
    service_area: str = ""
    district: str = ""
    overdue: bool = False
    view: str = "mine"  # mine | all | closed
    page: int = 1
    sort: str = ""  # one of SORTS; "" = the view's own order
    follow_up: bool = False  # only cases whose follow-up date is today or has passed


#: The orders the case list offers (`?sort=`); anything else falls back to the view's own.
SORTS = ("received", "due", "stage", "assignee")


def _order(filters: InboxFilters) -> tuple:
    from app.accounts.models import User

    sort = filters.sort if filters.sort in SORTS else ("received" if filters.view == "closed" else "due")
    if sort == "received":
        return (Case.created_at.desc(),)
    if sort == "stage":
        return (Case.state, Case.due_at.asc().nulls_last(), Case.created_at)
    if sort == "assignee":
        name = select(User.name).where(User.id == Case.assignee_id).scalar_subquery()
        return (name.asc().nulls_first(), Case.due_at.asc().nulls_last(), Case.created_at)
    return (Case.due_at.asc().nulls_last(), Case.created_at)


def _waiting_for(role: str):
    conditions = []
    for version in versions_in_use():
        sop = version.sop
        states = [s for s in sop.open_states() if role in sop.waiting_roles(s)]
        if states:
            conditions.append(and_(Case.sop_version_id == version.id, Case.state.in_(states)))
    return or_(*conditions) if conditions else false()


def visible_cases(membership, filters: InboxFilters):
    """The select for this member's view (before pagination)."""
    role = membership.position.role
    stmt = select(Case).outerjoin(Citizen, and_(Citizen.tenant_id == Case.tenant_id, Citizen.id == Case.citizen_id))
    closed = Case.closed_at.is_not(None) if filters.view == "closed" else Case.closed_at.is_(None)
    stmt = stmt.where(closed)
    if filters.view == "mine":
        stmt = stmt.where(_waiting_for(role))
        # An assigned case waits on its assignee only; a pooled one on everyone who fits.
        stmt = stmt.where(or_(Case.assignee_id.is_(None), Case.assignee_id == membership.user_id))
    elif not can(membership, Capability.OVERSEE_CASES):
        stmt = stmt.where(_waiting_for(role))
    stmt = stmt.where(visible_condition(membership))  # area and unit: the case pages' own rule
    if filters.q:
        term = filters.q.strip()
        stmt = stmt.where(or_(Case.ticket.ilike(f"%{term}%"), Citizen.name.ilike(f"%{term}%"),
                              Case.group_name.ilike(f"%{term}%"), Citizen.nik == term))
    if filters.state:
        stmt = stmt.where(Case.state == filters.state)
    if filters.service_area:
        stmt = stmt.where(Case.service_area == filters.service_area)
    if filters.district:
        stmt = stmt.where(Case.district_code == filters.district)
    if filters.overdue:
        stmt = stmt.where(Case.is_overdue(utcnow()))
    if filters.follow_up:
        stmt = stmt.where(Case.follow_up_on.is_not(None), Case.follow_up_on <= utcnow().date())
    return stmt


def page_of_cases(membership, filters: InboxFilters) -> Pagination:
    """The page of this member's view that `filters` asks for (`.items` are the cases)."""
    pager = page_of(ordered_cases(membership, filters), filters.page, PAGE_SIZE)
    attach_versions(pager.items)
    return pager


def ordered_cases(membership, filters: InboxFilters):
    """This member's view in the order `filters.sort` asks for, with what a row shows loaded (the SOP
    version apart: see `attach_versions`)."""
    return visible_cases(membership, filters).order_by(*_order(filters)).options(
        selectinload(Case.citizen), selectinload(Case.unit), selectinload(Case.assignee))


def attach_versions(cases) -> None:
    """Each case's SOP version from the versions in use, which the request reads anyway (the view's filter,
    the counts): loading them again with the page read every definition a second time. A case whose
    version is not among them (none should be) loads its own when asked."""
    by_id = {version.id: version for version in versions_in_use()}
    for case in cases:
        version = by_id.get(case.sop_version_id)
        if version is not None and "sop_version" in inspect(case).unloaded:
            set_committed_value(case, "sop_version", version)


def count_cases(membership, filters: InboxFilters) -> int:
    """How many cases this member's view holds under `filters`: the inbox's total, without a page."""
    stmt = visible_cases(membership, filters)
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def overdue_count(membership) -> int:
    return count_cases(membership, InboxFilters(view="all" if can(membership, Capability.OVERSEE_CASES) else "mine",
                                                overdue=True))
