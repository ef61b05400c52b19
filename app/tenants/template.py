"""Region templates: YAML files that describe a region's SLRT as data.

A template is parsed and validated as a whole before anything is written; every
problem is reported with the file, the entry and what is wrong. The format is
documented in `app/tenants/templates/FORMAT.md`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from app.casework.vocabulary import PartnerLevel
from app.errors import Invalid
from app.org.vocabulary import AREA_LEVEL_BY_ROLE, ROLES, SERVICE_AREAS, UNIT_KINDS, AreaLevel
from app.tenants.safe_yaml import TooComplex, load_bounded

FORMAT_VERSION = 1
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
KEY_RE = re.compile(r"^[a-z0-9_]{1,80}$")
REGION_KINDS = ("kabupaten", "kota")
RESERVED_SLUGS = frozenset({"www", "admin", "api", "static", "platform", "mail"})
#: The shipped templates are <= 16 KB (~800 nodes, 6 levels deep; see `safe_yaml` for those limits).
MAX_TEMPLATE_BYTES = 512 * 1024


class TemplateError(Invalid):
    """A template was refused; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems), {"": problems})


@dataclass
class UnitSpec:
    key: str
    name: str
    kind: str
    parent: str | None
    legal_basis: str = ""
    service_areas: list[str] = field(default_factory=list)
    district: str | None = None
    village: str | None = None


@dataclass
class PositionSpec:
    key: str
    unit: str
    title: str
    role: str
    ex_officio: str = ""
    legal_basis: str = ""
    area: str | None = None


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


class _Validator:
    def __init__(self, source: str, data: dict, known_regions):
        self.source = source
        self.data = data
        self.known_regions = known_regions
        self.problems: list[str] = []

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
        fmt = data.get("format", FORMAT_VERSION)
        if fmt != FORMAT_VERSION:
            self.fail("format", _("versi format %(v)s tidak dikenal (harus %(f)s)", v=fmt, f=FORMAT_VERSION))
        region = data.get("region")
        if not isinstance(region, dict):
            self.fail("region", _("bagian 'region' wajib ada"))
            region = {}
        reg = self._region(region)
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
                              permissions=permissions, **reg)

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

    def _partners(self, items) -> list[dict[str, Any]]:
        partners, seen = [], set()
        if not isinstance(items, list):
            self.fail("partners", _("harus berupa daftar"))
            return []
        for i, item in enumerate(items):
            entry = f"partners[{i + 1}]"
            if not isinstance(item, dict):
                self.fail(entry, _("setiap entri harus berupa pemetaan"))
                continue
            name = self.text(item, "name", entry)
            if name in seen:
                self.fail(entry, _("lembaga '%(n)s' muncul lebih dari sekali", n=name))
            seen.add(name)
            level = self.text(item, "level", entry)
            if level and level not in PartnerLevel.labels():
                self.fail(entry, _("tingkat '%(l)s' tidak dikenal (pilihan: %(o)s)",
                                   l=level, o=", ".join(PartnerLevel)))
            for area in item.get("service_areas") or []:
                if area not in SERVICE_AREAS:
                    self.fail(entry, _("bidang layanan '%(a)s' tidak dikenal", a=area))
            partners.append({"name": name, "level": level, "kind": self.text(item, "kind", entry, False) or "opd",
                             "contact": self.text(item, "contact", entry, required=False),
                             "service_areas": [a for a in item.get("service_areas") or [] if isinstance(a, str)]})
        return partners

    def _sop(self, data, units: list[UnitSpec], positions: list[PositionSpec]) -> dict:
        from app.casework.sop import SopError, check_roles_held, parse_sop

        if not data:
            self.fail("sop", _("bagian 'sop' wajib ada (jalur masuk, tahap, langkah, pemetaan bidang)"))
            return {}
        try:
            sop = parse_sop(data, unit_keys=[u.key for u in units if u.kind == "back_office"])
        except SopError as exc:
            self.problems.extend(exc.problems)
            return data if isinstance(data, dict) else {}
        self.problems.extend(check_roles_held(sop, {p.role for p in positions}))
        if "escalation" in data:
            from app.notices.escalation import parse_escalation

            self.problems.extend(parse_escalation(data["escalation"], {p.role for p in positions})[1])
        return data

    def _region(self, region: dict) -> dict:
        entry = "region"
        code = self.text(region, "code", entry)
        if code and not re.fullmatch(r"\d{2}\.\d{2}", code):
            self.fail(f"{entry}.code",
                      _("kode '%(code)s' bukan kode kabupaten/kota Kemendagri (contoh: 32.75)", code=code))
        elif code and self.known_regions is not None and code not in self.known_regions:
            self.fail(f"{entry}.code", _("kode '%(code)s' tidak ada dalam daftar resmi kabupaten/kota", code=code))
        slug = self.text(region, "slug", entry)
        if slug and (not SLUG_RE.match(slug) or slug in RESERVED_SLUGS):
            self.fail(f"{entry}.slug",
                      _("subdomain '%(slug)s' tidak sah: gunakan huruf kecil, angka dan tanda hubung", slug=slug))
        kind = self.text(region, "kind", entry)
        if kind and kind not in REGION_KINDS:
            self.fail(f"{entry}.kind", _("jenis daerah harus 'kabupaten' atau 'kota', bukan '%(kind)s'", kind=kind))
        regulation = region.get("regulation")
        if not isinstance(regulation, dict):
            self.fail(f"{entry}.regulation", _("bagian 'regulation' wajib ada (title, short)"))
            regulation = {}
        terminology = region.get("terminology") or {}
        if not isinstance(terminology, dict):
            self.fail(f"{entry}.terminology", _("harus berupa pemetaan istilah"))
            terminology = {}
        terminology = {str(k): self.text(terminology, k, f"{entry}.terminology") for k in terminology
                       if isinstance(k, (str, int))}
        return {
            "code": code,
            "slug": slug,
            "name": self.text(region, "name", entry),
            "kind": kind,
            "service_name": self.text(region, "service_name", entry),
            "service_full_name": self.text(region, "service_full_name", entry, required=False),
            "regulation_title": self.text(regulation, "title", f"{entry}.regulation"),
            "regulation_short": self.text(regulation, "short", f"{entry}.regulation"),
            "regulation_about": self.text(regulation, "about", f"{entry}.regulation", required=False),
            "terminology": terminology,
        }

    def _entries(self, items, section: str) -> list[tuple[str, dict]]:
        if not isinstance(items, list) or not items:
            self.fail(section, _("daftar '%(section)s' wajib ada dan tidak boleh kosong", section=section))
            return []
        out = []
        for i, item in enumerate(items):
            label = f"{section}[{i + 1}]"
            if not isinstance(item, dict):
                self.fail(label, _("setiap entri harus berupa pemetaan"))
                continue
            if item.get("key"):
                label += f" ({item['key']})"
            out.append((label, item))
        return out

    def _key(self, item: dict, entry: str, seen: set[str], what: str) -> str:
        key = self.text(item, "key", entry)
        if key and not KEY_RE.match(key):
            self.fail(entry, _("kunci '%(key)s' hanya boleh huruf kecil, angka dan garis bawah", key=key))
        elif key in seen:
            self.fail(entry, _("%(what)s '%(key)s' muncul lebih dari sekali", what=what, key=key))
        seen.add(key)
        return key

    def _units(self, items) -> list[UnitSpec]:
        units: list[UnitSpec] = []
        seen: set[str] = set()
        entries = self._entries(items, "units")
        for entry, item in entries:
            key = self._key(item, entry, seen, _("unit"))
            kind = self.text(item, "kind", entry)
            if kind and kind not in UNIT_KINDS:
                self.fail(entry, _("jenis unit '%(kind)s' tidak dikenal (pilihan: %(opts)s)",
                                   kind=kind, opts=", ".join(UNIT_KINDS)))
            areas = item.get("service_areas") or []
            if not isinstance(areas, list):
                self.fail(entry, _("'service_areas' harus berupa daftar"))
                areas = []
            for area in areas:
                if area not in SERVICE_AREAS:
                    self.fail(entry, _("bidang layanan '%(a)s' tidak dikenal (pilihan: %(opts)s)",
                                       a=area, opts=", ".join(SERVICE_AREAS)))
            units.append(UnitSpec(
                key=key, name=self.text(item, "name", entry), kind=kind,
                parent=self.text(item, "parent", entry, required=False) or None,
                legal_basis=self.text(item, "legal_basis", entry, required=False),
                service_areas=[a for a in areas if isinstance(a, str)],
                district=self.text(item, "district", entry, required=False) or None,
                village=self.text(item, "village", entry, required=False) or None,
            ))
        by_key = {u.key: u for u in units}
        roots = [u for u in units if not u.parent]
        for (entry, _item), unit in zip(entries, units, strict=True):
            if unit.parent and unit.parent not in by_key:
                self.fail(entry, _("induk '%(p)s' tidak ada di daftar units", p=unit.parent))
        if units and not roots:
            self.fail("units", _("tidak ada unit puncak (unit tanpa 'parent')"))
        self._check_cycles(units, by_key)
        return units

    def _check_cycles(self, units: list[UnitSpec], by_key: dict[str, UnitSpec]) -> None:
        for unit in units:
            seen = {unit.key}
            parent = unit.parent
            while parent and parent in by_key:
                if parent in seen:
                    self.fail(f"units ({unit.key})", _("susunan induk membentuk lingkaran"))
                    break
                seen.add(parent)
                parent = by_key[parent].parent

    def _positions(self, items, units: dict[str, UnitSpec]) -> list[PositionSpec]:
        positions: list[PositionSpec] = []
        seen: set[str] = set()
        for entry, item in self._entries(items, "positions"):
            key = self._key(item, entry, seen, _("jabatan"))
            unit = self.text(item, "unit", entry)
            if unit and unit not in units:
                self.fail(entry, _("unit '%(u)s' tidak ada di daftar units", u=unit))
            role = self.text(item, "role", entry)
            if role and role not in ROLES:
                self.fail(entry, _("peran '%(r)s' tidak dikenal (pilihan: %(opts)s)", r=role, opts=", ".join(ROLES)))
            area = item.get("area") or AREA_LEVEL_BY_ROLE.get(role)
            if area is not None and area not in AreaLevel.labels():
                self.fail(entry, _("wilayah kerja '%(a)s' harus 'district' atau 'village'", a=area))
            elif role in AREA_LEVEL_BY_ROLE and area != AREA_LEVEL_BY_ROLE[role]:
                self.fail(entry, _("peran '%(r)s' bekerja di tingkat '%(l)s', bukan '%(a)s'",
                                   r=role, l=AREA_LEVEL_BY_ROLE[role], a=area))
            positions.append(PositionSpec(
                key=key, unit=unit, title=self.text(item, "title", entry), role=role,
                ex_officio=self.text(item, "ex_officio", entry, required=False),
                legal_basis=self.text(item, "legal_basis", entry),
                area=area,
            ))
        return positions
