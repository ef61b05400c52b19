"""The home-visit part of the intake form: household condition; photo and location with consent.

Shown and checked only when the complaint comes in on the home-visit channel; the location
inputs are filled by static/js/home-visit.js once the person has agreed.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import ValidationError

from app.casework.home_visit import HOME_VISIT_CHANNEL, MAX_HOUSEHOLD, HomeVisit, HouseCondition, IncomeSource


def _choices(vocabulary) -> list[SelectChoice]:
    return [SelectChoice("", str(_l("— pilih —")))] + [SelectChoice(k, str(v)) for k, v in vocabulary.labels().items()]


def _size(text) -> int | None:
    """The number of household members as typed, or None when it is not one from 1 to MAX_HOUSEHOLD."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_HOUSEHOLD else None


class HomeVisitFields:
    """Mixed into `IntakeForm`: the fields of a home visit."""

    channel: RadioField  # the intake form's own

    house_condition = SelectField(_l("Kondisi rumah"), choices=[], validate_choice=False)
    household_size = StringField(_l("Jumlah anggota rumah tangga"), render_kw={"inputmode": "numeric", "maxlength": 2})
    income_source = SelectField(_l("Sumber penghasilan utama"), choices=[], validate_choice=False)
    consent = BooleanField(_l("Warga setuju rumahnya difoto dan lokasi kunjungan dicatat"))
    photo = FileField(_l("Foto rumah (dengan persetujuan)"), render_kw={"accept": "image/jpeg,image/png",
                                                                        "capture": "environment"})
    latitude = HiddenField()
    longitude = HiddenField()
    accuracy = HiddenField()

    def set_home_visit_choices(self) -> None:
        self.house_condition.choices = _choices(HouseCondition)
        self.income_source.choices = _choices(IncomeSource)

    @property
    def is_home_visit(self) -> bool:
        return self.channel.data == HOME_VISIT_CHANNEL

    @property
    def offers_home_visit(self) -> bool:
        return any(c.value == HOME_VISIT_CHANNEL for c in self.channel.choices)

    def home_visit(self) -> HomeVisit:
        return HomeVisit(house_condition=self.house_condition.data, household_size=_size(self.household_size.data),
                         income_source=self.income_source.data, consent=bool(self.consent.data),
                         latitude=self.latitude.data or "", longitude=self.longitude.data or "",
                         accuracy=self.accuracy.data or "")

    def validate_photo(self, field) -> None:
        if self.is_home_visit and bool(getattr(field.data, "filename", None)) and not self.consent.data:
            raise ValidationError(_l("Foto hanya boleh diambil dengan persetujuan warga; centang persetujuannya "
                                     "atau kosongkan foto."))

    def validate_house_condition(self, field) -> None:
        if self.is_home_visit and field.data and field.data not in HouseCondition.labels():
            raise ValidationError(_l("Pilih kondisi rumah dari daftar."))

    def validate_income_source(self, field) -> None:
        if self.is_home_visit and field.data and field.data not in IncomeSource.labels():
            raise ValidationError(_l("Pilih sumber penghasilan dari daftar."))

    def validate_household_size(self, field) -> None:
        if self.is_home_visit and (field.data or "").strip() and _size(field.data) is None:
            raise ValidationError(_l("Jumlah anggota rumah tangga 1–%(n)s orang.", n=MAX_HOUSEHOLD))
