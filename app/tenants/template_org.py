"""The `units:` and `positions:` sections of a region template (see `template.py`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from app.org.decree import Decree
from app.org.decree import from_yaml as decree_from_yaml
from app.org.vocabulary import AREA_LEVEL_BY_ROLE, ROLES, SERVICE_AREAS, UNIT_KINDS, AreaLevel

KEY_RE = re.compile(r"^[a-z0-9_]{1,80}$")


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
    #: The appointing decree (`decree:`; empty when the file gives none).
    decree: Decree = field(default_factory=Decree)


class OrgSections:
    """Parsing of units and positions; mixed into the template validator (`fail`, `text`)."""

    problems: list[str]
    area_keys: set[str]  # the service areas units may handle: built-in and the file's own

    if TYPE_CHECKING:  # provided by the validator these sections are mixed into
        def fail(self, entry: str, message: str) -> None: ...

        def text(self, mapping: dict, key: str | int, entry: str, required: bool = True) -> str: ...

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
                if area not in self.area_keys:
                    self.fail(entry, _("bidang layanan '%(a)s' tidak dikenal (pilihan: %(opts)s)",
                                       a=area, opts=", ".join([*SERVICE_AREAS,
                                                               *sorted(self.area_keys - set(SERVICE_AREAS))])))
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
            decree, problems = decree_from_yaml(item.get("decree"))
            for problem in problems:
                self.fail(entry, problem)
            positions.append(PositionSpec(
                key=key, unit=unit, title=self.text(item, "title", entry), role=role,
                ex_officio=self.text(item, "ex_officio", entry, required=False),
                legal_basis=self.text(item, "legal_basis", entry),
                area=area, decree=decree,
            ))
        return positions
