"""Figures across regions: the lifecycle list and the comparison table.

Each figure is one grouped query over every region (the `all_tenants` execution option),
never one query per region, so the pages cost the same with 5 regions or 514.
"""
from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, select

from app.accounts.models import Membership, User
from app.audit.models import AuditEvent
from app.casework.models import Case, Partner, Referral
from app.casework.vocabulary import Outcome, PartnerLevel
from app.extensions import db
from app.platform.audit import day_bounds
from app.tenancy.context import ALL_TENANTS
from app.tenancy.models import Tenant, utcnow
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

_ALL = {ALL_TENANTS: True}


def _grouped(stmt) -> dict:
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in db.session.execute(stmt.execution_options(**_ALL))}


@dataclass
class RegionRow:
    tenant: Tenant
    staff: int = 0
    open_cases: int = 0
    overdue: int = 0
    last_activity: datetime | None = None


def case_load(now: datetime, only=None) -> dict[uuid.UUID, tuple[int, int]]:
    """tenant id → (open cases, overdue open cases)."""
    overdue = func.sum(case((Case.is_overdue(now), 1), else_=0))
    stmt = select(Case.tenant_id, func.count(), overdue).where(Case.closed_at.is_(None)).group_by(Case.tenant_id)
    if only is not None:
        stmt = stmt.where(Case.tenant_id == only)
    return {tid: (int(n or 0), int(late or 0)) for tid, (n, late) in _grouped(stmt).items()}


def region_rows(status: str = "", only=None) -> list[RegionRow]:
    """Every region (or those with `status`, or only the one with id `only`) with active
    staff, open and overdue cases, and the time of the last audited action."""
    stmt = select(Tenant).order_by(Tenant.name)
    staff = (select(Membership.tenant_id, func.count()).join(User, User.id == Membership.user_id)
             .where(Membership.active.is_(True), User.active.is_(True)).group_by(Membership.tenant_id))
    last = select(AuditEvent.tenant_id, func.max(AuditEvent.at)).group_by(AuditEvent.tenant_id)
    if status:
        stmt = stmt.where(Tenant.status == status)
    if only is not None:
        stmt, staff = stmt.where(Tenant.id == only), staff.where(Membership.tenant_id == only)
        last = last.where(AuditEvent.tenant_id == only)
    tenants = db.session.scalars(stmt).all()
    staff_counts, load, latest = _grouped(staff), case_load(utcnow(), only), _grouped(last)
    return [RegionRow(tenant=t, staff=staff_counts.get(t.id, 0), open_cases=load.get(t.id, (0, 0))[0],
                      overdue=load.get(t.id, (0, 0))[1], last_activity=latest.get(t.id)) for t in tenants]


@dataclass
class Comparison:
    tenant: Tenant
    received: int = 0
    closed: int = 0
    overdue: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    prelist: int = 0
    median_hours: float | None = None

    @property
    def referrals(self) -> int:
        return sum(self.by_level.values())


def _in(column, lower, upper):
    return and_(column >= lower, column < upper)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def median_hours_to_close(lower, upper) -> tuple[dict[uuid.UUID, float], float | None]:
    """(tenant id → median hours from opening to closing, the median over all regions), over
    cases closed in the period.

    One query for every closed case's two timestamps; the median is taken here. (Fine at
    this size; the reports work will add rollups.)"""
    durations: dict[uuid.UUID, list[float]] = defaultdict(list)
    rows = db.session.execute(select(Case.tenant_id, Case.created_at, Case.closed_at)
                              .where(_in(Case.closed_at, lower, upper)).execution_options(**_ALL))
    for tid, opened, closed in rows:
        assert closed is not None  # the where clause keeps closed cases only
        durations[tid].append((_aware(closed) - _aware(opened)).total_seconds() / 3600)
    every = [hours for values in durations.values() for hours in values]
    return ({tid: statistics.median(values) for tid, values in durations.items()},
            statistics.median(every) if every else None)


def comparison(start: date, end: date) -> tuple[list[Comparison], float | None]:
    """Per region, for local days start..end: cases received, closed, overdue now, referrals
    by partner level and by outcome, proposals of a new household (data updates of kind
    new_household, the former pre-list), median hours to close; and the
    median hours to close over every region."""
    lower, upper = day_bounds(start, end)
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.name)).all()
    received = _grouped(select(Case.tenant_id, func.count()).where(_in(Case.created_at, lower, upper))
                        .group_by(Case.tenant_id))
    closed = _grouped(select(Case.tenant_id, func.count()).where(_in(Case.closed_at, lower, upper))
                      .group_by(Case.tenant_id))
    load = case_load(utcnow())
    levels: dict = defaultdict(dict)
    for tid, level, n in db.session.execute(
            select(Referral.tenant_id, Partner.level, func.count())
            .join(Partner, and_(Partner.tenant_id == Referral.tenant_id, Partner.id == Referral.partner_id))
            .where(_in(Referral.requested_at, lower, upper)).group_by(Referral.tenant_id, Partner.level)
            .execution_options(**_ALL)):
        levels[tid][level] = n
    outcomes: dict = defaultdict(dict)
    for tid, outcome, n in db.session.execute(
            select(Referral.tenant_id, Referral.outcome, func.count())
            .where(_in(Referral.completed_at, lower, upper), Referral.outcome != "")
            .group_by(Referral.tenant_id, Referral.outcome).execution_options(**_ALL)):
        outcomes[tid][outcome] = n
    prelist = _grouped(select(DataUpdate.tenant_id, func.count())
                       .where(DataUpdate.kind == UpdateKind.NEW_HOUSEHOLD, _in(DataUpdate.created_at, lower, upper))
                       .group_by(DataUpdate.tenant_id))
    medians, overall = median_hours_to_close(lower, upper)
    return [Comparison(tenant=t, received=received.get(t.id, 0), closed=closed.get(t.id, 0),
                       overdue=load.get(t.id, (0, 0))[1], by_level=dict(levels.get(t.id, {})),
                       by_outcome=dict(outcomes.get(t.id, {})), prelist=prelist.get(t.id, 0),
                       median_hours=medians.get(t.id)) for t in tenants], overall


def totals(rows: list[Comparison], median_hours: float | None = None) -> dict:
    """Sums over the table; the median is the one over every region's closed cases."""
    return {
        "median_hours": median_hours, "received": sum(r.received for r in rows), "closed": sum(r.closed for r in rows),
        "overdue": sum(r.overdue for r in rows), "prelist": sum(r.prelist for r in rows),
        "by_level": {k: sum(r.by_level.get(k, 0) for r in rows) for k in PartnerLevel},
        "by_outcome": {k: sum(r.by_outcome.get(k, 0) for r in rows) for k in Outcome},
        "referrals": sum(r.referrals for r in rows),
    }
