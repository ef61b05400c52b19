"""Creating a region from a validated template, all or nothing: the region, its org chart, SOP,
partners, review chains, permissions and program catalogue (the national programs, then the
template's own)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit, Position
from app.reference.models import District, Regency, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, TenantStatus
from app.tenants.template import RegionTemplate, TemplateError, load_template_file
from app.tenants.ticket_prefix import default_prefix, prefix_problem


def known_region_codes() -> set[str]:
    """Codes of the 514 official regencies/cities."""
    return set(db.session.scalars(select(Regency.code)))


def load_and_validate(path) -> RegionTemplate:
    """Read a template file and check it against the official region list."""
    return load_template_file(path, known_regions=known_region_codes())


def onboard_region(template: RegionTemplate, status: str = TenantStatus.ACTIVE.value) -> Tenant:
    """Create the tenant, its units and positions. Flushes; the caller commits.

    Refuses (TemplateError) a region or subdomain that already exists, and unit areas
    that are not in the region; nothing is written in that case.
    """
    problems = _check_against_database(template)
    if problems:
        raise TemplateError(template.source, problems)
    tenant = Tenant(
        slug=template.slug,
        region_code=template.code,
        name=template.name,
        kind=template.kind,
        service_name=template.service_name,
        service_full_name=template.service_full_name,
        regulation_title=template.regulation_title,
        regulation_short=template.regulation_short,
        regulation_about=template.regulation_about,
        terminology=template.terminology,
        ticket_prefix=template.ticket_prefix or default_prefix(template.slug),
        review_chains={kind: [dict(stage) for stage in chain] for kind, chain in template.review_chains.items()},
        permissions={capability: {"roles": list(rule["roles"]), "legal_basis": rule["legal_basis"]}
                     for capability, rule in template.permissions.items()},
        own_service_areas=[dict(area) for area in template.service_areas],
        status=status,
        template_source=template.source,
    )
    db.session.add(tenant)
    db.session.flush()
    with tenant_context(tenant):
        units = _create_units(template)
        _create_positions(template, units)
        db.session.flush()
        _publish_sop(template)
        _create_partners(template)
        db.session.flush()
        _create_programs(template)
    return tenant


def _check_against_database(template: RegionTemplate) -> list[str]:
    problems = []
    from app.tenancy.models import TenantAlias

    if db.session.scalar(select(Tenant.id).where(Tenant.slug == template.slug)):
        problems.append(_("region.slug: subdomain '%(s)s' sudah dipakai daerah lain", s=template.slug))
    elif db.session.scalar(select(TenantAlias.id).where(TenantAlias.old_slug == template.slug)):
        problems.append(_("region.slug: subdomain '%(s)s' adalah alamat lama daerah lain dan masih dialihkan",
                          s=template.slug))
    existing = db.session.scalar(select(Tenant).where(Tenant.region_code == template.code))
    if existing:
        problems.append(_("region.code: daerah %(c)s sudah terdaftar sebagai '%(s)s'",
                          c=template.code, s=existing.slug))
    if template.ticket_prefix and (problem := prefix_problem(template.ticket_prefix)):
        problems.append(f"region.ticket_prefix: {problem}")
    prefix = template.code + "."
    for i, unit in enumerate(template.units):
        entry = f"units[{i + 1}] ({unit.key})"
        if unit.district and (not unit.district.startswith(prefix) or not db.session.get(District, unit.district)):
            problems.append(_("%(e)s: kecamatan '%(d)s' bukan bagian dari daerah ini", e=entry, d=unit.district))
        if unit.village and (not unit.village.startswith(prefix) or not db.session.get(Village, unit.village)):
            problems.append(_("%(e)s: kelurahan/desa '%(v)s' bukan bagian dari daerah ini", e=entry, v=unit.village))
    return problems


def _create_units(template: RegionTemplate) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    pending = list(template.units)
    order = 0
    # Parents before children, whatever order the file lists them in.
    while pending:
        progressed = False
        for spec in list(pending):
            if spec.parent and spec.parent not in units:
                continue
            village_district = spec.village.rsplit(".", 1)[0] if spec.village else None
            unit = OrgUnit(
                key=spec.key,
                name=spec.name,
                kind=spec.kind,
                parent=units.get(spec.parent) if spec.parent else None,
                legal_basis=spec.legal_basis,
                service_areas=",".join(spec.service_areas),
                district_code=spec.district or village_district,
                village_code=spec.village,
                sort_order=order,
            )
            order += 1
            db.session.add(unit)
            units[spec.key] = unit
            pending.remove(spec)
            progressed = True
        if not progressed:  # the validator already refuses cycles; never loop forever
            raise TemplateError(template.source, [_("susunan unit tidak dapat diurutkan")])
    return units


def _create_positions(template: RegionTemplate, units: dict[str, OrgUnit]) -> None:
    for order, spec in enumerate(template.positions):
        db.session.add(Position(
            key=spec.key,
            unit=units[spec.unit],
            title=spec.title,
            role=spec.role,
            ex_officio=spec.ex_officio,
            legal_basis=spec.legal_basis,
            area_level=spec.area,
            sort_order=order,
            **spec.decree.columns(),
        ))


def _publish_sop(template: RegionTemplate) -> None:
    from app.casework.sop_store import publish_version

    regulation = template.sop.get("regulation") or template.regulation_short
    publish_version(template.sop, regulation=regulation, note=_("Dari templat %(s)s", s=template.source))


def _create_partners(template: RegionTemplate) -> None:
    from app.casework.models import Partner

    for spec in template.partners:
        db.session.add(Partner(name=spec["name"], level=spec["level"], kind=spec.get("kind", "opd"),
                               contact=spec.get("contact", ""),
                               service_areas=",".join(spec.get("service_areas", []))))


def _create_programs(template: RegionTemplate) -> None:
    """The national catalogue, then the programs the template adds or changes (`programs:`)."""
    from app.programs.catalogue import seed_national_programs
    from app.tenants.config_apply import apply_programs

    seed_national_programs(audited=False)
    apply_programs(template)
    db.session.flush()  # the seed's audit event too, while the region is in context
