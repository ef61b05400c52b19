"""`record_answer`: the partner's answer to the referral is recorded."""
from flask_babel import lazy_gettext as _l

from app.casework.step_kinds.base import StepKind
from app.casework.step_kinds.referrals import open_referral
from app.casework.vocabulary import ReferralStatus


class RecordAnswer(StepKind):
    key = "record_answer"
    label = _l("Pencatatan jawaban lembaga")
    order = 70
    note = "required"
    metrics = ("referral_answered", "response_hours")
    referral_stamp = "answered_at"

    def apply(self, case, data, now) -> dict:
        referral = open_referral(case)
        if referral is None:
            return {}
        referral.status, referral.answered_at, referral.answer = ReferralStatus.ANSWERED, now, data.note.strip()
        return {"partner": referral.partner.name}

    def counts(self, tally) -> None:
        if not tally.referral:
            return
        tally.add("referral_answered", partner=True)
        if tally.referral.sent_at is not None:
            tally.add("response_hours", partner=True, bucket=tally.bucket_since(tally.referral.sent_at))

    def program(self, event):
        return False


KIND = RecordAnswer()
