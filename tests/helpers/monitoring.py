"""Plans made by hand for the monitoring tests (inside a region's tenant_context)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.monitoring.models import ActivityPlan
from app.monitoring.operations import add_activity, add_budget_line, create_plan, owner_choices
from tests.factories import member


def free_owner_and_year(slug: str) -> tuple[str, int]:
    """An owner and a year with no plan yet (tests share the database)."""
    owners = [o.key for o in owner_choices()]
    taken = {(k, y) for k, y in db.session.execute(select(ActivityPlan.owner_key, ActivityPlan.year))}
    for year in range(2000, 2026):
        for key in owners:
            if (key, year) not in taken:
                return key, year
    raise LookupError("no free owner and year")


def make_plan(slug: str, *, year: int | None = None, owner_key: str | None = None, amount: str = "1.250.000",
              target: str = "4"):
    """A plan with one activity and one budget line; returns (plan, activity, line)."""
    free_key, free_year = free_owner_and_year(slug)
    user, _membership = member(f"manager@{slug}.demo")
    plan = create_plan(user, year=year or free_year, owner_key=owner_key or free_key)
    activity = add_activity(plan, name="Sosialisasi SLRT", target=target, target_unit="kali", months=["2", "5"],
                            responsible="Manajer")
    line = add_budget_line(plan, account="5.1.02 Belanja barang", amount=amount, source="apbd")
    db.session.flush()
    return plan, activity, line
