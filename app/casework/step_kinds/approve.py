"""`approve`: an approver agrees; on a referral awaiting approval, that is the decision."""
from flask_babel import lazy_gettext as _l

from app.casework.step_kinds.base import StepKind
from app.casework.step_kinds.referrals import open_referral
from app.casework.vocabulary import ReferralStatus


class Approve(StepKind):
    key = "approve"
    label = _l("Persetujuan")
    order = 20
    approval = True
    metrics = ("referral_decision",)
    referral_stamp = "decided_at"
    #: What the decision makes of a referral that awaits it.
    decision = ReferralStatus.APPROVED

    def apply(self, case, data, now) -> dict:
        referral = open_referral(case)
        if referral is None or referral.status != ReferralStatus.REQUESTED:
            return {}
        referral.status = self.decision
        referral.decided_at, referral.decision_note = now, data.note.strip()
        return {"referral": referral.status, "partner": referral.partner.name}

    def counts(self, tally) -> None:
        decision = tally.data.get("referral")
        if tally.referral and decision in (ReferralStatus.APPROVED, ReferralStatus.RETURNED):
            tally.add("referral_decision", partner=True, detail=decision)

    def program(self, event):
        return False if (event.data or {}).get("referral") == ReferralStatus.APPROVED else None


KIND = Approve()
