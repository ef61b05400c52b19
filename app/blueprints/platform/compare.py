"""The cross-region comparison table for a chosen period."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.casework.vocabulary import Outcome, PartnerLevel
from app.dashboard.periods import parse_day
from app.extensions import htmx
from app.platform.audit import local_zone
from app.platform.stats import comparison, totals


def current_month() -> tuple[date, date]:
    today = datetime.now(local_zone()).date()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _period() -> tuple[date, date, dict]:
    first, last = current_month()
    errors, values = {}, {}
    for name, default in (("start", first), ("end", last)):
        raw = request.args.get(name, "").strip()
        try:
            values[name] = parse_day(raw) if raw else default
        except ValueError as exc:
            errors[name], values[name] = str(exc), default
    if values["end"] < values["start"]:
        errors["end"] = _("Tanggal akhir sebelum tanggal awal.")
        values["end"] = values["start"]
    return values["start"], values["end"], errors


@bp.get("/compare")
@platform_required("national_admin", "auditor")
def compare():
    """Per region, for the period: cases received, closed and overdue now; referrals by partner
    level and by outcome; pre-list proposals; median hours to close. Default: this month."""
    start, end, errors = _period()
    rows, overall = ([], None) if errors else comparison(start, end)
    context = dict(rows=rows, totals=totals(rows, overall), start=start, end=end, errors=errors,
                   levels=list(PartnerLevel), outcomes=list(Outcome), level_labels=PartnerLevel.labels(),
                   outcome_labels=Outcome.labels())
    status = 422 if errors else 200
    if htmx and htmx.target == "comparison":
        return render_block("platform/compare.html", "comparison", **context), status
    return render_template("platform/compare.html", **context), status
