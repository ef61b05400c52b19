"""Writing an imported configuration into the live region (see `importer.apply_import`).

Only values that differ are assigned, so importing what the region already is leaves
every row as it was. Nothing is deleted: what the file leaves out is retired.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.log import record
from app.casework.models import Partner
from app.casework.sop_drafts import current_draft, discard_draft
from app.casework.sop_store import publish_version
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.tenancy.models import Tenant, utcnow
from app.tenants.template import RegionTemplate

REGION_FIELDS = ("name", "kind", "service_name", "service_full_name", "regulation_title", "regulation_short",
                 "regulation_about")


def _assign(obj, **values) -> bool:
    """Set the attributes that differ; returns whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def apply_region(tenant: Tenant, template: RegionTemplate) -> None:
    """Region fields, service names and terminology from the file."""
    _assign(tenant, **{name: getattr(template, name) for name in REGION_FIELDS})
    if template.ticket_prefix:  # a file without one keeps the region's; new tickets only (issued ones stay)
        _assign(tenant, ticket_prefix=template.ticket_prefix)
    if dict(tenant.terminology or {}) != template.terminology:
        tenant.terminology = dict(template.terminology)


def _reorder(rows: dict, keys: list[str]) -> bool:
    """Renumber when the file adds keys or orders the existing ones differently."""
    active = [k for k, r in sorted(rows.items(), key=lambda kv: kv[1].sort_order) if r.retired_at is None]
    if any(k not in rows or rows[k].retired_at is not None for k in keys):
        return True
    common = set(active) & set(keys)
    return [k for k in active if k in common] != [k for k in keys if k in common]


def apply_units_and_positions(template: RegionTemplate) -> None:
    """Units and positions by key: created, updated, reactivated, or retired when left out."""
    now = utcnow()
    units = {u.key: u for u in db.session.scalars(select(OrgUnit))}
    renumber = _reorder(units, [s.key for s in template.units])
    for order, spec in enumerate(template.units):
        district = spec.district or (spec.village.rsplit(".", 1)[0] if spec.village else None)
        values = dict(name=spec.name, kind=spec.kind, legal_basis=spec.legal_basis,
                      service_areas=",".join(spec.service_areas), district_code=district,
                      village_code=spec.village, retired_at=None)
        unit = units.get(spec.key)
        if unit is None:
            unit = units[spec.key] = OrgUnit(key=spec.key, sort_order=order, **values)
            db.session.add(unit)
        else:
            _assign(unit, **values)
        if renumber:
            _assign(unit, sort_order=order)
    db.session.flush()
    for spec in template.units:
        _assign(units[spec.key], parent_id=units[spec.parent].id if spec.parent else None)
    kept = {s.key for s in template.units}
    for key, unit in units.items():
        if key not in kept and unit.retired_at is None:
            unit.retired_at = now

    positions = {p.key: p for p in db.session.scalars(select(Position))}
    renumber = _reorder(positions, [s.key for s in template.positions])
    for order, post in enumerate(template.positions):
        post_values = dict(unit_id=units[post.unit].id, title=post.title, role=post.role, ex_officio=post.ex_officio,
                           legal_basis=post.legal_basis, area_level=post.area, retired_at=None,
                           **post.decree.columns())
        position = positions.get(post.key)
        if position is None:
            position = positions[post.key] = Position(key=post.key, sort_order=order, **post_values)
            db.session.add(position)
        else:
            _assign(position, **post_values)
        if renumber:
            _assign(position, sort_order=order)
    kept = {s.key for s in template.positions}
    for key, position in positions.items():
        if key not in kept and position.retired_at is None:
            position.retired_at = now
    db.session.flush()


def apply_partners(template: RegionTemplate) -> None:
    """Partners by name: created, updated, reactivated, or retired when left out."""
    now = utcnow()
    partners = {p.name: p for p in db.session.scalars(select(Partner))}
    for spec in template.partners:
        values = dict(level=spec["level"], kind=spec["kind"], contact=spec["contact"],
                      service_areas=",".join(spec["service_areas"]), retired_at=None)
        partner = partners.get(spec["name"])
        if partner is None:
            db.session.add(Partner(name=spec["name"], **values))
        else:
            _assign(partner, **values)
    kept = {s["name"] for s in template.partners}
    for name, partner in partners.items():
        if name not in kept and partner.retired_at is None:
            partner.retired_at = now


def apply_sop(template: RegionTemplate, user) -> None:
    """Publish the file's SOP as a new version (a draft in progress is discarded)."""
    draft = current_draft()
    if draft is not None:
        discard_draft(draft)
    regulation = template.sop.get("regulation") or template.regulation_short
    version = publish_version(template.sop, regulation=regulation, user_id=user.id,
                              note=_("Diimpor dari berkas %(f)s", f=template.source))
    record("config.sop.publish", "sop_version", version.id, number=version.number, regulation=regulation,
           note=version.note, source="import")


def apply_review_chains(tenant: Tenant, template: RegionTemplate) -> None:
    """The file's review chains become the region's own (a kind it leaves out follows the default)."""
    if dict(tenant.review_chains or {}) != template.review_chains:
        tenant.review_chains = {kind: [dict(stage) for stage in chain]
                                for kind, chain in template.review_chains.items()}


def apply_permissions(tenant: Tenant, template: RegionTemplate) -> None:
    """The file's permissions become the region's own (a capability it leaves out keeps the default)."""
    if dict(tenant.permissions or {}) != template.permissions:
        tenant.permissions = {capability: {"roles": list(rule["roles"]), "legal_basis": rule["legal_basis"]}
                              for capability, rule in template.permissions.items()}


def apply_programs(template: RegionTemplate, current: RegionTemplate | None = None) -> None:
    """The programs the file lists, by code: created, or updated where they differ from `current`.

    Programs the file leaves out stay as they are (`active: false` takes one out of use). New
    ones go after the catalogue's last. Flushes.
    """
    from app.programs.models import Program

    if template.programs is None:
        return
    before = {p["code"]: p for p in (current.programs or [])} if current is not None else {}
    partners = {p.name: p.id for p in db.session.scalars(select(Partner))}  # a retired one stays a program's
    programs = {p.code: p for p in db.session.scalars(select(Program))}
    order = max((p.sort_order for p in programs.values()), default=-1) + 1
    for spec in template.programs:
        if spec["code"] in before and before[spec["code"]] == spec:
            continue
        values = dict(name=spec["name"], level=spec["level"],
                      partner_id=partners.get(spec["partner"]) if spec["partner"] else None,
                      description=spec["description"], legal_basis=spec["legal_basis"],
                      register_flag=spec["register_flag"], member_level=spec["member_level"],
                      criteria=list(spec["criteria"]), ranking=list(spec["ranking"]), active=spec["active"])
        program = programs.get(spec["code"])
        if program is None:
            db.session.add(Program(code=spec["code"], sort_order=order, **values))
            order += 1
        else:
            _assign(program, **values)
    db.session.flush()
