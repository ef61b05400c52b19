"""Who may do what outside the SOP: named capabilities, the roles that hold them by default,
and a region's own choice where its configuration says otherwise.

The SOP says who takes each step of a case (`app.casework.sop`); everything else a member may
do (configure the region, import the register, see the data updates, see the dashboard,
request reports, reveal a NIK, …) is asked here, by capability, never with a list of roles:

    @requires(Capability.SEE_DASHBOARD)         # a route: 403 for a member without it
    can(current_user, Capability.REVEAL_NIK)   # code: a SessionUser or a Membership
    {% if can('reveal_nik') %}                  # templates

A region overrides a capability in `Tenant.permissions`, a JSON object mapping the
capability's value to the full list of canonical roles that hold it there and the article that
says so, e.g. `{"see_dashboard": {"roles": ["manager", "unit_head", "data_officer"],
"legal_basis": "Pasal 7 ayat (2) huruf d"}}` (its template's `permissions:` section, or the
settings page `/settings/permissions`). The older form, a bare list of roles without a legal
basis, is still read. A capability it does not name keeps `DEFAULTS`. Checks are always against
the canonical role of the member's post (`app.org.vocabulary.ROLES`), never against a title.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import Vocabulary
from app.org.vocabulary import ROLES
from app.tenancy.context import current_tenant_or_none
from app.tenancy.models import Tenant


class Capability(Vocabulary):
    """Something a member may do outside the SOP; its label is a short name in plain Indonesian."""

    CONFIGURE = "configure", _l("Mengatur daerah")
    SEARCH_REGISTER = "search_register", _l("Mencari di data terpadu")
    IMPORT_REGISTER = "import_register", _l("Mengimpor data terpadu")
    SEE_PRELIST = "see_prelist", _l("Melihat usulan perubahan data (verval)")
    SEE_DASHBOARD = "see_dashboard", _l("Melihat dasbor")
    REQUEST_REPORTS = "request_reports", _l("Meminta laporan kegiatan")
    REVEAL_NIK = "reveal_nik", _l("Membuka NIK lengkap")
    OVERSEE_CASES = "oversee_cases", _l("Mengawasi semua kasus terbuka")
    DELETE_ATTACHMENTS = "delete_attachments", _l("Menghapus lampiran orang lain")
    CORRECT_CASE = "correct_case", _l("Mengoreksi data kasus")
    MANAGE_CASES = "manage_cases", _l("Mengelola kasus")
    SEE_HOUSEHOLDS = "see_households", _l("Melihat data warga dan rumah tangga")
    RECORD_PARTICIPATION = "record_participation", _l("Mencatat kepesertaan dan kebutuhan program")
    PROPOSE_UPDATES = "propose_updates", _l("Mengusulkan perubahan data")
    MANAGE_PROGRAMS = "manage_programs", _l("Mengelola katalog program")
    EXCHANGE_SIKS = "exchange_siks", _l("Bertukar data dengan SIKS-NG")
    RANK_CANDIDATES = "rank_candidates", _l("Memeringkat calon penerima")
    PLAN_ACTIVITIES = "plan_activities", _l("Menyusun rencana kegiatan dan anggaran")
    MONITOR_WELFARE_CENTERS = "monitor_welfare_centers", _l("Memantau Puskesos")
    EVALUATE = "evaluate", _l("Mencatat evaluasi")


#: What each capability lets a member do, in plain Indonesian (the settings page, the format spec).
DESCRIPTIONS: dict[Capability, Any] = {
    Capability.CONFIGURE: _l("Mengubah struktur organisasi, petugas, SOP, lembaga mitra, istilah, hak akses ini, "
                             "serta mengekspor dan mengimpor konfigurasi daerah."),
    Capability.SEARCH_REGISTER: _l("Membuka data terpadu: jumlah data, impor terakhir, dan pencarian satu NIK "
                                   "atau nomor KK."),
    Capability.IMPORT_REGISTER: _l("Mengganti salinan data terpadu dengan berkas baru."),
    Capability.SEE_PRELIST: _l("Melihat dan menelaah daftar awal (pre-list) dan usulan perubahan data untuk "
                               "verifikasi dan validasi; supervisor dan fasilitator hanya untuk wilayahnya."),
    Capability.SEE_DASHBOARD: _l("Angka layanan daerah di dasbor: pengaduan, rujukan, waktu penanganan, program."),
    Capability.REQUEST_REPORTS: _l("Meminta laporan kegiatan disusun dan mengunduhnya."),
    Capability.REVEAL_NIK: _l("Menampilkan NIK warga secara lengkap; setiap kali dibuka tercatat."),
    Capability.OVERSEE_CASES: _l("Melihat semua kasus terbuka di kotak masuk, bukan hanya yang menunggu dirinya."),
    Capability.DELETE_ATTACHMENTS: _l("Menghapus berkas yang dilampirkan orang lain (pengunggah selalu boleh)."),
    Capability.CORRECT_CASE: _l("Mengoreksi data warga dan pengaduan suatu kasus setelah dicatat, dengan alasan."),
    Capability.MANAGE_CASES: _l("Menarik, menggabungkan dan mengalihkan kasus; menetapkan prioritas dan tanggal "
                                "tindak lanjut."),
    Capability.SEE_HOUSEHOLDS: _l("Membuka halaman warga dan rumah tangga: kasus, program, kebutuhan, usulan data."),
    Capability.RECORD_PARTICIPATION: _l("Mencatat program yang diterima dan kebutuhan program suatu rumah tangga."),
    Capability.PROPOSE_UPDATES: _l("Mengusulkan perubahan data untuk verval (rumah tangga baru, perubahan anggota, "
                                   "dan lainnya)."),
    Capability.MANAGE_PROGRAMS: _l("Mengelola katalog program daerah dan kriteria penerima manfaatnya."),
    Capability.EXCHANGE_SIKS: _l("Mengumpulkan usulan yang disetujui menjadi kiriman SIKS-NG dan mengimpor "
                                 "hasilnya dari kementerian."),
    Capability.RANK_CANDIDATES: _l("Memeringkat calon penerima program daerah dan mencatat siapa yang diusulkan."),
    Capability.PLAN_ACTIVITIES: _l("Menyusun rencana kegiatan dan anggaran tahunan sekretariat, Puskesos dan "
                                   "kecamatan, serta mencatat realisasinya sepanjang tahun."),
    Capability.MONITOR_WELFARE_CENTERS: _l("Melihat angka setiap Puskesos (pengaduan dicatat, selesai, dirujuk, "
                                           "terlambat); supervisor hanya untuk kecamatannya."),
    Capability.EVALUATE: _l("Mencatat catatan evaluasi akhir tahun penyelenggaraan SLRT atas nama kantor "
                            "pengevaluasi."),
}


#: Who holds each capability unless the region says otherwise.
DEFAULTS: dict[Capability, frozenset[str]] = {
    Capability.CONFIGURE: frozenset({"manager", "unit_head"}),
    Capability.SEARCH_REGISTER: frozenset({"data_officer", "manager", "unit_head", "intake_officer", "case_officer"}),
    Capability.IMPORT_REGISTER: frozenset({"data_officer", "manager", "unit_head"}),
    Capability.SEE_PRELIST: frozenset({"supervisor", "manager", "unit_head", "data_officer"}),
    Capability.SEE_DASHBOARD: frozenset({"manager", "unit_head", "monitoring_officer", "patron",
                                         "coordination_member"}),
    Capability.REQUEST_REPORTS: frozenset({"manager", "unit_head", "monitoring_officer"}),
    Capability.REVEAL_NIK: frozenset({"intake_officer", "case_officer", "data_officer", "facilitator", "supervisor",
                                      "welfare_center_coordinator", "manager"}),
    Capability.OVERSEE_CASES: frozenset({"manager", "unit_head", "monitoring_officer", "admin_staff", "supervisor"}),
    Capability.DELETE_ATTACHMENTS: frozenset({"manager", "unit_head"}),
    Capability.CORRECT_CASE: frozenset({"manager", "unit_head", "intake_officer", "case_officer"}),
    Capability.MANAGE_CASES: frozenset({"manager", "unit_head"}),
    Capability.SEE_HOUSEHOLDS: frozenset({"intake_officer", "case_officer", "data_officer", "facilitator", "supervisor",
                                          "welfare_center_coordinator", "manager", "unit_head"}),
    Capability.RECORD_PARTICIPATION: frozenset({"intake_officer", "case_officer", "data_officer", "facilitator",
                                                "welfare_center_coordinator"}),
    Capability.PROPOSE_UPDATES: frozenset({"intake_officer", "data_officer", "facilitator",
                                           "welfare_center_coordinator"}),
    Capability.MANAGE_PROGRAMS: frozenset({"manager", "unit_head"}),
    Capability.EXCHANGE_SIKS: frozenset({"data_officer", "manager", "unit_head"}),
    Capability.RANK_CANDIDATES: frozenset({"manager", "unit_head"}),
    Capability.PLAN_ACTIVITIES: frozenset({"manager", "unit_head", "admin_staff"}),
    Capability.MONITOR_WELFARE_CENTERS: frozenset({"manager", "unit_head", "monitoring_officer", "supervisor"}),
    Capability.EVALUATE: frozenset({"unit_head", "monitoring_officer"}),
}


@dataclass(frozen=True)
class Rule:
    """Who holds a capability in a region, and why."""

    capability: Capability
    roles: tuple[str, ...]  # canonical roles, in the vocabulary's order
    own: bool               # the region's own choice (else the default)
    legal_basis: str        # the article the region's choice rests on ("" for the default)

    @property
    def label(self) -> str:
        return str(self.capability.label)

    @property
    def description(self) -> str:
        return str(DESCRIPTIONS[self.capability])


def ordered(roles) -> tuple[str, ...]:
    """Canonical roles in the vocabulary's order, unknown ones and repeats left out."""
    chosen = set(roles)
    return tuple(role for role in ROLES if role in chosen)


def _override(tenant: Tenant | None, capability: Capability) -> tuple[frozenset[str], str] | None:
    """(roles, legal basis) of the region's own choice for `capability`, if its configuration has a
    well-formed one: `{"roles": [...], "legal_basis": "..."}`, or the older bare list of roles."""
    chosen = getattr(tenant, "permissions", None) or {}
    entry = chosen.get(capability.value) if isinstance(chosen, dict) else None
    basis: Any = ""
    if isinstance(entry, dict):
        roles, basis = entry.get("roles"), entry.get("legal_basis") or ""
    else:
        roles = entry
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        return None
    return frozenset(r for r in roles if r in ROLES), basis if isinstance(basis, str) else ""


def roles_for(capability: Capability | str, tenant: Tenant | None = None) -> frozenset[str]:
    """The canonical roles holding `capability` in `tenant` (the current region by default)."""
    capability = Capability(capability)
    if tenant is None:
        tenant = current_tenant_or_none()
    found = _override(tenant, capability)
    return DEFAULTS[capability] if found is None else found[0]


def rule_for(capability: Capability | str, tenant: Tenant | None = None) -> Rule:
    """Who holds `capability` in `tenant` (the current region by default), whether that is the
    default or the region's own choice, and the article the choice rests on."""
    capability = Capability(capability)
    if tenant is None:
        tenant = current_tenant_or_none()
    found = _override(tenant, capability)
    if found is None:
        return Rule(capability, ordered(DEFAULTS[capability]), own=False, legal_basis="")
    return Rule(capability, ordered(found[0]), own=True, legal_basis=found[1])


def rules_of(tenant: Tenant | None = None) -> list[Rule]:
    """Every capability's rule in `tenant`, in the vocabulary's order."""
    return [rule_for(capability, tenant) for capability in Capability]


def _role_and_tenant(who: Any) -> tuple[str | None, Tenant | None]:
    """(canonical role, region) of a Membership, or of a SessionUser's membership here."""
    membership = getattr(who, "membership", who)
    position = getattr(membership, "position", None)
    if position is None:  # anonymous, a platform user, or nobody
        return None, None
    tenant = current_tenant_or_none()
    if tenant is None or tenant.id != membership.tenant_id:
        from app.extensions import db

        tenant = db.session.get(Tenant, membership.tenant_id)
    return position.role, tenant


def can(who: Any, capability: Capability | str) -> bool:
    """Whether `who` (a SessionUser in the current region, or a Membership) holds `capability`."""
    role, tenant = _role_and_tenant(who)
    return role is not None and tenant is not None and role in roles_for(capability, tenant)


def can_here(capability: Capability | str) -> bool:
    """The template global `can('reveal_nik')`: the logged-in member, in the current region."""
    return has_request_context() and can(current_user, capability)


def requires(capability: Capability):
    """Route decorator: a logged-in member of this region (`staff_required`) holding `capability`, else 403.

    The view keeps the capability as `required_capability`, so tests can read the route → capability map.
    """
    from app.accounts.auth import staff_required

    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not can(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        guarded = staff_required()(checked)
        guarded.required_capability = capability
        return guarded

    return decorator


def register(app) -> None:
    """`can(...)` in every template."""
    app.jinja_env.globals["can"] = can_here
