"""`record_outcome`: the follow-up's outcome (served / not served / redirected) is recorded."""
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from app.casework.step_kinds.base import StepKind
from app.casework.step_kinds.referrals import open_referral
from app.casework.vocabulary import Outcome, ReferralStatus


class RecordOutcome(StepKind):
    key = "record_outcome"
    label = _l("Pencatatan hasil tindak lanjut")
    order = 80
    note = "required"
    fields: ClassVar[dict[str, Any]] = {
        "outcome": RadioField(_l("Hasil tindak lanjut"), choices=list(Outcome.labels().items()),
                              validate_choice=False)}
    metrics = ("referral_outcome", "resolution")
    referral_stamp = "completed_at"

    def check(self, data) -> dict[str, list[str]]:
        return {} if data.outcome in Outcome.labels() else {"outcome": [_("Pilih hasil tindak lanjut.")]}

    def apply(self, case, data, now) -> dict:
        referral = open_referral(case)
        if referral is not None:
            referral.status, referral.completed_at, referral.outcome = ReferralStatus.COMPLETED, now, data.outcome
        return {"outcome": data.outcome}

    def counts(self, tally) -> None:
        outcome = str(tally.data.get("outcome") or "")
        if tally.referral:
            tally.add("referral_outcome", partner=True, detail=outcome)
        if outcome:
            tally.add("resolution", area=True, detail=outcome)

    def program(self, event):
        return (event.data or {}).get("outcome") == Outcome.SERVED


KIND = RecordOutcome()
