"""Activity reports of the region: ask for one, watch it being built, download it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import or_, select

from app.audit.log import record
from app.blueprints.dashboard import bp
from app.blueprints.dashboard.forms import FORMAT_LABELS, KIND_LABELS, ReportForm
from app.dashboard.models import ReportJob
from app.dashboard.periods import Period
from app.dashboard.reporting import (
    MIMETYPES,
    check_download,
    download_name,
    download_token,
    is_stalled,
    link_minutes,
    my_region_jobs,
    ready_file,
    request_region_report,
    requester_names,
    retry_region_report,
)
from app.extensions import db, htmx
from app.jobs.vocabulary import JobStatus
from app.permissions import Capability, requires
from app.reports.settings import SCHEDULABLE, scheduled_reports
from app.tenancy.context import tenant_in_context
from app.tenancy.reads import reads_primary


def _own_job(job_id) -> ReportJob:
    """The job, if it is this region's (scoping) and this user's or scheduled for the region; else 404."""
    job = db.one_or_404(select(ReportJob).where(ReportJob.id == job_id, or_(ReportJob.requested_by == current_user.id,
                                                                            ReportJob.requested_by.is_(None))))
    return job


def _requested_label(job: ReportJob, names: dict) -> str:
    if job.requested_by is None:
        return _("Dijadwalkan")
    return _("Diminta oleh %(name)s", name=names.get(job.requested_by) or current_user.name)


def job_view(job: ReportJob, names: dict | None = None) -> dict:
    """What one row of the job list needs (URLs include a fresh download link when ready)."""
    return dict(job=job, period=Period.parse(job.period), stalled=is_stalled(job),
                requested_label=_requested_label(job, names or {}), scheduled=job.requested_by is None,
                kind_label=KIND_LABELS.get(job.kind, job.kind), format_label=FORMAT_LABELS.get(job.format),
                status_url=url_for("dashboard.report_status", job_id=job.id),
                download_url=url_for("dashboard.report_download", job_id=job.id,
                                     token=download_token(job, current_user.id))
                if job.status == JobStatus.DONE else "",
                retry_action=url_for("dashboard.report_retry", job_id=job.id), retry_fields={},
                retry_target=f"#job-{job.id}", retry_swap="outerHTML", link_minutes=link_minutes())


def _render(form: ReportForm, status: int = 200):
    jobs = my_region_jobs(current_user.id)
    names = requester_names(jobs)
    context = dict(form=form, jobs=[job_view(j, names) for j in jobs], schedule=sorted(scheduled_reports()),
                   schedule_labels=SCHEDULABLE)
    if htmx and htmx.target == "report-area":
        return render_block("dashboard/reports.html", "report_area", **context), status
    return render_template("dashboard/reports.html", **context), status


@bp.get("/reports")
@reads_primary
@requires(Capability.REQUEST_REPORTS)
def reports():
    """Ask for the monthly or yearly report (PDF or Excel); my recent reports and their progress."""
    return _render(ReportForm(formdata=None))


@bp.post("/reports")
@requires(Capability.REQUEST_REPORTS)
def request_report():
    """Record the job (queued after this request commits) and show it in the list."""
    form = ReportForm()
    if not form.validate_on_submit():
        return _render(form, 422)
    job = request_region_report(form.kind.data, form.period_text(), form.format.data, current_user.user)
    record("report.request", "report_job", job.id, kind=job.kind, period=job.period, format=job.format)
    if htmx:
        return _render(ReportForm(formdata=None))
    flash(_("Laporan sedang disiapkan. Tautan unduhan muncul di daftar di bawah begitu selesai."), "success")
    return redirect(url_for("dashboard.reports"))


@bp.get("/reports/<uuid:job_id>")
@reads_primary
@requires(Capability.REQUEST_REPORTS)
def report_status(job_id):
    """One job's row (htmx polls it every 2 seconds while the report is being built)."""
    job = _own_job(job_id)
    if htmx:
        return render_template("dashboard/_job.html", view=job_view(job))
    return _render(ReportForm(formdata=None))


@bp.post("/reports/<uuid:job_id>/retry")
@requires(Capability.REQUEST_REPORTS)
def report_retry(job_id):
    """Try a failed report again ("Coba lagi")."""
    job = _own_job(job_id)
    retry_region_report(job)  # NotRetryable (409) is answered by app.errors
    record("report.retry", "report_job", job.id, kind=job.kind, period=job.period)
    if htmx:
        return render_template("dashboard/_job.html", view=job_view(job))
    return redirect(url_for("dashboard.reports"))


@bp.get("/reports/<uuid:job_id>/download")
@reads_primary
@requires(Capability.REQUEST_REPORTS)
def report_download(job_id):
    """The finished file, for the user who asked for it, while the link is fresh."""
    job = _own_job(job_id)
    verdict = check_download(request.args.get("token", ""), job, current_user.id)
    if verdict == "expired":
        return render_template("dashboard/link_expired.html", back=url_for("dashboard.reports")), 410
    path = ready_file(job)
    if verdict != "ok" or path is None:
        abort(404)
    record("report.download", "report_job", job.id, kind=job.kind, period=job.period, format=job.format)
    return send_file(path, mimetype=MIMETYPES[job.format], as_attachment=True,
                     download_name=download_name(job, tenant_in_context().slug), max_age=0)
