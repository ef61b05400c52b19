"""What a notice is about."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class NoticeKind(Vocabulary):
    """The kinds of in-app notice; each member chooses which also come by email."""

    CASE_WAITING = "case_waiting", _l("Kasus menunggu saya")
    REFERRAL_APPROVED = "referral_approved", _l("Rujukan yang saya usulkan disetujui")
    REFERRAL_RETURNED = "referral_returned", _l("Rujukan yang saya usulkan dikembalikan")
    SLA_PASSED = "sla_passed", _l("Kasus melewati batas waktu layanan")
    INVITATION_ACCEPTED = "invitation_accepted", _l("Undangan saya diterima")
