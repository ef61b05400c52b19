"""`close`: closes the case without further data."""
from flask_babel import lazy_gettext as _l

from app.casework.step_kinds.base import StepKind


class Close(StepKind):
    key = "close"
    label = _l("Penutupan")
    order = 100


KIND = Close()
