from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

DECISIONS = {"verified": _l("Verifikasi: layak diusulkan masuk data terpadu"),
             "rejected": _l("Tolak usulan")}


class ImportForm(FlaskForm):
    """Upload of a new register extract (CSV)."""

    file = FileField(_l("Berkas CSV"), validators=[
        FileRequired(_l("Pilih berkas CSV.")),
        FileAllowed(["csv", "txt"], _l("Berkas harus berformat CSV (.csv)."))])


class ReviewForm(FlaskForm):
    """Verifying or rejecting one pre-list proposal; a rejection needs a reason."""

    decision = RadioField(_l("Keputusan"), choices=list(DECISIONS.items()),
                          validators=[DataRequired(_l("Pilih keputusan."))])
    note = TextAreaField(_l("Catatan"), validators=[Length(max=2000)])

    def validate_note(self, field) -> None:
        if self.decision.data == "rejected" and not (field.data or "").strip():
            raise ValidationError(_("Alasan penolakan wajib diisi."))
