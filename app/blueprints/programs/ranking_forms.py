"""The ranking forms: a new ranking (district, quota) and the decision (decree, who is proposed)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.programs.ranking import MAX_QUOTA
from app.programs.ranking_decision import BASES, MAX_DECREE_LENGTH


def whole_number(value: str | None) -> int | None:
    """The quota typed (spaces and thousands dots allowed), None when empty; ValueError when not a number."""
    text = (value or "").strip().replace(".", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def _check_quota(field, required: bool, maximum: int) -> None:
    try:
        number = whole_number(field.data)
    except ValueError:
        raise ValidationError(_l("Kuota harus bilangan bulat.")) from None
    if number is None:
        if required:
            raise ValidationError(_l("Kuota wajib diisi."))
        return
    if not 1 <= number <= maximum:
        raise ValidationError(_l("Kuota harus antara 1 dan %(n)s.", n=maximum))


class NewRankingForm(FlaskForm):
    """Rank a program's candidates now: in one district or the whole region, with an optional quota."""

    district = SelectField(_l("Kecamatan"), choices=[], validate_choice=False)
    quota = StringField(_l("Kuota (boleh kosong)"), render_kw={"inputmode": "numeric", "maxlength": 9},
                        description=_l("Sebanyak ini peringkat teratas langsung dicentang sebagai yang diusulkan."))

    def validate_quota(self, field) -> None:
        _check_quota(field, required=False, maximum=MAX_QUOTA)

    @property
    def quota_number(self) -> int | None:
        return whole_number(self.quota.data)


class DecideForm(FlaskForm):
    """The decision: the decree (SK) number and date, and whether the top N or the ticked rows are proposed."""

    decree_number = StringField(_l("Nomor SK"), validators=[
        DataRequired(_l("Nomor SK wajib diisi.")),
        Length(max=MAX_DECREE_LENGTH, message=_l("Nomor SK paling panjang %(n)s karakter.", n=MAX_DECREE_LENGTH))],
        render_kw={"maxlength": MAX_DECREE_LENGTH, "autocomplete": "off"})
    decree_date = DateField(_l("Tanggal SK"), validators=[DataRequired(_l("Tanggal SK wajib diisi."))],
                            invalid_value_message=_l("Tanggal SK tidak sah."))
    basis = RadioField(_l("Yang diusulkan"), choices=list(BASES.items()), default="quota",
                       validators=[DataRequired(_l("Pilih cara menentukan yang diusulkan."))])
    quota = StringField(_l("Kuota"), render_kw={"inputmode": "numeric", "maxlength": 9})

    def validate_quota(self, field) -> None:
        if self.basis.data == "quota":  # against the number of candidates: `decision_errors`
            _check_quota(field, required=True, maximum=MAX_QUOTA)

    @property
    def quota_number(self) -> int | None:
        try:
            return whole_number(self.quota.data)
        except ValueError:
            return None
