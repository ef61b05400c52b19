"""The console's period picker: a month, a quarter, a year or a range of days.

Query parameters: `period` (month | quarter | year | custom) and the one field it uses:
`month=2026-03`, `quarter=2026-Q1`, `year=2026`, or `start` / `end` (ISO dates). A bare
`start` / `end` (older links) means a custom range. Unusable values come back as errors by
field, with the default month in their place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app.dashboard.periods import Period, default_period, out_of_range_message, today, year_in_range

KINDS = {"month": _l("Bulan"), "quarter": _l("Triwulan"), "year": _l("Tahun"), "custom": _l("Rentang tanggal")}
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
ROMAN = ("I", "II", "III", "IV")
QUARTERS_OFFERED = 16


def quarter_period(text: str) -> Period | None:
    """`2026-Q1` → 1 January – 31 March 2026; None if not a quarter we report on."""
    match = QUARTER_RE.match((text or "").strip())
    if not match or not year_in_range(int(match.group(1))):
        return None
    year, q = int(match.group(1)), int(match.group(2))
    return Period(Period.month(year, 3 * q - 2).start, Period.month(year, 3 * q).end)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_label(text: str) -> str:
    match = QUARTER_RE.match(text)
    if not match:
        return text
    return str(_l("Triwulan %(q)s %(y)s", q=ROMAN[int(match.group(2)) - 1], y=match.group(1)))


@dataclass
class PeriodChoice:
    kind: str
    period: Period
    month: str
    quarter: str
    year: str
    start: date
    end: date
    errors: dict = field(default_factory=dict)

    def args(self) -> dict:
        """The query parameters that choose this period again (for links and exports)."""
        if self.kind == "custom":
            return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.kind, self.kind: getattr(self, self.kind)}

    def label(self) -> str:
        if self.kind == "quarter":
            return quarter_label(self.quarter)
        return self.period.label()

    def quarter_choices(self) -> list[tuple[str, str]]:
        """The last `QUARTERS_OFFERED` quarters, newest first (and the chosen one if older)."""
        now = today()
        year, q = now.year, (now.month - 1) // 3 + 1
        values = []
        for _ in range(QUARTERS_OFFERED):
            values.append(f"{year}-Q{q}")
            year, q = (year, q - 1) if q > 1 else (year - 1, 4)
        if self.quarter not in values:
            values.append(self.quarter)
        return [(v, quarter_label(v)) for v in values]

    def year_choices(self) -> list[str]:
        years = [str(y) for y in range(today().year, today().year - 10, -1)]
        return years if self.year in years else [*years, self.year]


def parse_choice(args) -> PeriodChoice:
    """The period the query string asks for, with errors by field. By default the month the
    region's dashboard and report form open on (`default_period`), so all three agree."""
    default = default_period()
    kind = (args.get("period") or "").strip()
    if not kind and (args.get("start") or args.get("end")):
        kind = "custom"
    if kind not in KINDS:
        kind = "month"
    errors: dict = {}
    month = (args.get("month") or "").strip() or default.start.strftime("%Y-%m")
    quarter = (args.get("quarter") or "").strip() or quarter_of(default.start)
    year = (args.get("year") or "").strip() or str(default.start.year)
    period = default
    if kind == "month":
        chosen = Period.parse(month) if len(month) == 7 else None
        if chosen is None:
            errors["month"], month = str(_l("Pilih bulan (format: TTTT-BB).")), default.start.strftime("%Y-%m")
        period = chosen or default
    elif kind == "quarter":
        chosen = quarter_period(quarter)
        if chosen is None:
            errors["quarter"], quarter = str(_l("Pilih triwulan dari daftar.")), quarter_of(default.start)
        period = chosen or default
    elif kind == "year":
        chosen = Period.parse(year) if len(year) == 4 else None
        if chosen is None:
            errors["year"], year = out_of_range_message(), str(default.start.year)
        period = chosen or default
    else:
        period, found = Period.from_args(args.get("start", "").strip(), args.get("end", "").strip(), default)
        errors.update({{"from": "start", "to": "end"}[k]: v for k, v in found.items()})
    return PeriodChoice(kind, period, month, quarter, year, period.start, period.end, errors)


def choice_text(choice: PeriodChoice) -> str:
    """`Triwulan I 2026 (1 Jan 2026 – 31 Mar 2026)` for headings and file facts."""
    span = f"{format_date(choice.period.start, 'd MMM yyyy')} – {format_date(choice.period.end, 'd MMM yyyy')}"
    label = choice.label()
    return label if label == span else f"{label} ({span})"
