"""Figures per region, read from every region's rollups: the comparison across regions, the
national summary report, and one region's figures on the console.

Platform code: each statement uses the `all_tenants` execution option and groups by
region, so the cost does not grow with one query per region; the sums come from the month
counters for whole months (`app.dashboard.month_sums`), so they do not grow with the cases
either. Every figure comes from the same rollups as the region's own dashboard and report,
and every median from the one `median_hours` (`app.dashboard.metrics`), so the console and
the region agree.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.casework.models import Case
from app.casework.vocabulary import PartnerLevel
from app.dashboard.metrics import median_hours
from app.dashboard.month_sums import period_sums
from app.dashboard.periods import Period
from app.dashboard.sla import MET, MISSED, sla_share
from app.extensions import db
from app.tenancy.context import ALL_TENANTS
from app.tenancy.models import Tenant, utcnow

_ALL = {ALL_TENANTS: True}
#: Counters read per region (summed over their dimensions but the level / outcome / SLA verdict).
COUNTED = ("received", "closed", "referral_requested", "referral_outcome", "prelist", "state_hours")
HISTOGRAMS = ("close_hours", "response_hours")


@dataclass
class NationalRow:
    region: str
    code: str
    received: int = 0
    closed: int = 0
    overdue: int = 0
    referrals: int = 0
    prelist: int = 0
    close_median_hours: float | None = None
    histogram: dict = field(default_factory=dict)  # close_hours bucket → count
    tenant_id: uuid.UUID | None = None
    slug: str = ""
    status: str = ""
    by_level: dict = field(default_factory=dict)  # partner level → referrals requested
    by_outcome: dict = field(default_factory=dict)  # outcome → referrals concluded
    sla_met: int = 0
    sla_missed: int = 0
    response: dict = field(default_factory=dict)  # partner level → response_hours histogram

    def values(self) -> list:
        """The national summary report's columns (`national_columns`)."""
        return [self.region, self.code, self.received, self.closed, self.overdue, self.referrals, self.prelist,
                self.close_median_hours]

    @property
    def sla_share(self) -> float | None:
        """Share (0–1) of steps finished within their state's deadline; None without any."""
        return sla_share(self.sla_met, self.sla_missed)

    @property
    def sla_steps(self) -> int:
        return self.sla_met + self.sla_missed

    def response_median(self, level: str | None = None) -> float | None:
        """Median hours from sending a referral to its answer (one partner level, or all)."""
        if level is not None:
            return median_hours(self.response.get(level, {}))
        return median_hours(merge(self.response.values()))


def merge(histograms) -> dict:
    out: dict = defaultdict(int)
    for histogram in histograms:
        for bucket, count in histogram.items():
            out[bucket] += count
    return dict(out)


def national_columns() -> list[str]:
    return [_("Daerah"), _("Kode"), _("Diterima"), _("Selesai"), _("Terlambat saat ini"), _("Rujukan"),
            _("Usulan daftar awal"), _("Median jam sampai selesai")]


def _add_count(row: NationalRow, metric: str, level: str, detail: str, total: int) -> None:
    if metric == "received":
        row.received += total
    elif metric == "closed":
        row.closed += total
    elif metric == "prelist":
        row.prelist += total
    elif metric == "referral_requested":
        row.referrals += total
        row.by_level[level] = row.by_level.get(level, 0) + total
    elif metric == "referral_outcome":
        row.by_outcome[detail] = row.by_outcome.get(detail, 0) + total
    elif metric == "state_hours" and detail == MET:
        row.sla_met += total
    elif metric == "state_hours" and detail == MISSED:
        row.sla_missed += total


def national_summary(period: Period, only: uuid.UUID | None = None, query: str = "") -> list[NationalRow]:
    """Every region (by name; or only the one with id `only`; or those whose name, code or
    subdomain contains `query`) with its figures for `period`; overdue is as of now."""
    stmt = select(Tenant).order_by(Tenant.name)
    if only is not None:
        stmt = stmt.where(Tenant.id == only)
    if query:
        text = query.lower()
        stmt = stmt.where(func.lower(Tenant.name).contains(text, autoescape=True)
                          | Tenant.region_code.contains(text, autoescape=True)
                          | Tenant.slug.contains(text, autoescape=True))
    rows = {t.id: NationalRow(t.name, t.region_code, tenant_id=t.id, slug=t.slug, status=t.status)
            for t in db.session.scalars(stmt)}
    if not rows:
        return []
    parts = period.month_parts()
    for (metric, tid, level, detail), total in period_sums(parts, COUNTED, ["tenant_id", "partner_level", "detail"],
                                                           only).items():
        if tid in rows:
            _add_count(rows[tid], metric, level, detail, total)
    for (metric, tid, level, bucket), total in period_sums(parts, HISTOGRAMS, ["tenant_id", "partner_level", "bucket"],
                                                           only).items():
        if tid in rows:
            target = rows[tid].histogram if metric == "close_hours" else rows[tid].response.setdefault(level, {})
            target[bucket] = target.get(bucket, 0) + total
    overdue = select(Case.tenant_id, func.count()).where(Case.is_overdue(utcnow()))
    if only is not None:
        overdue = overdue.where(Case.tenant_id == only)
    for tid, n in db.session.execute(overdue.group_by(Case.tenant_id).execution_options(**_ALL)):
        if tid in rows:
            rows[tid].overdue = int(n)
    for row in rows.values():
        row.close_median_hours = median_hours(row.histogram)
    return list(rows.values())


def national_total(rows: list[NationalRow]) -> NationalRow:
    """The sums over `rows`; the medians are taken over every region's durations together."""
    total = NationalRow(_("Nasional"), "")
    for row in rows:
        total.received += row.received
        total.closed += row.closed
        total.overdue += row.overdue
        total.referrals += row.referrals
        total.prelist += row.prelist
        total.sla_met += row.sla_met
        total.sla_missed += row.sla_missed
        for level, n in row.by_level.items():
            total.by_level[level] = total.by_level.get(level, 0) + n
        for outcome, n in row.by_outcome.items():
            total.by_outcome[outcome] = total.by_outcome.get(outcome, 0) + n
    total.histogram = merge(r.histogram for r in rows)
    total.response = {level: merge(r.response.get(level, {}) for r in rows) for level in PartnerLevel}
    total.close_median_hours = median_hours(total.histogram)
    return total

