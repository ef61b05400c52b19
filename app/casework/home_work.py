"""What a member's home page shows: the work that concerns their role, in cheap queries.

Whoever reads the dashboard (a patron, a unit head, a manager…) sees the region's figures;
a supervisor sees the approvals waiting in each of their districts; a facilitator sees the
open cases of each of their villages; everyone else sees what waits on them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, false, func, or_, select

from app.casework.access import visible_condition
from app.casework.inbox import InboxFilters, count_cases, overdue_count
from app.casework.models import Case
from app.casework.sop_store import versions_in_use
from app.extensions import db
from app.localtime import local_zone
from app.permissions import Capability, can
from app.reference.models import District, Village
from app.tenancy.models import utcnow

RECENT_PER_VILLAGE = 5


@dataclass
class RegionFigures:
    open: int
    overdue: int
    received_this_month: int
    closed_this_month: int


@dataclass
class PlaceCount:
    code: str
    name: str
    count: int
    cases: list = field(default_factory=list)


@dataclass
class HomeWork:
    """One of `figures`, `approvals`, `villages`; `waiting`/`overdue` are the member's own."""

    waiting: int = 0
    overdue: int = 0
    figures: RegionFigures | None = None
    approvals: list[PlaceCount] | None = None
    villages: list[PlaceCount] | None = None


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count(Case.id)).where(*conditions)) or 0


def local_month_start(now: datetime) -> datetime:
    """The first instant of `now`'s month in the platform's time zone (WIB), in UTC: a month's
    figures begin at local midnight, not at 07:00 WIB."""
    zone = local_zone()
    local = now.astimezone(zone).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC)


def region_figures(now: datetime | None = None) -> RegionFigures:
    """Open, overdue, received and closed this month: four counts on the region's cases."""
    now = now or utcnow()
    month_start = local_month_start(now)
    return RegionFigures(open=_count(Case.closed_at.is_(None)), overdue=_count(Case.is_overdue(now)),
                         received_this_month=_count(Case.created_at >= month_start),
                         closed_this_month=_count(Case.closed_at >= month_start))


def approves(role: str) -> bool:
    """Whether the SOP (any version in use) gives `role` an approval step."""
    return any(t.is_approval and role in t.roles for v in versions_in_use() for t in v.sop.transitions)


def _approval_states(role: str):
    """The condition: an open case in a state where `role` may take an approval step."""
    conditions = []
    for version in versions_in_use():
        sop = version.sop
        states = [s for s in sop.open_states() if any(t.is_approval for t in sop.allowed(s, role))]
        if states:
            conditions.append(and_(Case.sop_version_id == version.id, Case.state.in_(states)))
    return or_(*conditions) if conditions else false()


def approvals_by_district(membership) -> list[PlaceCount]:
    """Each of the member's districts (or every district with one) and the approvals waiting there."""
    rows = dict(db.session.execute(
        select(Case.district_code, func.count(Case.id))
        .where(Case.closed_at.is_(None), _approval_states(membership.position.role), visible_condition(membership))
        .group_by(Case.district_code)).all())
    codes = sorted({a.district_code for a in membership.areas} | set(rows))
    names = dict(db.session.execute(select(District.code, District.name).where(District.code.in_(codes))).all())
    return [PlaceCount(code, names.get(code, code), rows.get(code, 0)) for code in codes]


def village_cases(membership) -> list[PlaceCount]:
    """Each of the member's villages with its open cases (the most urgent first)."""
    codes = sorted({a.village_code for a in membership.areas if a.village_code})
    names = dict(db.session.execute(select(Village.code, Village.name).where(Village.code.in_(codes))).all())
    out = []
    for code in codes:
        open_here = and_(Case.village_code == code, Case.closed_at.is_(None), visible_condition(membership))
        cases = db.session.scalars(select(Case).where(open_here).order_by(Case.due_at.asc().nulls_last())
                                   .limit(RECENT_PER_VILLAGE)).all()
        out.append(PlaceCount(code, names.get(code, code), _count(open_here), list(cases)))
    return out


def home_work(membership) -> HomeWork:
    """The blocks of this member's home page."""
    work = HomeWork(waiting=count_cases(membership, InboxFilters(view="mine")),
                    overdue=overdue_count(membership))
    role = membership.position.role
    if can(membership, Capability.SEE_DASHBOARD):
        work.figures = region_figures()
    elif approves(role):
        work.approvals = approvals_by_district(membership)
    elif any(a.village_code for a in membership.areas):
        work.villages = village_cases(membership)
    return work
