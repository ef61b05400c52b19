"""Correcting a plan: editing an activity or a budget line, and removing one.

Editing checks the values as adding does (`activity_values`, `budget_values`); a line's amount
may not drop below what it has already spent (that would turn recorded spending into spending
beyond the budget without the note such spending needs).

Removing asks for a confirmation, checked here (after the realisation), so a request without it removes nothing. An
activity or a line whose realisation has been recorded is not removed: the realisation is part
of the accountability record of the year, and removing it with the item would change the
figures the dashboard and the evaluation already showed. The refusal says how to go on: record
the realisation as 0 first (a correction that is itself audited), then remove. Months recorded
as 0 go with the line.

Every change is audited with what it was and what it became.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete

from app.audit.log import record
from app.errors import Invalid
from app.extensions import db
from app.monitoring.models import BudgetLine, BudgetSpending, PlanActivity
from app.monitoring.operations import activity_values, budget_values, rupiah

ACTIVITY_FIELDS = ("name", "target", "target_unit", "months", "responsible")
BUDGET_FIELDS = ("account", "amount", "source")


def _apply(item, values, fields) -> dict[str, list]:
    """Set the fields that differ; returns {field: [before, after]} of those."""
    changes = {}
    for name in fields:
        before, after = getattr(item, name), getattr(values, name)
        if before != after:
            changes[name] = [before, after]
            setattr(item, name, after)
    return changes


def update_activity(activity: PlanActivity, *, name: str, target: str, target_unit: str, months: list,
                    responsible: str) -> bool:
    """Correct an activity; False when nothing changed (then nothing is recorded)."""
    values = activity_values(name=name, target=target, target_unit=target_unit, months=months,
                             responsible=responsible)
    changes = _apply(activity, values, ACTIVITY_FIELDS)
    if changes:
        db.session.flush()
        record("monitoring.activity.edit", "activity_plan", activity.plan_id, activity_id=str(activity.id),
               activity=activity.name, changes=changes)
    return bool(changes)


def spent_by(line: BudgetLine) -> int:
    return sum(s.amount for s in line.spending)


def update_budget_line(line: BudgetLine, *, account: str, amount: str, source: str) -> bool:
    """Correct a budget line; its amount not below what it already spent. False when nothing changed."""
    values = budget_values(account=account, amount=amount, source=source)
    spent = spent_by(line)
    if values.amount < spent:
        raise Invalid(errors={"amount": [_(
            "Realisasi yang sudah dicatat %(spent)s: pagu tidak boleh kurang dari itu.", spent=rupiah(spent))]})
    changes = _apply(line, values, BUDGET_FIELDS)
    if changes:
        db.session.flush()
        record("monitoring.budget.edit", "activity_plan", line.plan_id, line_id=str(line.id), account=line.account,
               changes=changes)
    return bool(changes)


def _confirmation(confirmed: bool) -> None:
    if not confirmed:
        raise Invalid(errors={"confirm": [_("Centang konfirmasi untuk menghapus.")]})


def remove_activity(activity: PlanActivity, *, confirmed: bool) -> None:
    """Remove an activity once confirmed; refused while it has an achievement recorded."""
    if activity.achieved:
        raise Invalid(errors={"confirm": [_(
            "Kegiatan ini sudah punya capaian %(n)s yang tercatat, jadi tidak dapat dihapus. Bila capaian itu "
            "keliru, catat capaiannya 0 dulu, lalu hapus.", n=activity.achieved)]})
    _confirmation(confirmed)
    record("monitoring.activity.remove", "activity_plan", activity.plan_id, activity_id=str(activity.id),
           activity=activity.name, target=activity.target, unit=activity.target_unit)
    db.session.delete(activity)
    db.session.flush()


def remove_budget_line(line: BudgetLine, *, confirmed: bool) -> None:
    """Remove a budget line once confirmed; refused while it has spending recorded (months of 0 go with it)."""
    spent = spent_by(line)
    if spent:
        raise Invalid(errors={"confirm": [_(
            "Mata anggaran ini sudah punya realisasi %(spent)s yang tercatat, jadi tidak dapat dihapus. Bila "
            "realisasi itu keliru, catat realisasi bulan itu 0 dulu, lalu hapus.", spent=rupiah(spent))]})
    _confirmation(confirmed)
    record("monitoring.budget.remove", "activity_plan", line.plan_id, line_id=str(line.id), account=line.account,
           amount=line.amount, source=line.source)
    db.session.execute(delete(BudgetSpending).where(BudgetSpending.tenant_id == line.tenant_id,
                                                    BudgetSpending.line_id == line.id))
    db.session.delete(line)
    db.session.flush()
