"""The dashboard page: the four parts of the visual board and the casework figures."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block

from app.blueprints.dashboard import bp
from app.dashboard.charts import bar_chart
from app.dashboard.figures import figures
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


@bp.get("/")
@requires(Capability.SEE_DASHBOARD)
def index():
    """The region's board for a period (default: `default_period`, as the report form) and optionally one district."""
    period, errors = Period.from_args(request.args.get("from", ""), request.args.get("to", ""), default_period())
    labels = Labels(current_tenant)
    district = request.args.get("district", "")
    if district and district not in labels.districts:
        errors["district"], district = _("Kecamatan tidak dikenal di daerah ini."), ""
    context = dict(figs=figures(current_tenant, period, district), period=period, district=district,
                   districts=labels.districts, errors=errors, chart=bar_chart, fmt=formatted,
                   quick=quick_periods())
    if htmx and htmx.target == "dashboard-body":
        return render_block("dashboard/index.html", "dashboard_body", **context)
    return render_template("dashboard/index.html", **context)
