"""The dashboard's plan-against-realisation panel, each Puskesos's figures, and the year-end
evaluation (page, the evaluating office's notes, PDF).

The panel and the evaluation are for those who see the dashboard; the Puskesos figures for
those who monitor the Puskesos (a district-bound supervisor sees only their districts); notes
only for the evaluating office (`Capability.EVALUATE`, region data).
"""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit.log import record
from app.blueprints.monitoring import bp
from app.blueprints.monitoring.forms import NoteForm, put_errors
from app.blueprints.monitoring.plans import chosen_year
from app.citizens.prelist import area_districts
from app.dashboard.periods import Period, default_period, formatted, today
from app.errors import Invalid
from app.monitoring.evaluation import add_note, evaluation_of
from app.monitoring.evaluation_pdf import evaluation_pdf
from app.monitoring.figures import plan_progress, totals, welfare_center_figures
from app.monitoring.operations import rupiah
from app.permissions import Capability, can, requires
from app.tenancy.context import current_tenant, tenant_in_context


@bp.get("/panel")
@requires(Capability.SEE_DASHBOARD)
def panel():
    """The dashboard's fragment: per owner, activities reaching their target and budget absorbed."""
    year = chosen_year()
    rows = plan_progress(year)
    return render_template("monitoring/_panel.html", year=year, rows=rows, total=totals(rows), fmt=formatted,
                           rupiah=rupiah)


@bp.get("/welfare-centers")
@requires(Capability.MONITOR_WELFARE_CENTERS)
def welfare_centers():
    """Each Puskesos with its figures for a period (default: the month under way)."""
    period, errors = Period.from_args(request.args.get("from", ""), request.args.get("to", ""), default_period())
    districts = area_districts(current_user.membership)
    rows = welfare_center_figures(period, districts)
    return render_template("monitoring/welfare_centers.html", rows=rows, period=period, errors=errors,
                           bound=districts is not None, fmt=formatted)


@bp.get("/evaluation")
@requires(Capability.SEE_DASHBOARD)
def evaluation():
    """The year-end evaluation: the year's figures, plan against realisation, Puskesos, notes."""
    year = chosen_year()
    return render_template("monitoring/evaluation.html", ev=evaluation_of(current_tenant, year), fmt=formatted,
                           rupiah=rupiah, may_note=can(current_user, Capability.EVALUATE))


def _notes_page(year: int, form: NoteForm, status: int = 200):
    return render_template("monitoring/notes.html", year=year, form=form,
                           ev=evaluation_of(current_tenant, year)), status


@bp.get("/evaluation/notes")
@requires(Capability.EVALUATE)
def notes():
    """The evaluating office's notes on the year, and the form for a new one."""
    return _notes_page(chosen_year(), NoteForm(formdata=None))


@bp.post("/evaluation/notes")
@requires(Capability.EVALUATE)
def note_add():
    year = chosen_year()
    form = NoteForm()
    try:
        add_note(current_user.user, current_user.membership, year=year, text=form.text.data or "")
    except Invalid as refusal:
        put_errors(form, refusal.errors)
        return _notes_page(year, form, 422)
    flash(_("Catatan evaluasi disimpan."), "success")
    return redirect(url_for("monitoring.evaluation", year=year))


@bp.get("/evaluation.pdf")
@requires(Capability.SEE_DASHBOARD)
def evaluation_download():
    """The evaluation as PDF (audited)."""
    year = chosen_year()
    data = evaluation_pdf(current_tenant, evaluation_of(current_tenant, year), current_user.user.name, today())
    record("monitoring.evaluation.download", "evaluation", str(year), year=year)
    name = f"evaluasi-slrt-{tenant_in_context().slug}-{year}.pdf"
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
