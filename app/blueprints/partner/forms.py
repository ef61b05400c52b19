"""The partner's answer to a referral."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.casework.vocabulary import AnswerResult


class PartnerAnswerForm(FlaskForm):
    result = RadioField(_l("Jawaban lembaga"), choices=list(AnswerResult.labels().items()), validate_choice=False)
    plan = TextAreaField(_l("Yang akan dilakukan (atau alasan penolakan)"))
    due = DateField(_l("Paling lambat"), validators=[Optional()],
                    invalid_value_message=_l("Tanggal tidak sah."))
    reply = FileField(_l("Surat balasan (PDF atau foto)"))


class OfficerInviteForm(FlaskForm):
    """A manager invites an officer of a partner (settings, the partner's page)."""

    email = EmailField(_l("Email petugas"), validators=[DataRequired(_l("Email wajib diisi.")),
                                                       Email(_l("Format email tidak sah.")), Length(max=254)])
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)])
