"""Figures across regions for the console's region list (the comparison's figures are in
`app.dashboard.national`).

The list is paged (50 regions) and searchable; each figure is one grouped query over the
regions of the page (the `all_tenants` execution option), never one query per region, so the
page costs the same with 5 regions or 514.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from app.accounts.models import Membership, User
from app.audit.models import AuditEvent
from app.casework.models import Case
from app.extensions import db
from app.pagination import Pagination, page_of
from app.tenancy.context import ALL_TENANTS
from app.tenancy.models import Tenant, utcnow

_ALL = {ALL_TENANTS: True}
PER_PAGE = 50


def _grouped(stmt) -> dict:
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in db.session.execute(stmt.execution_options(**_ALL))}


@dataclass
class RegionRow:
    tenant: Tenant
    staff: int = 0
    open_cases: int = 0
    overdue: int = 0
    last_activity: datetime | None = None


def case_load(now: datetime, only=None, ids=None) -> dict[uuid.UUID, tuple[int, int]]:
    """tenant id → (open cases, overdue open cases); every region, `only` one, or those in `ids`."""
    overdue = func.sum(case((Case.is_overdue(now), 1), else_=0))
    stmt = select(Case.tenant_id, func.count(), overdue).where(Case.closed_at.is_(None)).group_by(Case.tenant_id)
    if only is not None:
        stmt = stmt.where(Case.tenant_id == only)
    if ids is not None:
        stmt = stmt.where(Case.tenant_id.in_(ids))
    return {tid: (int(n or 0), int(late or 0)) for tid, (n, late) in _grouped(stmt).items()}


def _with_figures(tenants: list[Tenant]) -> list[RegionRow]:
    """`tenants` with active staff, open and overdue cases and last audited action (3 grouped queries)."""
    ids = [t.id for t in tenants]
    if not ids:
        return []
    staff = (select(Membership.tenant_id, func.count()).join(User, User.id == Membership.user_id)
             .where(Membership.active.is_(True), User.active.is_(True), Membership.tenant_id.in_(ids))
             .group_by(Membership.tenant_id))
    # The newest event of each region on the page: one probe of (tenant_id, at) per region, not a
    # max() over every event those regions ever recorded (300 ms at 100,000 cases).
    newest = (select(AuditEvent.at).where(AuditEvent.tenant_id == Tenant.id).order_by(AuditEvent.at.desc())
              .limit(1).correlate(Tenant).scalar_subquery())
    last = select(Tenant.id, newest).where(Tenant.id.in_(ids))
    staff_counts, load, latest = _grouped(staff), case_load(utcnow(), ids=ids), _grouped(last)
    return [RegionRow(tenant=t, staff=staff_counts.get(t.id, 0), open_cases=load.get(t.id, (0, 0))[0],
                      overdue=load.get(t.id, (0, 0))[1], last_activity=latest.get(t.id)) for t in tenants]


def _listed(status: str = "", query: str = ""):
    stmt = select(Tenant).order_by(Tenant.name, Tenant.id)
    if status:
        stmt = stmt.where(Tenant.status == status)
    if query:
        text = query.lower()
        stmt = stmt.where(func.lower(Tenant.name).contains(text, autoescape=True)
                          | Tenant.region_code.contains(text, autoescape=True)
                          | Tenant.slug.contains(text, autoescape=True))
    return stmt


def region_rows(status: str = "", only=None) -> list[RegionRow]:
    """Every region (or those with `status`, or only the one with id `only`) with its figures."""
    stmt = _listed(status)
    if only is not None:
        stmt = stmt.where(Tenant.id == only)
    return _with_figures(list(db.session.scalars(stmt)))


def region_page(status: str = "", query: str = "", page: int = 1) -> tuple[Pagination, list[RegionRow]]:
    """One page (`PER_PAGE` regions by name) of those with `status` whose name, code or subdomain
    contains `query`, with their figures."""
    pager = page_of(_listed(status, query), page, PER_PAGE)
    return pager, _with_figures(list(pager.items))
