"""The `region:` and `partners:` sections of a region template (see `template.py`)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from app.casework.vocabulary import PartnerLevel
from app.tenants.ticket_prefix import format_problem

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
REGION_KINDS = ("kabupaten", "kota")
RESERVED_SLUGS = frozenset({"www", "admin", "api", "static", "platform", "mail"})


class RegionSections:
    """Parsing of the region header and partners; mixed into the template validator."""

    problems: list[str]
    known_regions: Any
    area_keys: set[str]  # the service areas partners may handle: built-in and the file's own

    if TYPE_CHECKING:  # provided by the validator these sections are mixed into
        def fail(self, entry: str, message: str) -> None: ...

        def text(self, mapping: dict, key: str | int, entry: str, required: bool = True) -> str: ...

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
                if area not in self.area_keys:
                    self.fail(entry, _("bidang layanan '%(a)s' tidak dikenal", a=area))
            partners.append({"name": name, "level": level, "kind": self.text(item, "kind", entry, False) or "opd",
                             "contact": self.text(item, "contact", entry, required=False),
                             "service_areas": [a for a in item.get("service_areas") or [] if isinstance(a, str)]})
        return partners

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
        ticket_prefix = self.text(region, "ticket_prefix", entry, required=False).upper()
        if ticket_prefix and (problem := format_problem(ticket_prefix)):
            self.fail(f"{entry}.ticket_prefix", problem)
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
            "ticket_prefix": ticket_prefix,
        }

