"""Reporting periods, the words the dashboard and reports use for codes, and number formats."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import lazy_gettext as _l

from app.localtime import local_zone

RESOLUTIONS = {"handled": _l("Ditangani sekretariat"), "served": _l("Dilayani program"),
               "not_served": _l("Tidak dapat dilayani"), "redirected": _l("Dialihkan")}
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
YEAR_RE = re.compile(r"^(\d{4})$")
#: The first year with SLRT data; dates outside MIN_YEAR..next year are refused, not computed.
MIN_YEAR = 2000


def today() -> date:
    """Today in the platform's local time zone."""
    zone = local_zone()
    return datetime.now(zone).date()


def year_in_range(year: int) -> bool:
    """Whether `year` can hold SLRT data: MIN_YEAR up to next year."""
    return MIN_YEAR <= year <= today().year + 1


def out_of_range_message() -> str:
    return str(_l("Tanggal harus antara tahun %(a)s dan %(b)s.", a=MIN_YEAR, b=today().year + 1))


def parse_day(text: str) -> date:
    """An ISO date typed in a filter; ValueError with the message for the field otherwise."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(str(_l("Tanggal tidak sah (format: TTTT-BB-HH)."))) from None
    if not year_in_range(day.year):
        raise ValueError(out_of_range_message())
    return day


@dataclass(frozen=True)
class Period:
    """Local calendar days start..end (inclusive)."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """`2026-11` → that month, `2026` → that year (MIN_YEAR to next year), else None."""
        text = (text or "").strip()
        if (m := MONTH_RE.match(text)) and year_in_range(int(m.group(1))):
            return cls.month(int(m.group(1)), int(m.group(2)))
        if (m := YEAR_RE.match(text)) and year_in_range(int(m.group(1))):
            return cls.year(int(m.group(1)))
        return None

    @classmethod
    def from_args(cls, start: str, end: str, default: Period) -> tuple[Period, dict]:
        """The period from two ISO dates (either may be missing), with errors by field."""
        errors, values = {}, {}
        for name, text, fallback in (("from", start, default.start), ("to", end, default.end)):
            try:
                values[name] = parse_day(text) if text else fallback
            except ValueError as exc:
                errors[name], values[name] = str(exc), fallback
        if errors:
            return default, errors
        if values["from"] > values["to"]:
            errors["to"] = str(_l("Tanggal akhir sebelum tanggal awal."))
            return default, errors
        if (values["to"] - values["from"]).days > 3 * 366:
            errors["from"] = str(_l("Periode paling panjang tiga tahun."))
            return default, errors
        return cls(values["from"], values["to"]), errors

    def label(self) -> str:
        """`November 2026`, `Tahun 2026`, or `1 Nov 2026 – 15 Nov 2026`."""
        if self == Period.month(self.start.year, self.start.month):
            return format_date(self.start, "MMMM yyyy")
        if self == Period.year(self.start.year):
            return str(_l("Tahun %(y)s", y=self.start.year))
        return f"{format_date(self.start, 'd MMM yyyy')} – {format_date(self.end, 'd MMM yyyy')}"

    def months(self) -> list[Period]:
        out, cursor = [], self.start.replace(day=1)
        while cursor <= self.end:
            out.append(Period.month(cursor.year, cursor.month))
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        return out

    def month_parts(self) -> list[Period]:
        """The calendar months the period covers, the first and last cut to the period's own days."""
        if self.end < self.start:
            return []
        parts = self.months()
        parts[0] = Period(max(parts[0].start, self.start), parts[0].end)
        parts[-1] = Period(parts[-1].start, min(parts[-1].end, self.end))
        return parts

    def is_whole_month(self) -> bool:
        return self == Period.month(self.start.year, self.start.month)


def current_month() -> Period:
    now = today()
    return Period.month(now.year, now.month)


def default_period(day: date | None = None) -> Period:
    """The period the dashboard and the report form open on (one rule for both): the month under way.

    The report of the month just ended is the one usually filed; a region has it built on its own at
    the start of each month (scheduled reports), and the dashboard's "Bulan lalu" is one click away.
    """
    day = day or today()
    return Period.month(day.year, day.month)


_GROUPING: dict[str, str] = {}


def number(value) -> str:
    """`1.234` in Indonesian, `1,234` in English (the request's locale).

    The locale's thousands separator is looked up once per locale (a board has a thousand
    numbers; asking Babel for each one cost a third of the page's time).
    """
    if value is None:
        return "—"
    locale = str(get_locale() or "")
    separator = _GROUPING.get(locale)
    if separator is None:
        separator = _GROUPING[locale] = format_decimal(1000).replace("1", "").replace("0", "")
    return f"{int(value):,}".replace(",", separator)


def hours_text(hours: float | None) -> str:
    """`5 jam`, `2,5 hari` — durations as a person says them, in the request's language."""
    if hours is None:
        return "—"
    if hours < 10:
        return str(_l("%(n)s jam", n=format_decimal(hours, "0.0")))
    if hours < 48:
        return str(_l("%(n)s jam", n=format_decimal(hours, "0")))
    return str(_l("%(n)s hari", n=format_decimal(hours / 24, "0.0")))


def formatted(value, fmt: str) -> str:
    """A table cell as text: `int` → 1.234, `hours` → 2,5 hari, `percent` (a 0–1 share) → 45%."""
    if fmt == "int":
        return number(value)
    if fmt == "hours":
        return hours_text(value)
    if fmt == "percent":
        return "—" if value is None else format_percent(value)
    return "" if value is None else str(value)
