"""Auditors and the national administrator ask for reports across regions and download them.

The same job mechanism as in a region (progress, retries, atomic files, expiring per-user
links). Every page view, request and download is recorded in the platform audit log.
"""
from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from app.accounts.auth import platform_required
from app.accounts.models import PLATFORM_ROLES
from app.blueprints.dashboard.forms import FORMAT_LABELS, KIND_LABELS
from app.blueprints.platform_reports import bp
from app.blueprints.platform_reports.forms import NATIONAL, PlatformReportForm
from app.dashboard.models import PlatformReportJob
from app.dashboard.periods import Period
from app.dashboard.reporting import (
    MIMETYPES,
    check_download,
    download_name,
    download_token,
    is_stalled,
    link_minutes,
    my_platform_jobs,
    ready_file,
    request_platform_report,
)
from app.extensions import db, htmx
from app.jobs.vocabulary import JobStatus
from app.platform.regions import regions_by_name
from app.tenancy.models import Tenant


def audit(action: str, job: PlatformReportJob | None = None, **detail) -> None:
    """Platform audit log when it is there; else the application log (no region to put it in)."""
    try:
        from app.platform.audit import record_platform
    except ImportError:  # the platform audit log is not part of this build
        current_app.logger.info("audit %s by %s: %s", action, current_user.email, detail)
        return
    region = db.session.get(Tenant, job.region_id) if job is not None and job.region_id else None
    record_platform(action, tenant=region, object_type="report_job" if job else "page",
                    object_id=job.id if job else request.endpoint, **detail)


def job_view(job: PlatformReportJob, names: dict) -> dict:
    kind = "yearly" if len(job.period) == 4 else "monthly"
    label = (_("Ringkasan nasional (semua daerah)") if job.region_id is None
             else f"{names.get(job.region_id, '—')} — {KIND_LABELS[kind]}")
    return dict(job=job, period=Period.parse(job.period), stalled=is_stalled(job), kind_label=label,
                format_label=FORMAT_LABELS.get(job.format),
                status_url=url_for("platform_reports.status", job_id=job.id),
                download_url=url_for("platform_reports.download", job_id=job.id,
                                     token=download_token(job, current_user.id))
                if job.status == JobStatus.DONE else "",
                retry_action=url_for("platform_reports.index"), retry_target="#report-area", retry_swap="innerHTML",
                link_minutes=link_minutes(),
                retry_fields={"scope": str(job.region_id) if job.region_id else NATIONAL, "kind": kind,
                              "month" if kind == "monthly" else "year": job.period, "format": job.format})


def _own_job(job_id) -> PlatformReportJob:
    job = db.one_or_404(select(PlatformReportJob).where(PlatformReportJob.id == job_id,
                                                        PlatformReportJob.requested_by == current_user.id))
    return job


def _render(form: PlatformReportForm, regions: list, status: int = 200):
    names = {r.id: r.name for r in regions}
    context = dict(form=form, jobs=[job_view(j, names) for j in my_platform_jobs(current_user.id)])
    if htmx and htmx.target == "report-area":
        return render_block("platform_reports/index.html", "report_area", **context), status
    return render_template("platform_reports/index.html", **context), status


@bp.get("/")
@platform_required(*PLATFORM_ROLES)
def index():
    """Ask for a region's report or the national summary; my recent platform reports."""
    regions = regions_by_name()
    form = PlatformReportForm(formdata=None)
    form.set_regions(regions)
    audit("auditor.view" if current_user.platform_role == "auditor" else "platform.view")
    return _render(form, regions)


@bp.post("/")
@platform_required(*PLATFORM_ROLES)
def request_report():
    """Record the job; it is queued once this request commits."""
    regions = regions_by_name()
    form = PlatformReportForm()
    form.set_regions(regions)
    if not form.validate_on_submit():
        return _render(form, regions, 422)
    region = None if form.scope.data == NATIONAL else db.session.get(Tenant, uuid.UUID(form.scope.data))
    job = request_platform_report(form.kind.data, form.period_text(), form.format.data, current_user.user, region)
    audit("report.request", job, kind=job.kind, period=job.period, format=job.format)
    if htmx:
        fresh = PlatformReportForm(formdata=None)
        fresh.set_regions(regions)
        return _render(fresh, regions)
    flash(_("Laporan sedang disiapkan. Tautan unduhan muncul di daftar begitu selesai."), "success")
    return redirect(url_for("platform_reports.index"))


@bp.get("/<uuid:job_id>")
@platform_required(*PLATFORM_ROLES)
def status(job_id):
    """One job's row, polled by htmx while it is being built."""
    job = _own_job(job_id)
    regions = regions_by_name()
    if not htmx:  # without JavaScript: the whole page, this job among the others
        form = PlatformReportForm(formdata=None)
        form.set_regions(regions)
        return _render(form, regions)
    return render_template("dashboard/_job.html", view=job_view(job, {r.id: r.name for r in regions}))


@bp.get("/<uuid:job_id>/download")
@platform_required(*PLATFORM_ROLES)
def download(job_id):
    """The finished file, for the platform user who asked for it, while the link is fresh."""
    job = _own_job(job_id)
    verdict = check_download(request.args.get("token", ""), job, current_user.id)
    if verdict == "expired":
        return render_template("dashboard/link_expired.html", back=url_for("platform_reports.index")), 410
    path = ready_file(job)
    if verdict != "ok" or path is None:
        abort(404)
    region = db.session.get(Tenant, job.region_id) if job.region_id else None
    audit("auditor.download" if current_user.platform_role == "auditor" else "report.download", job,
          kind=job.kind, period=job.period, format=job.format)
    return send_file(path, mimetype=MIMETYPES[job.format], as_attachment=True,
                     download_name=download_name(job, region.slug if region else "nasional"), max_age=0)
