"""The codes of a review chain: a record's status, a stage's action, a reviewer's decision."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class ReviewStatus(Vocabulary):
    """A reviewed record: pending while a stage of its chain is open, then approved or rejected."""

    PENDING = "pending", _l("Dalam penelaahan")
    APPROVED = "approved", _l("Disetujui")
    REJECTED = "rejected", _l("Ditolak")


class ReviewAction(Vocabulary):
    """What a stage of a chain does (the regulation's verb)."""

    REVIEW = "review", _l("Menelaah")
    RECOMMEND = "recommend", _l("Merekomendasikan")
    DECIDE = "decide", _l("Memutuskan")


class ReviewDecision(Vocabulary):
    """A reviewer's answer at one stage."""

    APPROVE = "approve", _l("Setujui")
    REJECT = "reject", _l("Tolak")


class ReviewedKind(Vocabulary):
    """The kinds of record that go through a region's review chains (the data updates are `UpdateKind`)."""

    PARTICIPATION = "participation", _l("Kepesertaan program")
    NEED = "need", _l("Kebutuhan program")
    NEW_HOUSEHOLD = "new_household", _l("Usulan rumah tangga baru")
    MEMBER_CHANGED = "member_changed", _l("Perubahan data anggota")
    MEMBER_BORN = "member_born", _l("Anggota lahir")
    MEMBER_DECEASED = "member_deceased", _l("Anggota meninggal")
    MEMBER_MOVED = "member_moved", _l("Anggota pindah")
    NO_LONGER_POOR = "no_longer_poor", _l("Rumah tangga tidak miskin lagi")

