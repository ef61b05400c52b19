"""The annual activity plans and budgets of the region and their realisation.

Routes parse, call one operation (`app.monitoring.operations`), and render; a refusal is shown
at its fields with everything typed kept (status 422). Only members holding
`Capability.PLAN_ACTIVITIES` open them.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.monitoring import bp
from app.blueprints.monitoring.forms import (
    AchievementForm,
    ActivityForm,
    BudgetForm,
    PlanForm,
    SpendingForm,
    put_errors,
)
from app.dashboard.periods import formatted, today
from app.errors import Invalid
from app.monitoring.figures import progress_of
from app.monitoring.models import ActivityPlan, FundSource
from app.monitoring.operations import (
    activity_or_404,
    add_activity,
    add_budget_line,
    create_plan,
    line_or_404,
    owner_choices,
    plan_or_404,
    plans_of,
    record_achievement,
    record_spending,
    rupiah,
)
from app.permissions import Capability, requires


def chosen_year() -> int:
    text = request.args.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= today().year + 1 else today().year


def _plan_form(form: PlanForm | None = None, year: int | None = None) -> PlanForm:
    form = form or PlanForm(formdata=None, data={"year": str(year or today().year)})
    form.owner.choices = [("", _("Pilih pemilik rencana")), *((o.key, o.name) for o in owner_choices())]
    return form


def _index(year: int, form: PlanForm | None = None, status: int = 200):
    plans = [progress_of(p) for p in plans_of(year)]
    return render_template("monitoring/plans.html", year=year, plans=plans, form=_plan_form(form, year),
                           fmt=formatted, rupiah=rupiah), status


@bp.get("/plans")
@requires(Capability.PLAN_ACTIVITIES)
def plans():
    """The year's plans (one per owner) with their realisation, and the form for a new plan."""
    return _index(chosen_year())


@bp.post("/plans")
@requires(Capability.PLAN_ACTIVITIES)
def plan_create():
    form = _plan_form(PlanForm())
    text = (form.year.data or "").strip()
    year = int(text) if text.isdigit() else None
    try:
        plan = create_plan(current_user.user, year=year, owner_key=form.owner.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _index(year if year and 2000 <= year <= today().year + 1 else today().year, form, 422)
    flash(_("Rencana %(owner)s tahun %(year)s dibuat.", owner=plan.owner_name, year=plan.year), "success")
    return redirect(url_for("monitoring.plan", plan_id=plan.id))


def _plan_page(plan: ActivityPlan, status: int = 200, activity_form: ActivityForm | None = None,
               budget_form: BudgetForm | None = None, failed: tuple[str, uuid.UUID, Any] | None = None):
    achievement_forms: dict[uuid.UUID, Any] = {}
    spending_forms: dict[uuid.UUID, Any] = {}
    for activity in plan.activities:
        achievement_forms[activity.id] = AchievementForm(formdata=None, prefix=f"a-{activity.id}", data={
            "achieved": str(activity.achieved), "note": activity.achieved_note,
            "on": (activity.achieved_on or min(today(), date(plan.year, 12, 31))).isoformat()})
    for line in plan.budget_lines:
        spending_forms[line.id] = SpendingForm(formdata=None, prefix=f"b-{line.id}")
    if failed is not None:
        kind, key, form = failed
        (achievement_forms if kind == "activity" else spending_forms)[key] = form
    return render_template("monitoring/plan.html", plan=plan, progress=progress_of(plan),
                           activity_form=activity_form or ActivityForm(formdata=None),
                           budget_form=budget_form or BudgetForm(formdata=None), achievement_forms=achievement_forms,
                           spending_forms=spending_forms, fmt=formatted, rupiah=rupiah,
                           source_label=FundSource.label_of, failed=failed), status


@bp.get("/plans/<uuid:plan_id>")
@requires(Capability.PLAN_ACTIVITIES)
def plan(plan_id):
    """One plan: its activities and budget lines, with the forms to add to it and record its realisation."""
    return _plan_page(plan_or_404(plan_id))


@bp.post("/plans/<uuid:plan_id>/activities")
@requires(Capability.PLAN_ACTIVITIES)
def activity_add(plan_id):
    plan = plan_or_404(plan_id)
    form = ActivityForm()
    try:
        add_activity(plan, name=form.name.data or "", target=form.target.data or "",
                     target_unit=form.target_unit.data or "", months=form.months.data or [],
                     responsible=form.responsible.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _plan_page(plan, 422, activity_form=form)
    flash(_("Kegiatan ditambahkan."), "success")
    return redirect(url_for("monitoring.plan", plan_id=plan.id) + "#activities")


@bp.post("/plans/<uuid:plan_id>/budget")
@requires(Capability.PLAN_ACTIVITIES)
def budget_add(plan_id):
    plan = plan_or_404(plan_id)
    form = BudgetForm()
    try:
        add_budget_line(plan, account=form.account.data or "", amount=form.amount.data or "",
                        source=form.source.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _plan_page(plan, 422, budget_form=form)
    flash(_("Mata anggaran ditambahkan."), "success")
    return redirect(url_for("monitoring.plan", plan_id=plan.id) + "#budget")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@bp.post("/activities/<uuid:activity_id>/realisation")
@requires(Capability.PLAN_ACTIVITIES)
def activity_realise(activity_id):
    activity = activity_or_404(activity_id)
    plan = plan_or_404(activity.plan_id)
    form = AchievementForm(prefix=f"a-{activity.id}")
    try:
        record_achievement(activity, achieved=form.achieved.data or "", on=_day(form.on.data),
                           note=form.note.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _plan_page(plan, 422, failed=("activity", activity.id, form))
    flash(_("Capaian %(name)s dicatat.", name=activity.name), "success")
    return redirect(url_for("monitoring.plan", plan_id=plan.id) + "#activities")


@bp.post("/budget/<uuid:line_id>/spending")
@requires(Capability.PLAN_ACTIVITIES)
def budget_spend(line_id):
    line = line_or_404(line_id)
    plan = plan_or_404(line.plan_id)
    form = SpendingForm(prefix=f"b-{line.id}")
    try:
        record_spending(current_user.user, line, month=form.month.data or "", amount=form.amount.data or "",
                        note=form.note.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _plan_page(plan, 422, failed=("budget", line.id, form))
    flash(_("Realisasi %(account)s dicatat.", account=line.account), "success")
    return redirect(url_for("monitoring.plan", plan_id=plan.id) + "#budget")
