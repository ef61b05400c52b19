"""The national summary for auditors: one row per region, read from every region's rollups.

Platform code: each statement uses the `all_tenants` execution option and groups by
region, so the cost does not grow with one query per region.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.casework.models import Case
from app.dashboard.metrics import median_hours
from app.dashboard.models import CaseRollup
from app.dashboard.periods import Period
from app.extensions import db
from app.tenancy.context import ALL_TENANTS
from app.tenancy.models import Tenant, utcnow

_ALL = {ALL_TENANTS: True}
COUNTED = ("received", "closed", "referral_requested", "prelist")


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
    histogram: dict = field(default_factory=dict)

    def values(self) -> list:
        return [self.region, self.code, self.received, self.closed, self.overdue, self.referrals, self.prelist,
                self.close_median_hours]


def national_columns() -> list[str]:
    return [_("Daerah"), _("Kode"), _("Diterima"), _("Selesai"), _("Terlambat saat ini"), _("Rujukan"),
            _("Usulan daftar awal"), _("Median jam sampai selesai")]


def national_summary(period: Period) -> list[NationalRow]:
    """Every region (by name) with its figures for `period`; overdue is as of now."""
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.name)).all()
    in_period = (CaseRollup.day >= period.start, CaseRollup.day <= period.end)
    counts: dict = defaultdict(dict)
    for tid, metric, total in db.session.execute(
            select(CaseRollup.tenant_id, CaseRollup.metric, func.sum(CaseRollup.value))
            .where(CaseRollup.metric.in_(COUNTED), *in_period)
            .group_by(CaseRollup.tenant_id, CaseRollup.metric).execution_options(**_ALL)):
        counts[tid][metric] = int(total or 0)
    histograms: dict = defaultdict(dict)
    for tid, bucket, total in db.session.execute(
            select(CaseRollup.tenant_id, CaseRollup.bucket, func.sum(CaseRollup.value))
            .where(CaseRollup.metric == "close_hours", *in_period)
            .group_by(CaseRollup.tenant_id, CaseRollup.bucket).execution_options(**_ALL)):
        histograms[tid][bucket] = int(total or 0)
    overdue = dict(db.session.execute(
        select(Case.tenant_id, func.count()).where(Case.is_overdue(utcnow()))
        .group_by(Case.tenant_id).execution_options(**_ALL)).all())
    rows = []
    for tenant in tenants:
        c = counts.get(tenant.id, {})
        rows.append(NationalRow(tenant.name, tenant.region_code, c.get("received", 0), c.get("closed", 0),
                                overdue.get(tenant.id, 0), c.get("referral_requested", 0), c.get("prelist", 0),
                                median_hours(histograms.get(tenant.id, {})), histograms.get(tenant.id, {})))
    return rows


def national_total(rows: list[NationalRow]) -> NationalRow:
    """The sums over all regions; the median is taken over every region's closings together."""
    merged: dict = defaultdict(int)
    for row in rows:
        for bucket, count in row.histogram.items():
            merged[bucket] += count
    return NationalRow(_("Nasional"), "", sum(r.received for r in rows), sum(r.closed for r in rows),
                       sum(r.overdue for r in rows), sum(r.referrals for r in rows), sum(r.prelist for r in rows),
                       median_hours(merged), dict(merged))
