"""Terminology changes: the region's own names for its service, register, secretariat and units."""
from __future__ import annotations

from sqlalchemy import select

from app.audit.log import record
from app.extensions import db
from app.org.models import OrgUnit
from app.tenancy.models import Tenant


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
