"""The service areas a region's cases are about: the built-in ones and the region's own.

The built-in areas (`SERVICE_AREAS`, Cianjur Pasal 2 ayat (2)) are the ones national figures
count. A region may add areas of its own beyond them, in its own words (Batu Bara's KLINK takes
consultations on violence against women and children, Pasal 1 angka 32); each maps to a
built-in area, under which national figures count it. They are region data
(`Tenant.own_service_areas`): a list of ``{key, label, maps_to, legal_basis}``, and
``retired: true`` on one taken out of use that cases still carry (kept for its label and its
mapping, no longer offered).

Read through this module, never from `SERVICE_AREAS` alone, wherever the region's list
matters: forms, routing, labels on pages and in reports.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.org.vocabulary import SERVICE_AREAS
from app.tenancy.context import current_tenant_or_none

#: The form of a region's own key (service area or channel), as stored in the cases' columns.
OWN_KEY = re.compile(r"^[a-z0-9_]{1,40}$")
#: The area national figures count an unknown key under (an area no longer listed anywhere).
FALLBACK_AREA = "pelayanan_dasar_lainnya"


@dataclass(frozen=True)
class OwnArea:
    """A service area of the region's own, mapped to a built-in one."""

    key: str
    label: str
    maps_to: str
    legal_basis: str = ""
    retired: bool = False

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "maps_to": self.maps_to,
                               "legal_basis": self.legal_basis}
        if self.retired:
            out["retired"] = True
        return out

    @classmethod
    def of(cls, item: dict) -> OwnArea:
        return cls(key=str(item.get("key") or ""), label=str(item.get("label") or ""),
                   maps_to=str(item.get("maps_to") or ""), legal_basis=str(item.get("legal_basis") or ""),
                   retired=bool(item.get("retired")))


def _tenant(tenant):
    return tenant if tenant is not None else current_tenant_or_none()


def own_areas(tenant=None, *, retired: bool = False) -> list[OwnArea]:
    """The region's own areas in its order (`retired=True`: those taken out of use too)."""
    tenant = _tenant(tenant)
    items = (getattr(tenant, "own_service_areas", None) or []) if tenant is not None else []
    areas = [OwnArea.of(item) for item in items if isinstance(item, dict)]
    return [a for a in areas if retired or not a.retired]


def own_area_keys(tenant=None) -> list[str]:
    """Keys of the region's own areas, retired ones too (an SOP may still route one)."""
    return [a.key for a in own_areas(tenant, retired=True)]


def service_areas(tenant=None) -> dict[str, str]:
    """key → label of the areas a case may be about here: the built-in ones, then the region's own."""
    out = {key: str(label) for key, label in SERVICE_AREAS.items()}
    out.update({a.key: a.label for a in own_areas(tenant)})
    return out


def area_labels(tenant=None) -> dict[str, str]:
    """key → label of every area a record here may carry (retired own areas included)."""
    out = {key: str(label) for key, label in SERVICE_AREAS.items()}
    out.update({a.key: a.label for a in own_areas(tenant, retired=True)})
    return out


def area_label(key: str | None, tenant=None) -> str:
    """The label of `key` in the region's words (the key itself when it is unknown)."""
    if not key:
        return ""
    if key in SERVICE_AREAS:
        return str(SERVICE_AREAS[key])
    return area_labels(tenant).get(key, key)


def national_area(key: str | None, tenant=None) -> str:
    """The built-in area `key` counts under in national figures."""
    key = key or ""
    if key in SERVICE_AREAS:
        return key
    mapped = next((a.maps_to for a in own_areas(tenant, retired=True) if a.key == key), "")
    return mapped if mapped in SERVICE_AREAS else FALLBACK_AREA


def national_mapping(items: Iterable[dict] | None) -> dict[str, str]:
    """own key → built-in key, from a region's stored `own_service_areas` (for platform code
    that reads many regions at once)."""
    return {str(i.get("key")): str(i.get("maps_to")) for i in items or [] if isinstance(i, dict)
            and i.get("maps_to") in SERVICE_AREAS}


def unit_for_area(routing: dict[str, str], key: str, tenant=None) -> str | None:
    """The back-office unit key an SOP's routing sends `key` to: the area's own line, else its
    built-in area's line."""
    return routing.get(key) or routing.get(national_area(key, tenant))


def check_own_areas(items: Any, where: str = "service_areas") -> tuple[list[OwnArea], list[str]]:
    """Validate a list of own areas (a template's `service_areas:`, or the settings page's
    result): returns the areas and the problems, each prefixed with its entry."""
    problems: list[str] = []
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [f"{where}: " + _("harus berupa daftar bidang layanan daerah")]
    areas: list[OwnArea] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        entry = f"{where}[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(f"{entry}: " + _("setiap entri harus berupa pemetaan"))
            continue
        area = OwnArea.of({k: (str(v).strip() if isinstance(v, (str, int, float)) else v)
                           for k, v in item.items()})
        if area.key:
            entry += f" ({area.key})"
        problems.extend(f"{entry}: {p}" for p in own_key_problems(area.key, SERVICE_AREAS, seen,
                                                                  _("bidang layanan")))
        seen.add(area.key)
        if not area.label:
            problems.append(f"{entry}: " + _("'label' wajib diisi (nama bidang dalam sebutan daerah)"))
        if not area.maps_to:
            problems.append(f"{entry}: " + _("'maps_to' wajib diisi: bidang bawaan tempat bidang ini dihitung dalam "
                                             "angka nasional (pilihan: %(o)s)", o=", ".join(SERVICE_AREAS)))
        elif area.maps_to not in SERVICE_AREAS:
            problems.append(f"{entry}: " + _("'maps_to' '%(m)s' bukan bidang bawaan (pilihan: %(o)s)",
                                             m=area.maps_to, o=", ".join(SERVICE_AREAS)))
        areas.append(area)
    return areas, problems


def own_key_problems(key: str, builtin: Iterable[str], seen: Iterable[str], what: str) -> list[str]:
    """What is wrong with `key` as a region's own key beside the built-in ones (empty when fine)."""
    if not key:
        return [_("'key' wajib diisi")]
    if not OWN_KEY.match(key):
        return [_("kunci '%(k)s' hanya boleh huruf kecil, angka dan garis bawah (paling banyak 40)", k=key)]
    if key in set(builtin):
        return [_("kunci '%(k)s' sudah dipakai %(w)s bawaan; pilih kunci lain", k=key, w=what)]
    if key in set(seen):
        return [_("%(w)s '%(k)s' muncul lebih dari sekali", w=what, k=key)]
    return []
