"""The audit trail across regions: the regions' own logs merged with the platform's.

`AuditEvent` rows (tenant-owned) are read with the `all_tenants` execution option and
merged with `PlatformAuditEvent` rows in one UNION ALL, newest first. NIK-like numbers in
the details are masked before anything is shown or exported.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import and_, func, literal, or_, select, union_all

from app.audit.log import _jsonable, record
from app.audit.models import AuditEvent
from app.citizens.identity import mask_nik
from app.extensions import db
from app.localtime import local_zone
from app.pagination import Pagination, page_of
from app.platform.models import PlatformAuditEvent
from app.tenancy.context import ALL_TENANTS, current_tenant_id

PAGE_SIZE = 50
PLATFORM_ONLY = "platform"
_NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")


def record_platform(action: str, *, tenant=None, object_type: str = "", object_id: Any = "",
                    **detail: Any) -> PlatformAuditEvent:
    """Append one platform audit event (the request commits). `tenant` is the region concerned."""
    user_id, actor, ip = None, "", ""
    if has_request_context():
        ip = request.remote_addr or ""
        if current_user and current_user.is_authenticated:
            user_id, actor = current_user.id, current_user.email
    event = PlatformAuditEvent(user_id=user_id, actor=actor, action=action,
                               tenant_id=getattr(tenant, "id", tenant), object_type=object_type,
                               object_id=str(object_id)[:64], ip=ip, detail=_jsonable(detail))
    db.session.add(event)
    return event


def record_here(action: str, *, durable: bool = False, object_type: str = "", object_id: Any = "",
                **detail: Any):
    """Record in this region's log at a region host, in the platform's on the apex.

    `durable` events are about a refused request (failed login, 403): they are written even
    though the request's own transaction is rolled back (see `save_kept_events`)."""
    event: AuditEvent | PlatformAuditEvent
    if current_tenant_id() is not None:
        event = record(action, object_type, object_id, **detail)
    else:
        event = record_platform(action, object_type=object_type, object_id=object_id, **detail)
    if durable:
        g.setdefault("_kept_audit_events", []).append(event)
    return event


def save_kept_events() -> None:
    """After a refused request was rolled back: write its durable audit events on their own."""
    kept = g.pop("_kept_audit_events", None) if has_request_context() else None
    if not kept:
        return
    db.session.add_all(kept)
    db.session.commit()


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Local calendar days [start, end] as UTC instants [from, to)."""
    zone = local_zone()
    lower = datetime.combine(start, time.min, zone).astimezone(UTC) if start else None
    upper = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC) if end else None
    return lower, upper


@dataclass
class AuditFilters:
    region: str = ""          # a tenant id, "platform" (no region), or "" (all)
    action: str = ""
    actor: str = ""
    start: date | None = None
    end: date | None = None
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    def as_args(self) -> dict[str, str]:
        """The filters as query-string values (for links and the CSV export)."""
        out = {"region": self.region, "action": self.action, "actor": self.actor,
               "start": self.start.isoformat() if self.start else "",
               "end": self.end.isoformat() if self.end else ""}
        return {k: v for k, v in out.items() if v}


def _conditions(model, filters: AuditFilters) -> list:
    conds = []
    if filters.region == PLATFORM_ONLY:
        conds.append(model.tenant_id.is_(None))
    elif filters.region:
        conds.append(model.tenant_id == uuid.UUID(filters.region))
    if filters.action:
        conds.append(model.action == filters.action)
    if filters.actor:
        conds.append(model.actor.ilike(f"%{filters.actor}%"))
    lower, upper = day_bounds(filters.start, filters.end)
    if lower:
        conds.append(model.at >= lower)
    if upper:
        conds.append(model.at < upper)
    return conds


def _branches(filters: AuditFilters, after: tuple | None = None) -> list:
    branches = []
    for source, model in (("region", AuditEvent), ("platform", PlatformAuditEvent)):
        if model is AuditEvent and filters.region == PLATFORM_ONLY:
            continue
        conds = _conditions(model, filters)
        if after is not None:
            at, event_id = after
            conds.append(or_(model.at < at, and_(model.at == at, model.id < event_id)))
        branches.append(select(
            literal(source).label("source"), model.id.label("id"), model.at.label("at"),
            model.tenant_id.label("tenant_id"), model.actor.label("actor"), model.action.label("action"),
            model.object_type.label("object_type"), model.object_id.label("object_id"),
            model.ip.label("ip"), model.detail.label("detail"),
        ).where(*conds))
    return branches


def _merged(filters: AuditFilters, after: tuple | None = None):
    merged = union_all(*_branches(filters, after)).subquery("events")
    return select(merged).order_by(merged.c.at.desc(), merged.c.id.desc())


#: The trail counts matching events up to this many (counting every one of a million rows took 170 ms
#: a page); past it the page says "more than", and the filters or the CSV reach further back.
COUNT_CAP = 10_000


def count_events(filters: AuditFilters, cap: int | None = None) -> int:
    """Matching events, counted up to `cap` (default `COUNT_CAP`) + 1: a number above it means "more"."""
    cap = COUNT_CAP if cap is None else cap
    total = 0
    for model in (AuditEvent, PlatformAuditEvent):
        if model is AuditEvent and filters.region == PLATFORM_ONLY:
            continue
        upto = select(model.id).where(*_conditions(model, filters)).limit(cap + 1 - total).subquery()
        total += db.session.scalar(select(func.count()).select_from(upto)
                                   .execution_options(**{ALL_TENANTS: True})) or 0
        if total > cap:
            break
    return total


def page_of_events(filters: AuditFilters) -> Pagination:
    """The page of matching events asked for, newest first (`.items`, masked)."""
    pager = page_of(_merged(filters).execution_options(**{ALL_TENANTS: True}), filters.page, PAGE_SIZE,
                    counter=lambda: count_events(filters))
    pager.items = [masked(row) for row in pager.items]
    return pager


def iter_events(filters: AuditFilters, batch: int = 500) -> Iterator:
    """Every matching event, newest first, fetched in keyset batches (for the CSV export)."""
    after = None
    while True:
        rows = db.session.execute(_merged(filters, after).limit(batch)
                                  .execution_options(**{ALL_TENANTS: True})).all()
        for row in rows:
            yield masked(row)
        if len(rows) < batch:
            return
        after = (rows[-1].at, rows[-1].id)


@dataclass
class EventRow:
    source: str
    id: uuid.UUID
    at: datetime
    tenant_id: uuid.UUID | None
    actor: str
    action: str
    object_type: str
    object_id: str
    ip: str
    detail: Any


def masked(row) -> EventRow:
    """The row with any 16-digit number (NIK, KK) in its details or object id masked."""
    return EventRow(source=row.source, id=row.id, at=row.at, tenant_id=row.tenant_id, actor=row.actor,
                    action=row.action, object_type=row.object_type, object_id=mask_text(row.object_id),
                    ip=row.ip, detail=_mask(row.detail))


def mask_text(value: str) -> str:
    return _NIK_LIKE.sub(lambda m: mask_nik(m.group(0)), value or "")


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and len(str(value)) == 16:
        return mask_nik(str(value))
    return value
