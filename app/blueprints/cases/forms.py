from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from app.casework.steps import INFORM_CHANNELS, OUTCOMES


class StepForm(FlaskForm):
    """One form for every step; the step's kind decides which fields are shown and required."""

    version = HiddenField()
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=4000)])
    partner_id = SelectField(_l("Lembaga tujuan rujukan"), choices=[], validate_choice=False)
    outcome = RadioField(_l("Hasil tindak lanjut"), choices=list(OUTCOMES.items()), validate_choice=False)
    inform_channel = RadioField(_l("Cara memberi tahu warga"), choices=list(INFORM_CHANNELS.items()),
                                validate_choice=False)
