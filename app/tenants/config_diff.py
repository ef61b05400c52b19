"""Comparing two region configurations (parsed templates) for the import preview.

Region fields and terminology, units and positions by key, partners by name; what the
new file leaves out is shown as retired. Review chains by kind (a kind left out follows the
default), permissions by capability (likewise); programs by code, only those the file lists.
The SOP is compared by `casework.sop_diff`.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.casework.sop_diff import Change, role_names
from app.casework.vocabulary import PartnerKind, PartnerLevel
from app.org.service_areas import area_label
from app.org.vocabulary import UNIT_KINDS
from app.programs.vocabulary import ProgramLevel
from app.reference.citations import citation_plain
from app.reviews.chains import DEFAULT_CHAINS, describe_chain
from app.reviews.vocabulary import ReviewedKind
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
    return ", ".join(area_label(a) for a in values or [])


def term_label(key: str) -> str:
    """The words for a terminology key in the diff."""
    return str(TERM_LABELS.get(key, _("istilah \u201c%(k)s\u201d", k=key)))


def diff_region(old: RegionTemplate, new: RegionTemplate) -> list[Change]:
    """Region fields and terminology as one change (or none)."""
    fields = [(str(label), str(getattr(old, name) or ""), str(getattr(new, name) or ""))
              for name, label in REGION_FIELDS if (getattr(old, name) or "") != (getattr(new, name) or "")]
    if new.ticket_prefix and new.ticket_prefix != old.ticket_prefix:  # a file without one keeps the region's
        fields.append((_("awalan nomor tiket"), old.ticket_prefix, new.ticket_prefix))
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
                        (_l("dasar hukum"), lambda u: citation_plain(u.legal_basis)),
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
                         (_l("dasar hukum"), lambda p: citation_plain(p.legal_basis)),
                         (_l("wilayah kerja"), lambda p: p.area or ""),
                         (_l("keputusan pengangkatan"), lambda p: p.decree.label()),
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


def _chain_words(chain: list[dict] | None, kind: str) -> str:
    if chain:
        return describe_chain(chain)
    return _("bawaan: %(c)s", c=describe_chain(DEFAULT_CHAINS.get(kind, [])))


def diff_reviews(old: RegionTemplate, new: RegionTemplate) -> list[Change]:
    """Each kind whose review chain the file changes (None ↔ the default)."""
    changes = []
    for kind in ReviewedKind:
        before, after = old.review_chains.get(kind.value), new.review_chains.get(kind.value)
        if (before or None) != (after or None):
            changes.append(Change("changed", "review", _("rantai penelaahan \u201c%(k)s\u201d", k=kind.label),
                                  [(_("tahap"), _chain_words(before, kind.value), _chain_words(after, kind.value))]))
    return changes


def diff_permissions(old: RegionTemplate, new: RegionTemplate) -> list[Change]:
    """Each capability whose rule the file changes (a capability left out keeps the default)."""
    from app.casework.sop_procedure import titles_by_role
    from app.permissions import Capability
    from app.tenants.permission_rules import describe

    titles, changes = titles_by_role(), []
    for capability in Capability:
        before, after = old.permissions.get(capability.value), new.permissions.get(capability.value)
        if before != after:
            changes.append(Change("changed", "permission", _("hak akses \u201c%(c)s\u201d", c=capability.label),
                                  [(_("dipegang oleh"), describe(before, capability, titles),
                                    describe(after, capability, titles))]))
    return changes


def _conditions(conditions: list[dict], names: dict[str, str]) -> str:
    from app.programs.criteria import describe

    return "; ".join(str(describe(c, names)) + (_(" (%(p)s poin)", p=c["points"]) if "points" in c else "")
                     for c in conditions or [])


def diff_programs(old: RegionTemplate, new: RegionTemplate) -> list[Change]:
    """Programs the file lists: added, or changed field by field; those it leaves out stay as they are."""
    if new.programs is None:
        return []
    from app.programs.catalogue import program_names

    names = program_names() | {p["code"]: p["name"] for p in new.programs}
    yes_no = {True: _("ya"), False: _("tidak")}
    fields = [
        (_l("nama"), lambda p: p["name"]),
        (_l("tingkat"), lambda p: ProgramLevel.label_of(p["level"])),
        (_l("lembaga pengelola"), lambda p: p["partner"] or ""),
        (_l("keterangan"), lambda p: p["description"]),
        (_l("dasar hukum"), lambda p: citation_plain(p["legal_basis"])),
        (_l("kode di data register"), lambda p: p["register_flag"]),
        (_l("diterima per orang"), lambda p: yes_no[bool(p["member_level"])]),
        (_l("kriteria"), lambda p: _conditions(p["criteria"], names)),
        (_l("bobot pemeringkatan"), lambda p: _conditions(p["ranking"], names)),
        (_l("aktif"), lambda p: yes_no[bool(p["active"])]),
    ]
    current = {p["code"]: p for p in old.programs or []}
    changes = []
    for spec in new.programs:
        before, subject = current.get(spec["code"]), _("program \u201c%(n)s\u201d", n=spec["name"])
        if before is None:
            changes.append(Change("added", "program", subject))
        elif before != spec:
            diffs = [(str(label), show(before), show(spec)) for label, show in fields if show(before) != show(spec)]
            changes.append(Change("changed", "program", subject,
                                  diffs or [(_("rincian kriteria"), _("seperti sekarang"), _("seperti di berkas"))]))
    return changes
