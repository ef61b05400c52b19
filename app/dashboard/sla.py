"""SLA compliance: the share of steps that left their state within the SOP's deadline for it.

Each step that leaves a state with `sla_hours` is counted in that state's `state_hours`
counter as `met` or `missed` (`app.dashboard.metrics.sla_detail`), on the local day of the
step and by the case's own SOP version. The compliance of a period is met / (met + missed)
over the steps taken in it; states without a deadline are not counted. This is about steps
that were finished; "overdue" (cases waiting past their deadline now) is read from `cases`.

Counters written before the verdict existed carry none: `flask dashboard rebuild` adds it.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.dashboard.metrics import SLA_MET, SLA_MISSED
from app.dashboard.models import CaseRollup
from app.dashboard.month_sums import monthly_sums
from app.dashboard.periods import Period
from app.extensions import db
from app.tenancy.context import ALL_TENANTS

MET, MISSED = SLA_MET, SLA_MISSED
VERDICTS = (MET, MISSED)


def sla_share(met: int, missed: int) -> float | None:
    """met / (met + missed), or None when no step with a deadline was taken."""
    steps = met + missed
    return met / steps if steps else None


@dataclass
class StageCompliance:
    """One stage (state key) of a region's SOP: its steps in the period, and month by month."""

    state: str
    label: str
    met: int = 0
    missed: int = 0
    months: list[tuple[int, int]] = field(default_factory=list)  # (met, missed) per month

    @property
    def share(self) -> float | None:
        return sla_share(self.met, self.missed)

    @property
    def steps(self) -> int:
        return self.met + self.missed

    def month_shares(self) -> list[float | None]:
        return [sla_share(met, missed) for met, missed in self.months]


def _verdicts(period: Period, tenant_id: uuid.UUID) -> dict[tuple[str, str], int]:
    stmt = (select(CaseRollup.state, CaseRollup.detail, func.sum(CaseRollup.value))
            .where(CaseRollup.tenant_id == tenant_id, CaseRollup.metric == "state_hours",
                   CaseRollup.detail.in_(VERDICTS), CaseRollup.day >= period.start, CaseRollup.day <= period.end)
            .group_by(CaseRollup.state, CaseRollup.detail).execution_options(**{ALL_TENANTS: True}))
    return {(state, detail): int(total or 0) for state, detail, total in db.session.execute(stmt)}


def stage_compliance(tenant_id: uuid.UUID, period: Period, months: list[Period], labels) -> list[StageCompliance]:
    """Per stage of one region: steps within / past the deadline in `period`, and per month of
    `months`; stages in the order of the region's SOP (`labels`: `app.dashboard.queries.Labels`)."""
    stages: dict[str, StageCompliance] = {}
    for (state, detail), n in _verdicts(period, tenant_id).items():
        stage = stages.setdefault(state, StageCompliance(state, labels.state(state)))
        if detail == MET:
            stage.met += n
        else:
            stage.missed += n
    by_month = monthly_sums(months, ["state_hours"], ["state", "detail"], only=tenant_id,
                            where=lambda t: (t.detail.in_(VERDICTS),)) if months else {}
    for (_index, _metric, state, _detail), _n in by_month.items():
        stages.setdefault(state, StageCompliance(state, labels.state(state)))
    for stage in stages.values():
        stage.months = [(by_month.get((i, "state_hours", stage.state, MET), 0),
                         by_month.get((i, "state_hours", stage.state, MISSED), 0)) for i in range(len(months))]
    return sorted(stages.values(), key=lambda s: (labels.state_rank(s.state), s.label))
