"""Region templates: YAML files that describe a region's SLRT as data.

A template is parsed and validated as a whole before anything is written; every
problem is reported with the file, the entry and what is wrong. The format is
documented in `app/tenants/templates/FORMAT.md`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from app.errors import Invalid
from app.org.vocabulary import SERVICE_AREAS
from app.reference.citations import normalise as normalise_citations
from app.tenants.safe_yaml import TooComplex, load_bounded
from app.tenants.template_org import KEY_RE, OrgSections, PositionSpec, UnitSpec
from app.tenants.template_region import REGION_KINDS, RESERVED_SLUGS, SLUG_RE, RegionSections

__all__ = ["KEY_RE", "REGION_KINDS", "RESERVED_SLUGS", "SLUG_RE", "PositionSpec", "RegionTemplate", "TemplateError",
           "UnitSpec", "load_template_file", "load_yaml", "parse_template"]

FORMAT_VERSION = 1
#: The shipped templates are <= 16 KB (~800 nodes, 6 levels deep; see `safe_yaml` for those limits).
MAX_TEMPLATE_BYTES = 512 * 1024


class TemplateError(Invalid):
    """A template was refused; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems), {"": problems})


@dataclass
class RegionTemplate:
    source: str
    code: str
    slug: str
    name: str
    kind: str
    service_name: str
    service_full_name: str
    regulation_title: str
    regulation_short: str
    regulation_about: str
    terminology: dict[str, str]
    units: list[UnitSpec]
    positions: list[PositionSpec]
    sop: dict[str, Any]
    raw: dict[str, Any]
    partners: list[dict[str, Any]] = field(default_factory=list)
    #: kind → chain (`app.reviews.chains`): the region's own review chains; a kind left out follows the default.
    review_chains: dict[str, list[dict]] = field(default_factory=dict)
    #: Programs the file adds to or changes in the catalogue (by code); None = no `programs:` section.
    programs: list[dict[str, Any]] | None = None
    #: capability → {"roles": [...], "legal_basis": ...} (`app.permissions`); a capability left out keeps the default.
    permissions: dict[str, dict] = field(default_factory=dict)
    #: The region's own service areas (`service_areas:`), each {key, label, maps_to, legal_basis}
    #: (`app.org.service_areas`); units, partners and the SOP's routing may name them.
    service_areas: list[dict[str, Any]] = field(default_factory=list)
    #: What the region's ticket numbers start with (`region.ticket_prefix`); "" = not set by the file
    #: (onboarding derives it, import keeps the region's; `app.tenants.ticket_prefix`).
    ticket_prefix: str = ""


def load_template_file(path: str | Path, known_regions=None) -> RegionTemplate:
    """Read and validate a template file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(str(path), [_("berkas tidak dapat dibaca: %(err)s", err=exc.strerror)]) from exc
    return parse_template(text, source=path.name, known_regions=known_regions)


def load_yaml(text: str, source: str) -> Any:
    """Parse untrusted YAML within the limits above, or raise `TemplateError` saying why."""
    if len(text.encode("utf-8")) > MAX_TEMPLATE_BYTES:
        raise TemplateError(source, [_("berkas terlalu besar (paling besar %(kb)s KB)", kb=MAX_TEMPLATE_BYTES // 1024)])
    try:
        return load_bounded(text)
    except TooComplex as exc:
        raise TemplateError(source, [exc.message]) from None
    except yaml.YAMLError as exc:
        from app.tenants.yaml_errors import yaml_problem

        raise TemplateError(source, [_("YAML tidak sah, %(problem)s", problem=yaml_problem(exc))]) from None


def parse_template(text: str, source: str, known_regions=None) -> RegionTemplate:
    """Parse YAML text into a validated `RegionTemplate`, or raise `TemplateError`.

    `known_regions` maps a Kemendagri code to something truthy for each official
    regency/city; when given, the region code must be in it.
    """
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise TemplateError(source, [_("isi berkas harus berupa pemetaan YAML (kunci: nilai)")])
    return _Validator(source, data, known_regions).run()


class _Validator(RegionSections, OrgSections):
    def __init__(self, source: str, data: dict, known_regions):
        self.source = source
        self.data = data
        self.known_regions = known_regions
        self.problems: list[str] = []
        self.area_keys: set[str] = set(SERVICE_AREAS)  # the built-in areas and the file's own (`service_areas:`)

    def fail(self, entry: str, message: str) -> None:
        self.problems.append(f"{entry}: {message}")

    def text(self, mapping: dict, key: str | int, entry: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(entry, _("'%(key)s' wajib diisi", key=key))
            return ""
        if not isinstance(value, (str, int, float)):
            self.fail(entry, _("'%(key)s' harus berupa teks", key=key))
            return ""
        return str(value).strip()

    def run(self) -> RegionTemplate:
        data = self.data
        self.problems.extend(normalise_citations(data))
        fmt = data.get("format", FORMAT_VERSION)
        if fmt != FORMAT_VERSION:
            self.fail("format", _("versi format %(v)s tidak dikenal (harus %(f)s)", v=fmt, f=FORMAT_VERSION))
        region = data.get("region")
        if not isinstance(region, dict):
            self.fail("region", _("bagian 'region' wajib ada"))
            region = {}
        reg = self._region(region)
        own_areas = self._own_service_areas(data.get("service_areas"))
        units = self._units(data.get("units"))
        positions = self._positions(data.get("positions"), {u.key: u for u in units})
        sop = self._sop(data.get("sop"), units, positions)
        if self.problems:
            raise TemplateError(self.source, self.problems)
        partners = self._partners(data.get("partners") or [])
        review_chains, programs = self._reviews_and_programs(data, positions, partners)
        permissions = self._permissions(data, positions)
        if self.problems:
            raise TemplateError(self.source, self.problems)
        return RegionTemplate(source=self.source, units=units, positions=positions, sop=sop, raw=data,
                              partners=partners, review_chains=review_chains, programs=programs,
                              permissions=permissions, service_areas=own_areas, **reg)

    def _own_service_areas(self, items) -> list[dict[str, Any]]:
        """The `service_areas:` section: the region's own areas; sets `area_keys` for the sections after it."""
        from app.org.service_areas import check_own_areas

        areas, problems = check_own_areas(items)
        self.problems.extend(problems)
        self.area_keys = set(SERVICE_AREAS) | {a.key for a in areas}
        return [a.to_data() for a in areas]

    def _permissions(self, data: dict, positions: list[PositionSpec]) -> dict[str, dict]:
        """The `permissions:` rules (CONFIGURE must stay with a role the file's posts hold)."""
        from app.tenants.permission_rules import check_permissions

        rules, problems = check_permissions(data.get("permissions"), {p.role for p in positions})
        self.problems.extend(problems)
        return rules

    def _reviews_and_programs(self, data: dict, positions: list[PositionSpec], partners: list[dict]):
        """The `reviews:` chains (roles held by the file's posts) and the `programs:` entries."""
        from app.reviews.chains import check_chains
        from app.tenants.template_programs import check_programs, region_partner_names

        chains, problems = check_chains(data.get("reviews"), {p.role for p in positions})
        self.problems.extend(problems)
        names = {p["name"] for p in partners} | region_partner_names()
        programs, problems = check_programs(data.get("programs"), names)
        self.problems.extend(problems)
        return chains, programs

    def _sop(self, data, units: list[UnitSpec], positions: list[PositionSpec]) -> dict:
        from app.casework.sop import SopError, check_roles_held, parse_sop
        from app.casework.sop_checks import channel_problems, template_posts

        if not data:
            self.fail("sop", _("bagian 'sop' wajib ada (jalur masuk, tahap, langkah, pemetaan bidang)"))
            return {}
        try:
            sop = parse_sop(data, unit_keys=[u.key for u in units if u.kind == "back_office"],
                            own_areas=self.area_keys - set(SERVICE_AREAS))
        except SopError as exc:
            self.problems.extend(exc.problems)
            return data if isinstance(data, dict) else {}
        self.problems.extend(check_roles_held(sop, {p.role for p in positions}, channels=False))
        self.problems.extend(channel_problems(sop, template_posts(units, positions)))
        if "escalation" in data:
            from app.notices.escalation import parse_escalation

            self.problems.extend(parse_escalation(data["escalation"], {p.role for p in positions})[1])
        return data

