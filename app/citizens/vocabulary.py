"""The codes the register side stores: a pre-list proposal's status."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class ProposalStatus(Vocabulary):
    """A pre-list proposal, from proposed to verified or rejected."""

    PROPOSED = "proposed", _l("Diusulkan")
    VERIFIED = "verified", _l("Terverifikasi")
    REJECTED = "rejected", _l("Ditolak")


class ImportStatus(Vocabulary):
    """A register extract import: staged for preview, then current, then kept as the previous one."""

    PENDING = "pending", _l("Menunggu konfirmasi")
    CURRENT = "current", _l("Berlaku")
    PREVIOUS = "previous", _l("Sebelumnya")
    DISCARDED = "discarded", _l("Dibatalkan")


class Relationship(Vocabulary):
    """A member's relationship to the head of the household (as on the Kartu Keluarga)."""

    HEAD = "head", _l("Kepala keluarga")
    SPOUSE = "spouse", _l("Istri/suami")
    CHILD = "child", _l("Anak")
    CHILD_IN_LAW = "child_in_law", _l("Menantu")
    GRANDCHILD = "grandchild", _l("Cucu")
    PARENT = "parent", _l("Orang tua/mertua")
    OTHER = "other", _l("Famili lain")


class Education(Vocabulary):
    """The highest schooling a member has finished (or is in)."""

    NONE = "none", _l("Tidak/belum sekolah")
    SD = "sd", _l("SD/sederajat")
    SMP = "smp", _l("SMP/sederajat")
    SMA = "sma", _l("SMA/sederajat")
    HIGHER = "higher", _l("Diploma/perguruan tinggi")


class Disability(Vocabulary):
    """A member's disability, if any (kinds as in the welfare register)."""

    NONE = "none", _l("Tidak ada")
    PHYSICAL = "physical", _l("Disabilitas fisik")
    SENSORY = "sensory", _l("Disabilitas sensorik")
    INTELLECTUAL = "intellectual", _l("Disabilitas intelektual")
    MENTAL = "mental", _l("Disabilitas mental")
    MULTIPLE = "multiple", _l("Disabilitas ganda")


class HousingCondition(Vocabulary):
    """The condition of the household's dwelling."""

    DECENT = "decent", _l("Layak huni")
    INADEQUATE = "inadequate", _l("Tidak layak huni")
    SEVERELY_DAMAGED = "severely_damaged", _l("Rusak berat")
