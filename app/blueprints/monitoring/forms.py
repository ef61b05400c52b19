"""The forms of monitoring: amounts and figures are text fields, parsed by the operations
(`app.monitoring.operations`), so "1.250.000" is read as Indonesians write it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from app.monitoring.models import FundSource

MONTHS = [(str(n), label) for n, label in enumerate(
    (_l("Jan"), _l("Feb"), _l("Mar"), _l("Apr"), _l("Mei"), _l("Jun"), _l("Jul"), _l("Agu"), _l("Sep"), _l("Okt"),
     _l("Nov"), _l("Des")), start=1)]


class PlanForm(FlaskForm):
    year = StringField(_l("Tahun anggaran"), render_kw={"inputmode": "numeric", "maxlength": 4})
    owner = SelectField(_l("Pemilik rencana"), validate_choice=False,
                        description=_l("Sekretariat, Puskesos, atau kecamatan."))


class ActivityForm(FlaskForm):
    name = StringField(_l("Nama kegiatan"), render_kw={"maxlength": 200})
    target = StringField(_l("Target"), render_kw={"inputmode": "numeric"}, description=_l("Angka, misalnya 12."))
    target_unit = StringField(_l("Satuan"), render_kw={"maxlength": 40},
                              description=_l("Misalnya kali, orang, desa, dokumen."))
    months = SelectMultipleField(_l("Bulan pelaksanaan"), choices=MONTHS, validate_choice=False,
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    responsible = StringField(_l("Penanggung jawab (jabatan)"), render_kw={"maxlength": 200})


class BudgetForm(FlaskForm):
    account = StringField(_l("Kode rekening / uraian belanja"), render_kw={"maxlength": 200})
    amount = StringField(_l("Jumlah (Rp)"), render_kw={"inputmode": "numeric", "placeholder": "1.250.000"},
                         description=_l("Tulis seperti biasa, misalnya 1.250.000."))
    source = SelectField(_l("Sumber dana"), validate_choice=False,
                         choices=[("", _l("Pilih sumber dana")), *FundSource.labels().items()])


class AchievementForm(FlaskForm):
    achieved = StringField(_l("Capaian sampai saat ini"), render_kw={"inputmode": "numeric"})
    on = StringField(_l("Per tanggal"), render_kw={"type": "date"})
    note = TextAreaField(_l("Catatan"), render_kw={"rows": 2, "maxlength": 2000})


class SpendingForm(FlaskForm):
    month = SelectField(_l("Bulan"), choices=[("", _l("Pilih bulan")), *MONTHS], validate_choice=False)
    amount = StringField(_l("Realisasi (Rp)"), render_kw={"inputmode": "numeric", "placeholder": "1.250.000"})
    note = TextAreaField(_l("Catatan"), render_kw={"rows": 2, "maxlength": 2000},
                         description=_l("Wajib bila realisasi melebihi pagu."))


class RemoveForm(FlaskForm):
    """Removing an activity or a budget line: only with the box ticked (checked by the operation)."""

    confirm = BooleanField(_l("Ya, hapus dari rencana"))


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Catatan evaluasi"), render_kw={"rows": 6, "maxlength": 5000})


def put_errors(form: FlaskForm, errors: dict[str, list[str]]) -> None:
    """The operation's errors at their fields (the rest on the form)."""
    for name, messages in errors.items():
        if name in form:
            form[name].errors = list(messages)
        else:
            form.form_errors = [*form.form_errors, *messages]
