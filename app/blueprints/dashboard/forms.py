"""Asking for a report: which one, for which month or year, in which format."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, ValidationError

from app.dashboard.periods import (
    MIN_YEAR,
    MONTH_RE,
    YEAR_RE,
    Period,
    default_period,
    out_of_range_message,
    today,
)

KIND_LABELS = {"monthly": _l("Laporan kegiatan bulanan (untuk Sekretariat Nasional SLRT)"),
               "yearly": _l("Laporan evaluasi akhir tahun")}
FORMAT_LABELS = {"pdf": _l("PDF"), "xlsx": _l("Excel")}


def default_month() -> str:
    """The month the dashboard opens on too (`default_period`), as `2026-10`."""
    return default_period().start.strftime("%Y-%m")


class ReportForm(FlaskForm):
    """A monthly report names a month (`2026-11`), a yearly one a year (`2026`)."""

    kind = RadioField(_l("Jenis laporan"), choices=list(KIND_LABELS.items()), default="monthly",
                      validators=[DataRequired(_l("Pilih jenis laporan."))])
    month = StringField(_l("Bulan"), default=default_month)
    year = StringField(_l("Tahun"), default=lambda: str(default_period().start.year))
    format = RadioField(_l("Format"), choices=list(FORMAT_LABELS.items()), default="pdf",
                        validators=[DataRequired(_l("Pilih format."))])

    def period_text(self) -> str:
        return ((self.month.data if self.kind.data == "monthly" else self.year.data) or "").strip()

    def validate_month(self, field) -> None:
        if self.kind.data == "monthly":
            _check(field.data, MONTH_RE, _l("Pilih bulan (format TTTT-BB)."))

    def validate_year(self, field) -> None:
        if self.kind.data == "yearly":
            _check(field.data, YEAR_RE, _l("Isi tahun dengan empat angka."))


def _check(value: str | None, pattern, message) -> None:
    value = (value or "").strip()
    if not pattern.match(value):
        raise ValidationError(message)
    if int(value[:4]) < MIN_YEAR:
        raise ValidationError(out_of_range_message())
    period = Period.parse(value)  # None past next year
    if period is None or period.start > today():
        raise ValidationError(_l("Periode itu belum dimulai."))
