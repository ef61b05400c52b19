"""`handle`: handled in-house by the back office; what was done is required."""
from flask_babel import lazy_gettext as _l

from app.casework.step_kinds.base import StepKind


class Handle(StepKind):
    key = "handle"
    label = _l("Penanganan langsung")
    order = 40
    note = "required"
    reviewable = True
    metrics = ("resolution",)

    def counts(self, tally) -> None:
        tally.add("resolution", area=True, detail="handled")


KIND = Handle()
