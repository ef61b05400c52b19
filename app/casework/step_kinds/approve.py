"""`approve`: an approver agrees; on a referral awaiting approval, that is the decision.

In a chain of approvals (the manager, then the head of the office) only the last one decides:
an approval that another one still follows leaves the referral waiting (for the next approver),
and a return to an earlier approval stage of the chain sends it back one level, still waiting.
"""
from flask_babel import lazy_gettext as _l

from app.casework.step_kinds.base import StepKind
from app.casework.step_kinds.referrals import approvals_ahead, open_referral
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

    def still_waiting(self, case) -> bool:
        """Whether taking this kind of step from the case's stage leaves its referral awaiting approval.

        True when every step of this kind from that stage leads where an approval still lies ahead.
        """
        sop = case.sop_version.sop
        steps = [t for t in sop.transitions_from(case.state) if t.kind == self.key]
        return bool(steps) and all(approvals_ahead(sop, t.target) for t in steps)

    def apply(self, case, data, now) -> dict:
        referral = open_referral(case)
        if referral is None or referral.status != ReferralStatus.REQUESTED:
            return {}
        if self.still_waiting(case):  # not the last word: the referral waits for the next approver
            return {"partner": referral.partner.name, "approval": "intermediate"}
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
