"""Terminology changes (the region's own names) and reading the configuration history."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.log import record
from app.audit.models import AuditEvent
from app.extensions import db
from app.org.models import OrgUnit
from app.tenants.models import Tenant

CONFIG_PREFIX = "config."
PAGE_SIZE = 25


def update_terms(tenant: Tenant, *, service_name: str, service_full_name: str, terms: dict[str, str],
                 unit_names: dict[str, str]) -> list[str]:
    """Service names, terminology keys (empty = the default word) and unit names.

    Returns the names of what changed; each change is one audit event with before/after.
    """
    changed = []
    before = {"service_name": tenant.service_name, "service_full_name": tenant.service_full_name or ""}
    after = {"service_name": service_name.strip(), "service_full_name": service_full_name.strip()}
    terminology = dict(tenant.terminology or {})
    for key, value in terms.items():
        value = value.strip()
        if terminology.get(key, "") != value:
            before[key], after[key] = terminology.get(key, ""), value
            if value:
                terminology[key] = value
            else:
                terminology.pop(key, None)
    diff = {k for k in after if before[k] != after[k]}
    if diff:
        tenant.service_name, tenant.service_full_name = after["service_name"], after["service_full_name"]
        tenant.terminology = terminology
        record("config.terms.update", "tenant", tenant.id, before={k: before[k] for k in diff},
               after={k: after[k] for k in diff})
        changed.extend(sorted(diff))
    units = {u.key: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.key.in_(list(unit_names))))}
    for key, name in unit_names.items():
        unit, name = units.get(key), " ".join(name.split())
        if unit is not None and name and unit.name != name:
            record("config.unit.rename", "org_unit", unit.id, key=key, before={"name": unit.name},
                   after={"name": name})
            unit.name = name
            changed.append(key)
    db.session.flush()
    return changed


@dataclass
class HistoryPage:
    """One page of configuration events with (event, user name) pairs."""
    events: list[tuple[AuditEvent, str]]
    total: int
    page: int
    pages: int
    kinds: list[str]


def config_history(kind: str = "", page: int = 1) -> HistoryPage:
    """The region's configuration events (`config.*`), newest first, optionally of one kind."""
    query = select(AuditEvent).where(AuditEvent.action.startswith(CONFIG_PREFIX))
    if kind:
        query = query.where(AuditEvent.action.startswith(f"{CONFIG_PREFIX}{kind}."))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.add_columns(User.name).outerjoin(User, User.id == AuditEvent.user_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith(CONFIG_PREFIX))
                                 .distinct()).all()
    kinds = sorted({a.split(".")[1] for a in actions if a.count(".") >= 2})
    return HistoryPage(events=[(e, n or "") for e, n in rows], total=total, page=page, pages=pages, kinds=kinds)
