"""The region's configuration history: one page of `config.*` audit events, and those events in words
(a title per action and readable detail lines)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.casework.channels import CHANNEL_LABELS
from app.casework.vocabulary import PartnerKind, PartnerLevel
from app.extensions import db
from app.org.service_areas import area_label
from app.org.vocabulary import ROLES, SERVICE_AREAS, UNIT_KINDS
from app.pagination import Pagination, page_of

CONFIG_PREFIX = "config."
PAGE_SIZE = 25

ACTIONS = {
    "config.sop.draft_start": _l("Draf SOP dimulai"),
    "config.sop.draft_edit": _l("Draf SOP diubah"),
    "config.sop.draft_discard": _l("Draf SOP dibuang"),
    "config.sop.publish": _l("SOP versi baru diterbitkan"),
    "config.partner.create": _l("Lembaga mitra ditambahkan"),
    "config.partner.update": _l("Lembaga mitra diubah"),
    "config.partner.retire": _l("Lembaga mitra dinonaktifkan"),
    "config.partner.reactivate": _l("Lembaga mitra diaktifkan kembali"),
    "config.partner.delete": _l("Lembaga mitra dihapus"),
    "config.partner.invite_officer": _l("Petugas lembaga mitra diundang"),
    "config.terms.update": _l("Nama layanan dan istilah diubah"),
    "config.letterhead.update": _l("Kop surat rujukan diubah"),
    "config.report_signer.update": _l("Penanda tangan laporan diubah"),
    "config.report_schedule.update": _l("Jadwal laporan otomatis diubah"),
    "config.ticket.prefix": _l("Awalan nomor tiket diubah"),
    "config.reviews.update": _l("Rantai penelaahan diubah"),
    "config.permissions.update": _l("Hak akses diubah"),
    "config.program.seed": _l("Katalog program nasional dimuat"),
    "config.program.create": _l("Program ditambahkan ke katalog"),
    "config.program.update": _l("Program di katalog diubah"),
    "config.program.deactivate": _l("Program di katalog dinonaktifkan"),
    "config.program.reactivate": _l("Program di katalog diaktifkan kembali"),
    "config.letterhead.logo": _l("Logo kop surat diunggah"),
    "config.staff.nip": _l("NIP staf diubah"),
    "config.unit.rename": _l("Nama unit diubah"),
    "config.import.apply": _l("Konfigurasi diimpor dari berkas"),
    # Recorded by the org chart and staff pages (part A); named here so the history reads as one.
    "config.unit.create": _l("Unit ditambahkan"),
    "config.unit.update": _l("Unit diubah"),
    "config.unit.move": _l("Unit dipindahkan"),
    "config.unit.retire": _l("Unit dinonaktifkan"),
    "config.position.create": _l("Jabatan ditambahkan"),
    "config.position.update": _l("Jabatan diubah"),
    "config.position.retire": _l("Jabatan dinonaktifkan"),
    "config.staff.invite": _l("Petugas diundang"),
    "config.staff.invitation_revoke": _l("Undangan dibatalkan"),
    "config.staff.move": _l("Petugas dipindahkan"),
    "config.staff.deactivate": _l("Petugas dinonaktifkan"),
    "config.staff.reactivate": _l("Petugas diaktifkan kembali"),
    "config.case.reassign": _l("Kasus dialihkan ke petugas lain"),
}
KINDS = {
    "sop": _l("SOP"), "partner": _l("Lembaga mitra"), "terms": _l("Istilah"), "unit": _l("Unit"),
    "position": _l("Jabatan"), "staff": _l("Petugas"), "import": _l("Impor"), "org": _l("Struktur"),
    "case": _l("Kasus"), "letterhead": _l("Kop surat"), "reviews": _l("Penelaahan data"),
    "program": _l("Program"),
    "service_area": _l("Bidang layanan"),
    "ticket": _l("Nomor tiket"),
    "permissions": _l("Hak akses"),
    "report_signer": _l("Penanda tangan laporan"),
    "report_schedule": _l("Laporan terjadwal"),
}
FIELD_LABELS = {
    "name": _l("nama"), "level": _l("tingkat"), "kind": _l("jenis"), "contact": _l("kontak"),
    "service_areas": _l("bidang layanan"), "service_name": _l("nama layanan"),
    "service_full_name": _l("nama lengkap layanan"), "welfare_register": _l("nama data terpadu"),
    "secretariat": _l("nama sekretariat"), "coordination_team": _l("nama tim koordinasi"),
    "welfare_center": _l("nama Puskesos"), "number": _l("versi"), "previous": _l("menggantikan versi"),
    "regulation": _l("peraturan"), "note": _l("catatan"), "file": _l("berkas"), "edit": _l("bagian"),
    "key": _l("kunci"), "based_on": _l("berdasarkan versi"), "title": _l("nama jabatan"), "role": _l("peran"),
    "source": _l("sumber"), "before": _l("sebelum"), "after": _l("sesudah"), "parent": _l("induk"),
    "legal_basis": _l("dasar hukum"), "ex_officio": _l("ex officio"), "area_level": _l("wilayah kerja"),
    "unit": _l("unit"), "village": _l("kelurahan/desa"), "email": _l("surel"), "areas": _l("wilayah"),
    "position": _l("jabatan"), "active": _l("aktif"), "assignee": _l("petugas"), "ticket": _l("tiket"),
    "office_name": _l("nama instansi"), "address": _l("alamat"), "phone": _l("telepon"),
    "number_format": _l("format nomor surat"), "nip": _l("NIP"), "size": _l("ukuran (bita)"),
    "reason": _l("alasan"), "from_member": _l("dari"), "user": _l("akun"), "account_closed": _l("akun ditutup"),
    "account": _l("akun"), "existing_account": _l("akun sudah terdaftar"),
    "ticket_prefix": _l("awalan nomor tiket"), "decree_authority": _l("keputusan ditetapkan oleh"),
    "decree_number": _l("nomor keputusan"), "decree_date": _l("tanggal keputusan"),
    "label": _l("nama"), "maps_to": _l("dihitung sebagai"),
    "signer": _l("penanda tangan"), "signer_membership_id": _l("anggota staf penanda tangan"),
    "signer_name": _l("nama pejabat"), "signer_title": _l("jabatan yang dicetak"), "signer_nip": _l("NIP pejabat"),
    "sign_place": _l("tempat penandatanganan"),
}
ACCOUNT_KINDS = {"existing": _l("akun yang sudah ada"), "new": _l("akun baru")}
EDIT_PARTS = {
    "step": _l("langkah"), "stage": _l("tahap"), "review": _l("persetujuan Supervisor"),
    "remove_review": _l("hapus tahap persetujuan"), "channel": _l("jalur masuk"), "routing": _l("pembagian bidang"),
    "regulation": _l("peraturan"), "note": _l("catatan"), "own_channel": _l("jalur milik daerah"),
    "new_channel": _l("jalur milik daerah baru"), "remove_channel": _l("hapus jalur milik daerah"),
}


def kind_label(kind: str) -> str:
    """The word for a kind of change (`sop`, `partner`…)."""
    return str(KINDS.get(kind, kind))


def action_title(action: str) -> str:
    """The title of an audit action: this page's own words, else the audit catalogue's, never the code."""
    from app.platform.audit_labels import ACTION_LABELS

    return str(ACTIONS.get(action) or ACTION_LABELS.get(action) or _("Perubahan konfigurasi"))


def _value(field: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        return ", ".join(_value(field, v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_value(k, v)}" for k, v in value.items())
    text = str(value)
    if field == "service_areas":
        return ", ".join(area_label(a) for a in text.split(",") if a) or "—"
    if field == "maps_to":
        return str(SERVICE_AREAS.get(text) or CHANNEL_LABELS.get(text) or text)
    if field == "level":
        return PartnerLevel.label_of(text)
    if field == "kind":
        return str(PartnerKind.labels().get(text) or UNIT_KINDS.get(text) or text)
    if field == "role":
        return str(ROLES.get(text, text))
    if field == "edit":
        return str(EDIT_PARTS.get(text, text))
    if field == "legal_basis":
        from app.reference.citations import citation_plain

        return citation_plain(text)
    if field == "account":
        return str(ACCOUNT_KINDS.get(text, text))
    if field == "source" and text == "import":
        return _("impor berkas")
    return text


def _label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field.replace("_", " ")))


def subject(detail: dict) -> str:
    """What the event is about (a partner's or unit's name, an SOP version), if it says."""
    detail = detail or {}
    if detail.get("name"):
        return str(detail["name"])
    if detail.get("number"):
        return _("versi %(n)s", n=detail["number"])
    return ""


def detail_lines(detail: dict) -> list[str]:
    """Readable lines: "field: before → after" for before/after pairs, then the rest."""
    detail = {k: v for k, v in (detail or {}).items() if k not in ("name", "number")}
    lines = []
    before, after = detail.pop("before", None), detail.pop("after", None)
    changes = detail.pop("changes", None)
    for key, value in detail.items():
        lines.append(f"{_label(key)}: {_value(key, value)}")
    if isinstance(before, dict) or isinstance(after, dict):
        before, after = before or {}, after or {}
        for field in list(before) + [f for f in after if f not in before]:
            if field in before and field in after:
                lines.append(f"{_label(field)}: {_value(field, before[field])} → {_value(field, after[field])}")
            elif field in after:
                lines.append(f"{_label(field)}: {_value(field, after[field])}")
            else:
                lines.append(f"{_label(field)}: {_value(field, before[field])} → —")
    elif before is not None or after is not None:
        lines.append(f"{_value('', before)} → {_value('', after)}")
    if isinstance(changes, list):
        lines.extend(str(c) for c in changes)
    return lines


@dataclass
class HistoryPage:
    """One page of configuration events with (event, user name) pairs."""
    events: list[tuple[AuditEvent, str]]
    pager: Pagination
    kinds: list[str]


def config_history(kind: str = "", page: int = 1) -> HistoryPage:
    """The region's configuration events (`config.*`), newest first, optionally of one kind."""
    query = select(AuditEvent).where(AuditEvent.action.startswith(CONFIG_PREFIX))
    if kind:
        query = query.where(AuditEvent.action.startswith(f"{CONFIG_PREFIX}{kind}."))
    pager = page_of(query.add_columns(User.name).outerjoin(User, User.id == AuditEvent.user_id)
                    .order_by(AuditEvent.at.desc(), AuditEvent.id), page, PAGE_SIZE, rows=True)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith(CONFIG_PREFIX))
                                 .distinct()).all()
    kinds = sorted({a.split(".")[1] for a in actions if a.count(".") >= 2})
    return HistoryPage(events=[(e, n or "") for e, n in pager.items], pager=pager, kinds=kinds)
