"""The verval forms: a reviewer's decision, the start of a proposal, a batch's answer file."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from app.reviews.vocabulary import ReviewDecision
from app.verval.vocabulary import UpdateKind

DECISIONS = {ReviewDecision.APPROVE.value: _l("Setujui"), ReviewDecision.REJECT.value: _l("Tolak")}


class DecisionForm(FlaskForm):
    """Approve or reject at one stage; the operation asks a reason for a rejection."""

    decision = RadioField(_l("Keputusan"), choices=list(DECISIONS.items()), validate_choice=False)
    note = TextAreaField(_l("Catatan (wajib bila ditolak)"), validators=[Length(max=2000)])


class StartForm(FlaskForm):
    """Which household (KK number) and which kind of update: the first step of a proposal."""

    class Meta:
        csrf = False  # a GET form: it only chooses which form to show

    kk = StringField(_l("Nomor KK"), validators=[Length(max=16)])
    kind = SelectField(_l("Jenis usulan"), choices=list(UpdateKind.labels().items()), validate_choice=False)


class AnswerForm(FlaskForm):
    """The ministry's answer file for one batch (CSV or Excel)."""

    file = FileField(_l("Berkas hasil (CSV atau Excel)"), validators=[
        FileRequired(_l("Pilih berkas hasil.")),
        FileAllowed(["csv", "txt", "xlsx"], _l("Berkas harus CSV (.csv) atau Excel (.xlsx)."))])


class BatchNoteForm(FlaskForm):
    """Gathering a batch, or marking it sent, with an optional note."""

    note = TextAreaField(_l("Catatan"), validators=[Length(max=2000)])
