"""One region's figures on the console (the comparison's drill-down): read-only, audited."""
from __future__ import annotations

from flask import render_template, request
from jinja2_fragments.flask import render_block

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.blueprints.platform.regions import READERS, _load
from app.dashboard.periods import formatted
from app.dashboard.trend_charts import column_chart
from app.extensions import htmx
from app.platform.period_choice import KINDS, choice_text, parse_choice
from app.platform.region_figures import region_figures


@bp.get("/regions/<uuid:tenant_id>/figures")
@platform_required(*READERS)
def region_figures_page(tenant_id):
    """The region's figures for the period, SLA compliance per stage, and its trends."""
    tenant = _load(tenant_id)
    choice = parse_choice(request.args)
    figures = None if choice.errors else region_figures(tenant, choice.period, choice.args())
    context = dict(region=tenant, choice=choice, figures=figures, kinds=KINDS, chart=column_chart, fmt=formatted,
                   period_text=choice_text(choice))
    status = 422 if choice.errors else 200
    if htmx and htmx.target == "region-figures":
        return render_block("platform/region_figures.html", "region_figures", **context), status
    return render_template("platform/region_figures.html", **context), status
