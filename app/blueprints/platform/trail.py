"""The audit trail across regions: filters, pages, and the same view as CSV."""
from __future__ import annotations

import io
import json
import uuid
from datetime import date

from flask import Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.dashboard.periods import parse_day
from app.extensions import db, htmx
from app.platform.audit import COUNT_CAP, PLATFORM_ONLY, AuditFilters, iter_events, page_of_events
from app.platform.audit_labels import ACTION_LABELS, action_choices, action_label
from app.reports.cells import SafeCsvWriter
from app.templating import localtime
from app.tenancy.models import Tenant

READERS = ("national_admin", "auditor")


def _date(name: str, errors: dict) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_day(raw)
    except ValueError as exc:
        errors[name] = str(exc)
        return None


def filters_from_request() -> AuditFilters:
    """The filters typed in the query string; unusable values are reported, not applied."""
    args, errors = request.args, {}
    region = args.get("region", "").strip()
    if region and region != PLATFORM_ONLY:
        try:
            region = str(uuid.UUID(region))
        except ValueError:
            errors["region"], region = _("Daerah tidak dikenal."), ""
    action = args.get("action", "").strip()
    if action and action not in ACTION_LABELS:
        errors["action"], action = _("Pilih tindakan dari daftar."), ""
    start, end = _date("start", errors), _date("end", errors)
    if start and end and end < start:
        errors["end"] = _("Tanggal akhir sebelum tanggal awal.")
    try:
        page = int(args.get("page", 1))
    except ValueError:
        page = 1
    return AuditFilters(region=region, action=action,
                        actor=args.get("actor", "").strip()[:254], start=start, end=end, page=page,
                        errors=errors)


@bp.get("/audit")
@platform_required(*READERS)
def audit():
    """Who did what, when, in which region and from where: searchable, filterable, paginated."""
    filters = filters_from_request()
    # Refused filters show no events (so an auditor's 422 reveals nothing that goes unlogged).
    pager = None if filters.errors else page_of_events(filters)
    regions = db.session.execute(select(Tenant.id, Tenant.name).order_by(Tenant.name)).all()  # not whole regions
    context = dict(filters=filters, events=pager.items if pager else [], total=pager.total if pager else 0,
                   count_cap=COUNT_CAP, pager=pager, regions=regions,
                   names={t.id: t.name for t in regions}, platform_only=PLATFORM_ONLY,
                   actions=action_choices(), action_label=action_label)
    status = 422 if filters.errors else 200
    if htmx and htmx.target == "audit-list":
        return render_block("platform/audit.html", "audit_list", **context), status
    return render_template("platform/audit.html", **context), status


CSV_HEADER = ("waktu", "daerah", "pelaku", "tindakan", "jenis_objek", "id_objek", "ip", "rincian", "sumber",
              "kode_tindakan")


@bp.get("/audit.csv")
@platform_required(*READERS)
def audit_csv():
    """The audit trail with the same filters, as a CSV file streamed row by row."""
    filters = filters_from_request()
    if filters.errors:
        return audit()
    names = {t.id: t.name for t in db.session.scalars(select(Tenant))}

    def rows():
        buffer = io.StringIO()
        writer = SafeCsvWriter(buffer)  # text that a spreadsheet would run is neutralised
        writer.writerow(CSV_HEADER)
        for event in iter_events(filters):
            writer.writerow((localtime(event.at), names.get(event.tenant_id, _("Konsol nasional")), event.actor,
                             action_label(event.action), event.object_type, event.object_id, event.ip,
                             json.dumps(event.detail, ensure_ascii=False, sort_keys=True), event.source,
                             event.action))
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(rows()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=jejak-audit-{date.today().isoformat()}.csv"
    return response
