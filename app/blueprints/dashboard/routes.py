"""The dashboard page: the headline first, then each part of the visual board as an htmx fragment."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, render_template, request
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block

from app.blueprints.dashboard import bp
from app.dashboard.board import first_paint, one_section
from app.dashboard.charts import bar_chart
from app.dashboard.periods import Period, current_month, default_period, formatted, today
from app.dashboard.queries import Labels
from app.extensions import htmx
from app.permissions import Capability, requires
from app.tenancy.context import current_tenant


def quick_periods() -> list[tuple[str, Period]]:
    """Shortcuts under the filter: this month, last month, this year."""
    this = current_month()
    last_day = this.start - timedelta(days=1)
    return [(_("Bulan ini"), this), (_("Bulan lalu"), Period.month(last_day.year, last_day.month)),
            (_("Tahun ini"), Period.year(today().year))]


def _filters() -> tuple[Period, str, dict, Labels]:
    period, errors = Period.from_args(request.args.get("from", ""), request.args.get("to", ""), default_period())
    labels = Labels(current_tenant)
    district = request.args.get("district", "")
    if district and district not in labels.districts:
        errors["district"], district = _("Kecamatan tidak dikenal di daerah ini."), ""
    return period, district, errors, labels


def _args(period: Period, district: str) -> dict:
    args = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return {**args, "district": district} if district else args


@bp.get("/")
@requires(Capability.SEE_DASHBOARD)
def index():
    """The region's board for a period (default: `default_period`, as the report form) and optionally one district."""
    period, district, errors, labels = _filters()
    context = dict(figs=first_paint(current_tenant, period, district), period=period, district=district,
                   districts=labels.districts, errors=errors, fmt=formatted, quick=quick_periods(),
                   args=_args(period, district))
    if htmx and htmx.target == "dashboard-body":
        return render_block("dashboard/index.html", "dashboard_body", **context)
    return render_template("dashboard/index.html", **context)


@bp.get("/section")
@requires(Capability.SEE_DASHBOARD)
def section():
    """One part of the board (`?part=<key>` and the board's filters) with its tables: a fragment for htmx,
    a page of its own otherwise (the link a browser without JavaScript follows)."""
    period, district, _errors, _labels = _filters()
    part = one_section(current_tenant, period, district, request.args.get("part", ""))
    if part is None:
        abort(404)
    context = dict(section=part, period=period, district=district, chart=bar_chart, fmt=formatted,
                   args=_args(period, district))
    if htmx:
        return render_template("dashboard/_section.html", **context)
    return render_template("dashboard/section.html", **context)
