"""Correcting a plan: the page to edit an activity or a budget line (the adding form, filled in)
and to remove it (a confirmation box, checked by the operation).

A refusal is shown at its field with everything typed kept (422); removing an item whose
realisation is recorded is refused with the reason (409). Same capability as adding
(`Capability.PLAN_ACTIVITIES`); another region's item is 404 (loaded in the current tenant).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.blueprints.monitoring import bp
from app.blueprints.monitoring.forms import ActivityForm, BudgetForm, RemoveForm, put_errors
from app.errors import Invalid
from app.monitoring.changes import remove_activity, remove_budget_line, update_activity, update_budget_line
from app.monitoring.models import ActivityPlan, BudgetLine, FundSource, PlanActivity
from app.monitoring.operations import activity_or_404, line_or_404, plan_or_404, rupiah
from app.permissions import Capability, requires


def _page(plan: ActivityPlan, item: PlanActivity | BudgetLine, form, remove_form: RemoveForm | None = None,
          status: int = 200):
    kind = "activity" if isinstance(item, PlanActivity) else "budget"
    return render_template("monitoring/edit_item.html", plan=plan, item=item, kind=kind, form=form,
                           remove_form=remove_form or RemoveForm(formdata=None), rupiah=rupiah,
                           source_label=FundSource.label_of), status


def _activity_form(activity: PlanActivity) -> ActivityForm:
    return ActivityForm(formdata=None, data={
        "name": activity.name, "target": str(activity.target), "target_unit": activity.target_unit,
        "months": [str(m) for m in activity.month_numbers], "responsible": activity.responsible})


def _budget_form(line: BudgetLine) -> BudgetForm:
    return BudgetForm(formdata=None, data={"account": line.account, "amount": f"{line.amount:,}".replace(",", "."),
                                           "source": line.source})


def _done(plan: ActivityPlan, anchor: str, changed: bool, message: str):
    flash(message if changed else _("Tidak ada yang berubah."), "success" if changed else "info")
    return redirect(url_for("monitoring.plan", plan_id=plan.id, _anchor=anchor))


@bp.get("/activities/<uuid:activity_id>/edit")
@requires(Capability.PLAN_ACTIVITIES)
def activity_edit(activity_id):
    """An activity's form, filled in, and the way to remove it."""
    activity = activity_or_404(activity_id)
    return _page(plan_or_404(activity.plan_id), activity, _activity_form(activity))


@bp.post("/activities/<uuid:activity_id>/edit")
@requires(Capability.PLAN_ACTIVITIES)
def activity_update(activity_id):
    activity = activity_or_404(activity_id)
    plan = plan_or_404(activity.plan_id)
    form = ActivityForm()
    try:
        changed = update_activity(activity, name=form.name.data or "", target=form.target.data or "",
                                  target_unit=form.target_unit.data or "", months=form.months.data or [],
                                  responsible=form.responsible.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _page(plan, activity, form, status=422)
    return _done(plan, f"activity-{activity.id}", changed, _("Kegiatan %(name)s disimpan.", name=activity.name))


@bp.post("/activities/<uuid:activity_id>/remove")
@requires(Capability.PLAN_ACTIVITIES)
def activity_remove(activity_id):
    activity = activity_or_404(activity_id)
    plan = plan_or_404(activity.plan_id)
    form = RemoveForm()
    name = activity.name
    try:
        remove_activity(activity, confirmed=bool(form.validate_on_submit() and form.confirm.data))
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _page(plan, activity, _activity_form(activity), form, 409 if activity.achieved else 422)
    return _done(plan, "activities", True, _("Kegiatan %(name)s dihapus dari rencana.", name=name))


@bp.get("/budget/<uuid:line_id>/edit")
@requires(Capability.PLAN_ACTIVITIES)
def budget_edit(line_id):
    """A budget line's form, filled in, and the way to remove it."""
    line = line_or_404(line_id)
    return _page(plan_or_404(line.plan_id), line, _budget_form(line))


@bp.post("/budget/<uuid:line_id>/edit")
@requires(Capability.PLAN_ACTIVITIES)
def budget_update(line_id):
    line = line_or_404(line_id)
    plan = plan_or_404(line.plan_id)
    form = BudgetForm()
    try:
        changed = update_budget_line(line, account=form.account.data or "", amount=form.amount.data or "",
                                     source=form.source.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _page(plan, line, form, status=422)
    return _done(plan, f"line-{line.id}", changed, _("Mata anggaran %(account)s disimpan.", account=line.account))


@bp.post("/budget/<uuid:line_id>/remove")
@requires(Capability.PLAN_ACTIVITIES)
def budget_remove(line_id):
    line = line_or_404(line_id)
    plan = plan_or_404(line.plan_id)
    form = RemoveForm()
    account = line.account
    try:
        remove_budget_line(line, confirmed=bool(form.validate_on_submit() and form.confirm.data))
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        status = 409 if any(s.amount for s in line.spending) else 422
        return _page(plan, line, _budget_form(line), form, status)
    return _done(plan, "budget", True, _("Mata anggaran %(account)s dihapus dari rencana.", account=account))
