"""Importing a configuration file (the onboarding template format) into the live region.

Two steps, nothing written in the first: `prepare_import` validates the file like
onboarding does (except that the region must already be this one) and compares it with
the region as `export_region` describes it; `apply_import` then makes the region match
the file. Units and positions are matched by key, partners by name; what the file no
longer lists is retired, never deleted (refused while staff or open cases depend on it).
A different SOP is published as a new version; open cases keep theirs. The review chains
become the file's (`reviews:`; a kind it leaves out follows the default), and so do the
permissions (`permissions:`; a capability it leaves out keeps the default; a file that would
leave no active member able to configure the region is refused); the programs the file lists
are added or changed by code, the others are left as they are. Round trip: importing a fresh
export finds no change and writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Membership, User
from app.audit.log import record
from app.casework.models import Case
from app.casework.sop_diff import Change, diff_sop
from app.casework.vocabulary import PartnerKind
from app.errors import Conflict
from app.extensions import db
from app.org.decree import from_yaml as decree_from_yaml
from app.org.models import OrgUnit, Position
from app.org.vocabulary import AREA_LEVEL_BY_ROLE
from app.permissions import DEFAULTS, Capability
from app.reference.models import District, Village
from app.tenancy.models import Tenant
from app.tenants.config_areas import apply_service_areas, area_blockers, diff_service_areas
from app.tenants.config_diff import diff_permissions, diff_programs, diff_region, diff_reviews, diff_rows
from app.tenants.export import export_region
from app.tenants.onboarding import known_region_codes
from app.tenants.permission_rules import lock_out_problem
from app.tenants.template import PositionSpec, RegionTemplate, TemplateError, UnitSpec, parse_template
from app.tenants.template_programs import program_spec
from app.tenants.ticket_prefix import prefix_problem


@dataclass
class ImportPlan:
    """A validated file and what importing it would change."""

    template: RegionTemplate
    current: RegionTemplate
    changes: list[Change] = field(default_factory=list)
    sop_changed: bool = False
    blockers: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether importing the file would change nothing."""
        return not self.changes and not self.sop_changed


class ImportRefused(Conflict):
    """Applying was refused: the file retires something still in use."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(errors={"": problems})


def current_template(tenant: Tenant) -> RegionTemplate:
    """The region as it is now, in the shape `parse_template` gives (not re-validated)."""
    data = export_region(tenant)
    region = data["region"]
    units = [UnitSpec(key=u["key"], name=u["name"], kind=u["kind"], parent=u.get("parent"),
                      legal_basis=u.get("legal_basis") or "", service_areas=list(u.get("service_areas") or []),
                      district=u.get("district"), village=u.get("village")) for u in data["units"]]
    positions = [PositionSpec(key=p["key"], unit=p["unit"], title=p["title"], role=p["role"],
                              ex_officio=p.get("ex_officio") or "", legal_basis=p.get("legal_basis") or "",
                              area=p.get("area") or AREA_LEVEL_BY_ROLE.get(p["role"]),
                              decree=decree_from_yaml(p.get("decree"))[0]) for p in data["positions"]]
    partners = [{"name": p["name"], "level": p["level"], "kind": p.get("kind") or "opd",
                 "contact": p.get("contact") or "", "service_areas": list(p.get("service_areas") or [])}
                for p in data["partners"]]
    programs = [program_spec(p) for p in data["programs"]] if "programs" in data else None
    return RegionTemplate(
        source="current", code=region["code"], slug=region["slug"], name=region["name"], kind=region["kind"],
        service_name=region["service_name"], service_full_name=region.get("service_full_name") or "",
        regulation_title=region["regulation"]["title"], regulation_short=region["regulation"]["short"],
        regulation_about=region["regulation"].get("about") or "",
        terminology=dict(region.get("terminology") or {}), ticket_prefix=region.get("ticket_prefix") or "",
        units=units, positions=positions,
        sop=data["sop"], raw=data, partners=partners, review_chains=dict(data.get("reviews") or {}),
        programs=programs, permissions=dict(data.get("permissions") or {}),
        service_areas=[dict(a) for a in data.get("service_areas") or []])


def prepare_import(tenant: Tenant, text: str, source: str) -> ImportPlan:
    """Validate `text` for this region and compare it with the region; writes nothing.

    Raises TemplateError with every problem (line-level YAML errors included).
    """
    template = parse_template(text, source=source, known_regions=known_region_codes())
    problems = _check_region(tenant, template)
    if problems:
        raise TemplateError(source, problems)
    current = current_template(tenant)
    plan = ImportPlan(template=template, current=current, sop_changed=current.sop != template.sop)
    plan.changes = (diff_region(current, template) + diff_service_areas(current, template)
                    + diff_rows(current, template) + diff_reviews(current, template)
                    + diff_permissions(current, template) + diff_programs(current, template))
    sop_changes = diff_sop(current.sop, template.sop, unit_names={u.key: u.name for u in template.units})
    if plan.sop_changed and not sop_changes:
        sop_changes = [Change("changed", "sop", _("penulisan SOP (tanpa perubahan isi yang terbaca)"))]
    plan.changes += sop_changes
    plan.blockers = _blockers(current, template) + area_blockers(tenant, template)
    return plan


def _check_region(tenant: Tenant, template: RegionTemplate) -> list[str]:
    """The DB-aware checks of onboarding, for a file that must describe this very region."""
    problems = []
    if template.code != tenant.region_code or template.slug != tenant.slug:
        problems.append(_("region: berkas ini untuk daerah %(c)s (%(s)s), bukan %(name)s (%(mc)s, %(ms)s)",
                          c=template.code, s=template.slug, name=tenant.name, mc=tenant.region_code, ms=tenant.slug))
    if template.ticket_prefix and (problem := prefix_problem(template.ticket_prefix, tenant.id)):
        problems.append(f"region.ticket_prefix: {problem}")
    prefix = template.code + "."
    for i, unit in enumerate(template.units):
        entry = f"units[{i + 1}] ({unit.key})"
        if unit.district and (not unit.district.startswith(prefix) or not db.session.get(District, unit.district)):
            problems.append(_("%(e)s: kecamatan '%(d)s' bukan bagian dari daerah ini", e=entry, d=unit.district))
        if unit.village and (not unit.village.startswith(prefix) or not db.session.get(Village, unit.village)):
            problems.append(_("%(e)s: kelurahan/desa '%(v)s' bukan bagian dari daerah ini", e=entry, v=unit.village))
    for i, partner in enumerate(template.partners):
        if partner["kind"] not in PartnerKind.labels():
            problems.append(_("partners[%(i)s]: jenis lembaga '%(k)s' tidak dikenal (pilihan: %(o)s)",
                              i=i + 1, k=partner["kind"], o=", ".join(PartnerKind)))
    return problems


def _blockers(current: RegionTemplate, template: RegionTemplate) -> list[str]:
    """Retirements the file asks for that cannot be done while people or cases depend on them."""
    problems = []
    kept_units = {u.key for u in template.units}
    kept_positions = {p.key for p in template.positions}
    for post in current.positions:
        if post.key in kept_positions:
            continue
        names = db.session.scalars(
            select(User.name).join(Membership, Membership.user_id == User.id)
            .join(Position, Position.id == Membership.position_id)
            .where(Position.key == post.key, Membership.active.is_(True))).all()
        if names:
            problems.append(_("Jabatan \u201c%(t)s\u201d tidak ada di berkas, tetapi masih dipegang %(n)s. "
                              "Pindahkan atau nonaktifkan petugasnya dulu.", t=post.title, n=", ".join(names)))
    for spec in current.units:
        if spec.key in kept_units:
            continue
        count = db.session.scalar(select(func.count()).select_from(Case).join(OrgUnit, OrgUnit.id == Case.unit_id)
                                  .where(OrgUnit.key == spec.key, Case.closed_at.is_(None))) or 0
        if count:
            problems.append(_("Unit \u201c%(u)s\u201d tidak ada di berkas, tetapi masih menangani %(n)s kasus terbuka.",
                              u=spec.name, n=count))
    configure = template.permissions.get(Capability.CONFIGURE.value)
    if configure != current.permissions.get(Capability.CONFIGURE.value):  # nobody left to configure the region?
        problem = lock_out_problem(Capability.CONFIGURE,
                                   configure["roles"] if configure else DEFAULTS[Capability.CONFIGURE])
        if problem:
            problems.append(_("Hak akses \u201c%(c)s\u201d: %(p)s", c=Capability.CONFIGURE.label, p=problem))
    return problems


def apply_import(tenant: Tenant, plan: ImportPlan, user) -> list[Change]:
    """Make the region match the file. Flushes; the request commits. Returns the changes made."""
    if plan.blockers:
        raise ImportRefused(plan.blockers)
    if plan.empty:
        return []
    from app.tenants.config_apply import (
        apply_partners,
        apply_permissions,
        apply_programs,
        apply_region,
        apply_review_chains,
        apply_sop,
        apply_units_and_positions,
    )

    template = plan.template
    apply_region(tenant, template)
    apply_service_areas(tenant, template)
    apply_units_and_positions(template)
    apply_partners(template)
    apply_review_chains(tenant, template)
    apply_permissions(tenant, template)
    apply_programs(template, plan.current)
    if plan.sop_changed:
        apply_sop(template, user)
    db.session.flush()
    record("config.import.apply", "tenant", tenant.id, file=template.source,
           changes=[str(c) for c in plan.changes])
    return plan.changes
