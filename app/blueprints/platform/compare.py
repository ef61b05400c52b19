"""The comparison across regions for a chosen period, its exports, and the national trends."""
from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.dashboard.periods import formatted
from app.dashboard.trend_charts import column_chart
from app.dashboard.trends import trend
from app.extensions import htmx
from app.platform.audit import record_platform
from app.platform.comparison import (
    VIEWS,
    Query,
    columns,
    comparison,
    comparison_csv,
    comparison_xlsx,
    export_rows,
    program_legend,
)
from app.platform.period_choice import KINDS, choice_text, parse_choice
from app.templating import localtime
from app.tenancy.models import utcnow

READERS = ("national_admin", "auditor")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/compare")
@platform_required(*READERS)
def compare():
    """Per region, for the period: cases received, closed and overdue now, steps within their
    SLA, median hours to close, referrals by level and outcome and their response times,
    pre-list proposals; program coverage and overlap now (view "program"). Sortable, searchable,
    50 regions a page. Default: this month."""
    choice, query = parse_choice(request.args), Query.from_args(request.args)
    page, total = comparison(choice.period, query) if not choice.errors else (None, None)

    def compare_url(**changes) -> str:
        return url_for("platform.compare", **choice.args(), **query.args(**changes))

    def sort_url(key: str) -> str:
        return url_for("platform.compare", **choice.args(), **query.sort_args(key))

    context = dict(choice=choice, query=query, page=page, total=total, views=VIEWS, kinds=KINDS,
                   columns=columns()[query.view], fmt=formatted, period_text=choice_text(choice),
                   compare_url=compare_url, sort_url=sort_url,
                   program_legend=program_legend() if query.view == "program" else "",
                   export_args={**choice.args(), **query.args(page=1, view="summary")},
                   pager_args={**choice.args(), **query.args(page=1)})
    status = 422 if choice.errors else 200
    if htmx and htmx.target == "comparison":
        return render_block("platform/compare.html", "comparison", **context), status
    return render_template("platform/compare.html", **context), status


def _export(fmt: str):
    choice, query = parse_choice(request.args), Query.from_args(request.args)
    if choice.errors:
        return compare()
    rows = export_rows(choice.period, query)
    record_platform("compare.export", object_type="comparison", object_id=fmt, format=fmt,
                    period=choice.args(), search=query.q, sort=query.sort, rows=len(rows) - 1)
    name = f"perbandingan-daerah-{choice.period.start.isoformat()}-{choice.period.end.isoformat()}.{fmt}"
    if fmt == "xlsx":
        facts = [(_("Perbandingan daerah SLRT"), choice_text(choice)), (_("Disusun"), localtime(utcnow())),
                 (_("Pencarian"), query.q or "—")]
        response = Response(comparison_xlsx(facts, rows), mimetype=XLSX)
    else:
        response = Response(comparison_csv(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    return response


@bp.get("/compare.xlsx")
@platform_required(*READERS)
def compare_xlsx():
    """Every region the search matches (all pages, every column) as an Excel workbook."""
    return _export("xlsx")


@bp.get("/compare.csv")
@platform_required(*READERS)
def compare_csv():
    """The same as CSV."""
    return _export("csv")


@bp.get("/trends")
@platform_required(*READERS)
def trends():
    """Every region together, month by month over the period: a chart per figure, the table under it."""
    choice = parse_choice(request.args)
    series = None if choice.errors else trend(choice.period)
    context = dict(choice=choice, trend=series, kinds=KINDS, chart=column_chart, fmt=formatted,
                   period_text=choice_text(choice))
    status = 422 if choice.errors else 200
    if htmx and htmx.target == "trends":
        return render_block("platform/trends.html", "trends", **context), status
    return render_template("platform/trends.html", **context), status
