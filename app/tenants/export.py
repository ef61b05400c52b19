"""A live region's configuration as a template (the onboarding format, `FORMAT.md`).

Used to export a region's configuration, and as the starting point when a new region
copies an existing one's structure. `export_region` keeps citations in their stored shape (one string);
`to_yaml` writes those with a kind or another regulation as mappings. Round trip: exporting, then validating the result,
gives back the same units, positions, SOP, partners, review chains, permissions and program catalogue.
"""
from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select

from app.casework.models import Partner
from app.casework.sop_store import current_version
from app.extensions import db
from app.org.decree import Decree
from app.org.models import OrgUnit, Position
from app.org.service_areas import own_areas as own_service_areas
from app.org.service_areas import service_areas
from app.org.vocabulary import AREA_LEVEL_BY_ROLE
from app.programs.models import Program
from app.reference.citations import for_yaml
from app.reviews.vocabulary import ReviewedKind
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.tenants.permission_rules import own_rules
from app.tenants.template import FORMAT_VERSION


def export_region(tenant: Tenant) -> dict[str, Any]:
    """The region's current configuration as a template mapping (retired items left out)."""
    with tenant_context(tenant):
        units = db.session.scalars(select(OrgUnit).where(OrgUnit.retired_at.is_(None))
                                   .order_by(OrgUnit.sort_order)).all()
        keys = {u.id: u.key for u in units}
        positions = db.session.scalars(select(Position).where(Position.retired_at.is_(None))
                                       .order_by(Position.sort_order)).all()
        partners = db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))
                                      .order_by(Partner.name)).all()
        sop = dict(current_version().definition)
        programs = db.session.scalars(select(Program).order_by(Program.sort_order, Program.name)).all()
        partner_names: dict = {pid: name for pid, name in db.session.execute(select(Partner.id, Partner.name))}
    region: dict[str, Any] = {
        "code": tenant.region_code, "slug": tenant.slug, "name": tenant.name, "kind": tenant.kind,
        "service_name": tenant.service_name,
        "regulation": {"title": tenant.regulation_title, "short": tenant.regulation_short},
        "ticket_prefix": tenant.ticket_prefix,
    }
    if tenant.service_full_name:
        region["service_full_name"] = tenant.service_full_name
    if tenant.regulation_about:
        region["regulation"]["about"] = tenant.regulation_about
    if tenant.terminology:
        region["terminology"] = dict(tenant.terminology)
    own_areas = own_service_areas(tenant)
    out: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "region": region,
        **({"service_areas": [a.to_data() for a in own_areas]} if own_areas else {}),
        "units": [_unit(u, keys) for u in units],
        "positions": [_position(p, keys) for p in positions if p.unit_id in keys],
        "partners": [_partner(p) for p in partners],
        "sop": sop,
    }
    _only_listed_areas(out, set(service_areas(tenant)))
    own = tenant.review_chains or {}
    if own:  # the kinds the region set itself; the others follow the defaults
        out["reviews"] = {kind.value: own[kind.value] for kind in ReviewedKind if own.get(kind.value)}
    permissions = own_rules(tenant)
    if permissions:  # the capabilities the region set itself, with their articles; the others keep the defaults
        out["permissions"] = permissions
    if programs:
        out["programs"] = [_program(p, partner_names) for p in programs]
    return out


def _only_listed_areas(out: dict[str, Any], listed: set[str]) -> None:
    """Leave out the areas the region retired (still on old records, no longer in its list): a file
    names only areas it lists, so the export can be imported again."""
    for item in out["units"] + out["partners"]:
        if "service_areas" in item:
            item["service_areas"] = [a for a in item["service_areas"] if a in listed]
            if not item["service_areas"]:
                del item["service_areas"]
    routing = out["sop"].get("routing")
    if isinstance(routing, dict) and any(a not in listed for a in routing):
        out["sop"] = {**out["sop"], "routing": {a: u for a, u in routing.items() if a in listed}}


def _unit(unit: OrgUnit, keys: dict) -> dict[str, Any]:
    out: dict[str, Any] = {"key": unit.key, "name": unit.name, "kind": unit.kind,
                           "parent": keys.get(unit.parent_id), "legal_basis": unit.legal_basis}
    if unit.service_areas:
        out["service_areas"] = unit.service_areas.split(",")
    if unit.village_code:
        out["village"] = unit.village_code
    elif unit.district_code:
        out["district"] = unit.district_code
    return out


def _position(position: Position, keys: dict) -> dict[str, Any]:
    out: dict[str, Any] = {"key": position.key, "unit": keys[position.unit_id], "title": position.title,
                           "role": position.role, "legal_basis": position.legal_basis}
    if position.ex_officio:
        out["ex_officio"] = position.ex_officio
    if position.area_level and position.area_level != AREA_LEVEL_BY_ROLE.get(position.role):
        out["area"] = position.area_level
    decree = Decree.of(position)
    if decree:
        out["decree"] = decree.to_yaml()
    return out


def _partner(partner: Partner) -> dict[str, Any]:
    out: dict[str, Any] = {"name": partner.name, "level": partner.level, "kind": partner.kind}
    if partner.contact:
        out["contact"] = partner.contact
    if partner.service_areas:
        out["service_areas"] = partner.service_areas.split(",")
    return out


def _program(program: Program, partner_names: dict) -> dict[str, Any]:
    """A catalogue entry. Its partner is named even when retired (the program keeps it; import accepts it)."""
    out: dict[str, Any] = {"code": program.code, "name": program.name, "level": program.level}
    if program.partner_id in partner_names:
        out["partner"] = partner_names[program.partner_id]
    for name in ("description", "legal_basis", "register_flag"):
        if getattr(program, name):
            out[name] = getattr(program, name)
    if program.member_level:
        out["member_level"] = True
    if program.criteria:
        out["criteria"] = list(program.criteria)
    if program.ranking:
        out["ranking"] = list(program.ranking)
    if not program.active:
        out["active"] = False
    return out


def to_yaml(template: dict[str, Any]) -> str:
    """The template as YAML; each citation a plain string when stated and the region's own, otherwise
    a mapping {text, kind, regulation} (`export_region` keeps them in their stored shape)."""
    return yaml.safe_dump(for_yaml(template), allow_unicode=True, sort_keys=False, width=100)
