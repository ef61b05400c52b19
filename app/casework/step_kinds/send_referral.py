"""`send_referral`: the referral letter went out to the partner (the letter is issued and numbered here)."""
from flask_babel import lazy_gettext as _l

from app.casework.letters import issue_letter
from app.casework.step_kinds.base import StepKind
from app.casework.step_kinds.referrals import open_referral
from app.casework.vocabulary import ReferralStatus


class SendReferral(StepKind):
    key = "send_referral"
    label = _l("Pengiriman rujukan")
    order = 60
    metrics = ("referral_sent",)
    referral_stamp = "sent_at"

    def apply(self, case, data, now) -> dict:
        referral = open_referral(case)
        if referral is None:
            return {}
        referral.status, referral.sent_at = ReferralStatus.SENT, now
        letter = issue_letter(case, referral, now)
        return {"partner": referral.partner.name, "letter": letter.number}

    def counts(self, tally) -> None:
        if tally.referral:
            tally.add("referral_sent", partner=True)

    def program(self, event):
        return False


KIND = SendReferral()
