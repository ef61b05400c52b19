"""Comparing two region configurations (parsed templates) for the import preview.

Region fields and terminology, units and positions by key, partners by name; what the
new file leaves out is shown as retired. The SOP is compared by `casework.sop_diff`.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.casework.sop_diff import Change, role_names
from app.casework.vocabulary import PartnerKind, PartnerLevel
from app.org.vocabulary import SERVICE_AREAS, UNIT_KINDS
from app.tenants.template import RegionTemplate

REGION_FIELDS = (
    ("name", _l("nama daerah")),
    ("kind", _l("jenis daerah")),
    ("service_name", _l("nama layanan")),
    ("service_full_name", _l("nama lengkap layanan")),
    ("regulation_title", _l("judul peraturan")),
    ("regulation_short", _l("singkatan peraturan")),
    ("regulation_about", _l("tentang")),
)
TERM_LABELS = {
    "welfare_register": _l("nama data terpadu"),
    "secretariat": _l("nama sekretariat"),
    "coordination_team": _l("nama tim koordinasi"),
    "welfare_center": _l("nama Puskesos"),
}


def areas(values) -> str:
    """Service area labels joined."""
    return ", ".join(str(SERVICE_AREAS.get(a, a)) for a in values or [])


def term_label(key: str) -> str:
    """The words for a terminology key in the diff."""
    return str(TERM_LABELS.get(key, _("istilah \u201c%(k)s\u201d", k=key)))


def diff_region(old: RegionTemplate, new: RegionTemplate) -> list[Change]:
    """Region fields and terminology as one change (or none)."""
    fields = [(str(label), str(getattr(old, name) or ""), str(getattr(new, name) or ""))
              for name, label in REGION_FIELDS if (getattr(old, name) or "") != (getattr(new, name) or "")]
    for key in list(old.terminology) + [k for k in new.terminology if k not in old.terminology]:
        before, after = old.terminology.get(key, ""), new.terminology.get(key, "")
        if before != after:
            fields.append((term_label(key), before, after))
    return [Change("changed", "region", _("daerah dan istilah"), fields)] if fields else []


def _rows(old: dict, new: dict, section: str, subject, fields) -> list[Change]:
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        if b is None:
            changes.append(Change("retired", section, subject(a)))
        elif a is None:
            changes.append(Change("added", section, subject(b)))
        else:
            diffs = [(str(label), show(a), show(b)) for label, show in fields if show(a) != show(b)]
            if diffs:
                changes.append(Change("changed", section, subject(b), diffs))
    return changes


def _order(old_keys: list[str], new_keys: list[str], section: str, subject: str) -> list[Change]:
    common = set(old_keys) & set(new_keys)
    if [k for k in old_keys if k in common] == [k for k in new_keys if k in common]:
        return []
    return [Change("changed", section, subject, [(_("urutan"), _("urutan lama"), _("urutan di berkas"))])]


def diff_rows(old: RegionTemplate, new: RegionTemplate) -> list[Change]:
    """Units, positions and partners that the new file adds, changes or leaves out."""
    unit_names = {u.key: u.name for u in old.units} | {u.key: u.name for u in new.units}
    changes = _rows({u.key: u for u in old.units}, {u.key: u for u in new.units}, "unit",
                    lambda u: _("unit \u201c%(n)s\u201d", n=u.name), [
                        (_l("nama"), lambda u: u.name),
                        (_l("jenis"), lambda u: str(UNIT_KINDS.get(u.kind, u.kind))),
                        (_l("induk"), lambda u: unit_names.get(u.parent, u.parent or "")),
                        (_l("dasar hukum"), lambda u: u.legal_basis),
                        (_l("bidang layanan"), lambda u: areas(u.service_areas)),
                        (_l("kecamatan"), lambda u: u.district or ""),
                        (_l("kelurahan/desa"), lambda u: u.village or ""),
                    ])
    changes += _order([u.key for u in old.units], [u.key for u in new.units], "unit", _("urutan unit"))
    changes += _rows({p.key: p for p in old.positions}, {p.key: p for p in new.positions}, "position",
                     lambda p: _("jabatan \u201c%(t)s\u201d", t=p.title), [
                         (_l("nama jabatan"), lambda p: p.title),
                         (_l("unit"), lambda p: unit_names.get(p.unit, p.unit)),
                         (_l("peran"), lambda p: role_names([p.role])),
                         (_l("ex officio"), lambda p: p.ex_officio),
                         (_l("dasar hukum"), lambda p: p.legal_basis),
                         (_l("wilayah kerja"), lambda p: p.area or ""),
                     ])
    changes += _order([p.key for p in old.positions], [p.key for p in new.positions], "position",
                      _("urutan jabatan"))
    changes += _rows({p["name"]: p for p in old.partners}, {p["name"]: p for p in new.partners}, "partner",
                     lambda p: _("lembaga \u201c%(n)s\u201d", n=p["name"]), [
                         (_l("tingkat"), lambda p: PartnerLevel.label_of(p["level"])),
                         (_l("jenis"), lambda p: PartnerKind.label_of(p["kind"])),
                         (_l("kontak"), lambda p: p["contact"]),
                         (_l("bidang layanan"), lambda p: areas(p["service_areas"])),
                     ])
    return changes
