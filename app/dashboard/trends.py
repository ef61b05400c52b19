"""Month-by-month trends of the figures the comparison shows, for every region or one.

The sums come from `app.dashboard.month_sums`: the month counters for whole months, the daily
ones for a cut month at either end.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from app.dashboard.metrics import SLA_MET, SLA_MISSED, median_hours
from app.dashboard.month_sums import monthly_sums
from app.dashboard.periods import Period

#: (key, label, format) of each figure with a trend; overdue is "now" and has none.
FIGURES = (
    ("received", _l("Pengaduan diterima"), "int"),
    ("closed", _l("Selesai"), "int"),
    ("referrals", _l("Rujukan diajukan"), "int"),
    ("prelist", _l("Usulan daftar awal"), "int"),
    ("close_median_hours", _l("Median waktu sampai selesai"), "hours"),
    ("sla_share", _l("Langkah tepat waktu (SLA)"), "percent"),
    ("response_median_hours", _l("Median waktu jawab rujukan"), "hours"),
)
COUNTERS = {"received": "received", "closed": "closed", "referrals": "referral_requested", "prelist": "prelist"}
METRICS = ("received", "closed", "referral_requested", "prelist", "close_hours", "response_hours", "state_hours")
LONGEST = 36


def trend_months(period: Period) -> tuple[list[Period], bool]:
    """The months a trend shows, each clipped to `period` (so they add up to it); a period
    within one month shows the twelve months up to it instead (`True`: extended)."""
    months = period.months()
    if len(months) <= 1:
        last = months[-1]
        first = last.start
        for _ in range(11):
            first = (first - timedelta(days=1)).replace(day=1)
        return Period(first, last.end).months(), True
    return period.month_parts()[-LONGEST:], False


@dataclass
class TrendFigure:
    key: str
    label: str
    unit: str  # int | hours | percent
    values: list = field(default_factory=list)  # one per month (None: nothing to measure)


@dataclass
class Trend:
    months: list[Period]
    extended: bool  # a one-month period: the twelve months up to it
    figures: list[TrendFigure]

    def month_labels(self, short: bool = False) -> list[str]:
        """`Februari 2025`, or short `Feb 25`."""
        return [format_date(m.start, "MMM yy" if short else "MMMM yyyy") for m in self.months]

    def axis_labels(self) -> list[str]:
        """Under a chart's columns: `Feb`, with the year on the first month and on each January."""
        return [format_date(m.start, "MMM yy" if i == 0 or m.start.month == 1 else "MMM")
                for i, m in enumerate(self.months)]

    def rows(self) -> list[list]:
        """The table under the charts: one row per month, one column per figure."""
        labels = self.month_labels()
        return [[labels[i], *[f.values[i] for f in self.figures]] for i in range(len(self.months))]


def trend(period: Period, only: uuid.UUID | None = None) -> Trend:
    """Each figure month by month over `period` (see `trend_months`), all regions or `only`."""
    months, extended = trend_months(period)
    sums = monthly_sums(months, METRICS, ["detail", "bucket"], only,
                        where=lambda t: (or_(t.metric != "state_hours", t.detail.in_((SLA_MET, SLA_MISSED))),))
    n = len(months)
    counts = {metric: [0] * n for metric in METRICS}
    histograms: dict[str, list[dict]] = {m: [{} for _ in range(n)] for m in ("close_hours", "response_hours")}
    verdicts = {SLA_MET: [0] * n, SLA_MISSED: [0] * n}
    for (i, metric, detail, bucket), total in sums.items():
        if i >= n:
            continue
        if metric in histograms:
            histograms[metric][i][bucket] = histograms[metric][i].get(bucket, 0) + total
        elif metric == "state_hours":
            verdicts[detail][i] += total
        else:
            counts[metric][i] += total
    values: dict[str, list] = {key: list(counts[metric]) for key, metric in COUNTERS.items()}
    values["close_median_hours"] = [median_hours(h) for h in histograms["close_hours"]]
    values["response_median_hours"] = [median_hours(h) for h in histograms["response_hours"]]
    values["sla_share"] = [met / (met + missed) if met + missed else None
                           for met, missed in zip(verdicts[SLA_MET], verdicts[SLA_MISSED], strict=True)]
    return Trend(months, extended, [TrendFigure(key, str(label), unit, values[key]) for key, label, unit in FIGURES])
