"""`forward`: moves the case on (review and mapping done, analysis submitted…)."""
from flask_babel import lazy_gettext as _l

from app.casework.step_kinds.base import StepKind


class Forward(StepKind):
    key = "forward"
    label = _l("Meneruskan")
    order = 10
    reviewable = True


KIND = Forward()
