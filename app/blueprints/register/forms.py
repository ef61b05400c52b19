from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SearchField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

DECISIONS = {"verified": _l("Verifikasi: layak diusulkan masuk data terpadu"),
             "rejected": _l("Tolak usulan")}


class ImportForm(FlaskForm):
    """Upload of a new register extract (CSV or Excel)."""

    file = FileField(_l("Berkas CSV atau Excel"), validators=[
        FileRequired(_l("Pilih berkas CSV atau Excel.")),
        FileAllowed(["csv", "txt", "xlsx"], _l("Berkas harus berformat CSV (.csv) atau Excel (.xlsx)."))])


class ImportDecisionForm(FlaskForm):
    """Confirming or discarding a staged import (a button; the form carries the CSRF token)."""


class NameSearchForm(FlaskForm):
    """Searching the register by name within a district or village of the region (a GET form)."""

    class Meta:
        csrf = False

    name = SearchField(_l("Nama"), validators=[
        DataRequired(_l("Tulis sedikitnya 3 huruf nama.")),
        Length(min=3, max=100, message=_l("Tulis 3 sampai 100 huruf nama."))])
    area = SelectField(_l("Kecamatan atau kelurahan/desa"), validate_choice=False,
                       validators=[DataRequired(_l("Pilih kecamatan atau kelurahan/desa."))])

    def validate_area(self, field) -> None:
        from app.citizens.register import region_area

        if region_area(field.data or "") is None:
            raise ValidationError(_("Pilih kecamatan atau kelurahan/desa dari daftar."))


class ReviewForm(FlaskForm):
    """Verifying or rejecting one pre-list proposal; a rejection needs a reason."""

    decision = RadioField(_l("Keputusan"), choices=list(DECISIONS.items()),
                          validators=[DataRequired(_l("Pilih keputusan."))])
    note = TextAreaField(_l("Catatan"), validators=[Length(max=2000)])

    def validate_note(self, field) -> None:
        if self.decision.data == "rejected" and not (field.data or "").strip():
            raise ValidationError(_("Alasan penolakan wajib diisi."))
