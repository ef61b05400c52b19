"""Figures of monitoring: plan against realisation per owner, and each Puskesos's own figures.

`plan_progress(year)` feeds the dashboard panel and the year-end evaluation alike, so both show
the same numbers. `welfare_center_figures(period, districts)` counts the complaints a Puskesos
recorded, and of those the ones finished, referred, and (now) overdue.

A case belongs to a Puskesos when it was recorded by a post of a Puskesos unit, or came in through
the Puskesos channel; it is the Puskesos of that unit's village when the unit has one, else of the
case's village (a region whose template has one Puskesos unit for every village).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Boolean, exists, or_, select, type_coerce

from app.casework.models import Case, Referral
from app.dashboard.periods import Period
from app.dashboard.queries import day_bounds
from app.extensions import db
from app.monitoring.models import ActivityPlan
from app.monitoring.operations import plans_of
from app.org.models import OrgUnit
from app.reference.models import District, Village
from app.tenancy.models import utcnow

WELFARE_CENTER = "welfare_center"


@dataclass
class PlanProgress:
    """One owner's plan against its realisation."""

    plan: ActivityPlan
    activities: int = 0
    reached: int = 0  # activities whose achievement reached the target
    target_share: float = 0.0  # mean of achieved/target (capped at 100 %) over the activities
    budget: int = 0
    spent: int = 0
    rows: list = field(default_factory=list)  # (activity, share of its target achieved, 0–1)

    @property
    def absorbed(self) -> float | None:
        """The share of the budget spent, 0–1 (None without a budget)."""
        return self.spent / self.budget if self.budget else None

    @property
    def achievement(self) -> float | None:
        """The mean share of each activity's target achieved, 0–1 (None without activities)."""
        return self.target_share if self.activities else None


def progress_of(plan: ActivityPlan) -> PlanProgress:
    progress = PlanProgress(plan)
    shares = []
    for activity in plan.activities:
        share = min(activity.achieved / activity.target, 1.0) if activity.target else 0.0
        shares.append(share)
        progress.rows.append((activity, activity.achieved / activity.target if activity.target else 0.0))
        progress.reached += activity.achieved >= activity.target
    progress.activities = len(shares)
    progress.target_share = sum(shares) / len(shares) if shares else 0.0
    progress.budget = sum(line.amount for line in plan.budget_lines)
    progress.spent = sum(s.amount for line in plan.budget_lines for s in line.spending)
    return progress


def plan_progress(year: int) -> list[PlanProgress]:
    """Every plan of `year` in the current region with its realisation."""
    return [progress_of(plan) for plan in plans_of(year)]


def totals(rows: list[PlanProgress]) -> PlanProgress | None:
    """All owners together (None without plans): activities, reached, budget, spent."""
    if not rows:
        return None
    total = PlanProgress(rows[0].plan)
    total.activities = sum(r.activities for r in rows)
    total.reached = sum(r.reached for r in rows)
    total.budget, total.spent = sum(r.budget for r in rows), sum(r.spent for r in rows)
    shares = [r.target_share * r.activities for r in rows]
    total.target_share = sum(shares) / total.activities if total.activities else 0.0
    return total


@dataclass
class WelfareCenterRow:
    key: str  # the village code
    name: str
    district_code: str
    district: str
    recorded: int = 0
    handled: int = 0
    referred: int = 0
    overdue: int = 0


def welfare_center_figures(period: Period, districts: list[str] | None = None) -> list[WelfareCenterRow]:
    """One row per Puskesos (its village) for `period`; `districts` limits them (None: the whole region)."""
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == WELFARE_CENTER)).all()
    unit_village = {u.id: u.village_code for u in units}
    named = {u.village_code: u.name for u in units if u.village_code and u.retired_at is None}
    generic = next((u.name for u in units if not u.village_code and u.retired_at is None), _("Puskesos"))
    start, end = day_bounds(period)
    referred = exists().where(Referral.tenant_id == Case.tenant_id, Referral.case_id == Case.id)
    now = utcnow()
    stmt = (select(Case.origin_unit_id, Case.village_code, Case.created_at, Case.closed_at,
                   type_coerce(Case.is_overdue(now), Boolean).label("late"), referred.label("referred"))
            .where(or_(Case.channel == WELFARE_CENTER, Case.origin_unit_id.in_(list(unit_village))),
                   Case.merged_into_id.is_(None)))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for origin, village_code, created, closed, late, was_referred in db.session.execute(stmt):
        village = (unit_village.get(origin) if origin else None) or village_code
        created = created if created.tzinfo else created.replace(tzinfo=ZoneInfo("UTC"))
        c = counts[village]
        if start <= created < end:
            c[0] += 1
            c[1] += closed is not None
            c[2] += bool(was_referred)
        c[3] += bool(late)  # the one definition of overdue (`Case.is_overdue`), as of now
    villages = set(named) | set(counts)
    names = {code: (name, district_code, district) for code, name, district_code, district in db.session.execute(
        select(Village.code, Village.name, District.code, District.name)
        .join(District, Village.district_code == District.code).where(Village.code.in_(villages)))}
    result = []
    for village in villages:
        vname, dcode, dname = names.get(village, (village, "", ""))
        if districts is not None and dcode not in districts:
            continue
        recorded, handled, ref, overdue = counts.get(village, [0, 0, 0, 0])
        result.append(WelfareCenterRow(village, named.get(village) or f"{generic} \u2013 {vname}", dcode, dname,
                                       recorded, handled, ref, overdue))
    return sorted(result, key=lambda r: (r.district, r.name))
