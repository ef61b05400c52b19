"""The codes of an export batch to SIKS-NG and of the ministry's answer."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class BatchStatus(Vocabulary):
    """An export batch: gathered, sent to SIKS-NG, its result imported."""

    DRAFT = "draft", _l("Disiapkan")
    SENT = "sent", _l("Terkirim")
    ANSWERED = "answered", _l("Hasil diterima")


class MinistryResult(Vocabulary):
    """What the ministry answered for one proposal."""

    ACCEPTED = "accepted", _l("Diterima")
    REJECTED = "rejected", _l("Ditolak")


class UpdateKind(Vocabulary):
    """What a data update proposes; each kind has its own review chain (`ReviewedKind`, same codes)."""

    NEW_HOUSEHOLD = "new_household", _l("Usulan rumah tangga baru")
    MEMBER_CHANGED = "member_changed", _l("Perubahan data anggota")
    MEMBER_BORN = "member_born", _l("Anggota lahir")
    MEMBER_DECEASED = "member_deceased", _l("Anggota meninggal")
    MEMBER_MOVED = "member_moved", _l("Anggota pindah")
    NO_LONGER_POOR = "no_longer_poor", _l("Rumah tangga tidak miskin lagi")
