from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from app.casework.sop import Transition
from app.casework.step_kinds import StepInput, StepKind


class StepForm(FlaskForm):
    """What every step has; a step's form adds the fields its kind collects (`form_class`)."""

    version = HiddenField()
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=4000)])

    def step_input(self, kind: StepKind) -> StepInput:
        """What was entered, for `take_step`."""
        return StepInput.of(self.note.data or "", {name: self[name].data for name in kind.fields})


_CLASSES: dict[StepKind, type[StepForm]] = {}


def form_class(kind: StepKind) -> type[StepForm]:
    """The form for steps of `kind`: the common fields plus the kind's own."""
    if kind not in _CLASSES:
        _CLASSES[kind] = type(f"StepForm_{kind.key}", (StepForm,), dict(kind.fields))
    return _CLASSES[kind]


def step_form(step: Transition, **kwargs) -> StepForm:
    """The form of one step on the case page (its fields prefixed with the step's key)."""
    return form_class(step.step_kind)(prefix=step.key, **kwargs)
