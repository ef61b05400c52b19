"""The codes casework stores: partner levels and kinds, referral statuses, outcomes, SOP version statuses.

Each is defined here once, with its label; the models keep them by CHECK constraints built
from these enums (`Vocabulary.check`).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class PartnerLevel(Vocabulary):
    """Which level of government (or none) a partner belongs to: from the village up (a Puskesos refers
    to program managers "di Desa/Kelurahan/Kecamatan", Batu Bara Pasal 16 ayat (3) huruf c; "di kelurahan",
    Palembang Pasal 16 huruf c)."""

    VILLAGE = "village", _l("Desa/Kelurahan")
    DISTRICT = "district", _l("Kecamatan")
    REGENCY = "regency", _l("Kabupaten/Kota")
    PROVINCE = "province", _l("Provinsi")
    CENTRAL = "central", _l("Pusat")
    NON_GOVERNMENT = "non_government", _l("Non-pemerintah")


class PartnerKind(Vocabulary):
    """What sort of body a partner is."""

    OPD = "opd", _l("Perangkat daerah (OPD)")
    VERTICAL = "vertical", _l("Instansi vertikal / BUMN")
    MINISTRY = "ministry", _l("Kementerian / lembaga")
    NGO = "ngo", _l("Lembaga masyarakat / filantropi")
    CSR = "csr", _l("Perusahaan (CSR)")


class ReferralStatus(Vocabulary):
    """A referral from request through approval to its outcome."""

    REQUESTED = "requested", _l("Menunggu persetujuan")
    RETURNED = "returned", _l("Dikembalikan")
    APPROVED = "approved", _l("Disetujui")
    SENT = "sent", _l("Dikirim")
    ANSWERED = "answered", _l("Dijawab")
    COMPLETED = "completed", _l("Selesai")


class Outcome(Vocabulary):
    """What came of a referral (or of the follow-up without one)."""

    SERVED = "served", _l("Dilayani / diterima program")
    NOT_SERVED = "not_served", _l("Tidak dapat dilayani")
    REDIRECTED = "redirected", _l("Dialihkan ke program lain")


class SopStatus(Vocabulary):
    """A version of the region's SOP."""

    DRAFT = "draft", _l("Draf")
    PUBLISHED = "published", _l("Berlaku")
    SUPERSEDED = "superseded", _l("Digantikan")


class Priority(Vocabulary):
    """How urgently a case is worked (set by whoever manages cases; inbox order and badge)."""

    LOW = "low", _l("Rendah")
    NORMAL = "normal", _l("Biasa")
    HIGH = "high", _l("Tinggi")
    URGENT = "urgent", _l("Mendesak")


class Closure(Vocabulary):
    """Why a case was closed outside its SOP ("" = closed by the SOP's own last step)."""

    WITHDRAWN = "withdrawn", _l("Ditarik")
    MERGED = "merged", _l("Digabung ke kasus lain")


class AnswerResult(Vocabulary):
    """What a partner answered to a referral."""

    ACCEPTED = "accepted", _l("Diterima")
    REJECTED = "rejected", _l("Ditolak")
    PARTLY = "partly", _l("Diterima sebagian")


class GroupKind(Vocabulary):
    """What sort of group brings a complaint together (Palembang Pasal 4: perorangan, kelompok, masyarakat)."""

    COMMUNITY = "community", _l("Komunitas / warga satu lingkungan")
    ASSOCIATION = "association", _l("Kelompok / paguyuban")
    INSTITUTION = "institution", _l("Lembaga (panti, sekolah, rumah ibadah)")
    OTHER = "other", _l("Lainnya")
