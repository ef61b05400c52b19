"""Report operations: requesting a report, trying again, download links, and writing the file.

Download links are signed (itsdangerous), name the job, the user and the realm (a region
or the platform), and expire; the route checks all of that again on every download.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import or_, select

from app.accounts.locale import current_locale
from app.accounts.models import User
from app.dashboard.lists import prelist_rows, referral_rows
from app.dashboard.metrics import DEFAULT_ZONE, local_day
from app.dashboard.models import PlatformReportJob, ReportJob
from app.dashboard.national import national_columns, national_summary, national_total
from app.dashboard.national_areas import breakdown_tables
from app.dashboard.periods import Period
from app.errors import Conflict
from app.extensions import db
from app.jobs.reports import build_platform_report, build_region_report, reports_dir, schedule, sweep_abandoned
from app.jobs.vocabulary import JobStatus
from app.reports.activity import national_report_pdf
from app.reports.contents import report_contents
from app.reports.office import region_facts, region_report_pdf
from app.reports.workbook import national_workbook, region_workbook
from app.templating import localtime
from app.tenancy.context import current_tenant_id
from app.tenancy.models import utcnow

KINDS = ("monthly", "yearly")
FORMATS = ("pdf", "xlsx")
MIMETYPES = {"pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
STALE_AFTER = timedelta(minutes=30)
RECENT = 20


class NotRetryable(Conflict):
    """Only a failed (or stalled) job can be tried again; `job_status` is the job's status now."""

    def __init__(self, job_status: str = ""):
        self.job_status = job_status
        super().__init__(_("Hanya laporan yang gagal (atau terhenti) yang dapat dicoba lagi."))


def request_region_report(kind: str, period: str, fmt: str, user) -> ReportJob:
    """Record a report job for the current region; it is queued when the request commits."""
    job = ReportJob(kind=kind, period=period, format=fmt, requested_by=user.id, locale=current_locale())
    db.session.add(job)
    db.session.flush()
    schedule(build_region_report, str(job.id), str(current_tenant_id()))
    return job


def request_platform_report(kind: str, period: str, fmt: str, user, region=None) -> PlatformReportJob:
    """Record a platform report job (a region's report, or the national summary when `region` is None)."""
    job = PlatformReportJob(kind=kind if region is not None else "national", period=period, format=fmt,
                            requested_by=user.id, region_id=region.id if region is not None else None,
                            locale=current_locale())
    db.session.add(job)
    db.session.flush()
    schedule(build_platform_report, str(job.id))
    return job


def is_stalled(job) -> bool:
    """Queued or running, but no word from the worker for a long time (worker lost)."""
    updated = job.updated_at if job.updated_at.tzinfo else job.updated_at.replace(tzinfo=utcnow().tzinfo)
    return job.is_active and utcnow() - updated > STALE_AFTER


def retry_region_report(job: ReportJob) -> None:
    """Queue a failed job again from the start (attempts reset)."""
    if job.status != JobStatus.FAILED and not is_stalled(job):
        raise NotRetryable(job.status)
    job.status, job.attempts, job.progress, job.error, job.file_path = JobStatus.QUEUED, 0, 0, "", ""
    job.updated_at, job.finished_at = utcnow(), None
    schedule(build_region_report, str(job.id), str(job.tenant_id))


def my_region_jobs(user_id) -> list[ReportJob]:
    """The user's own requests and the region's scheduled reports, newest first."""
    sweep_abandoned()  # a job whose worker died shows as failed (or queued again) at once
    return list(db.session.scalars(select(ReportJob).where(or_(ReportJob.requested_by == user_id,
                                                               ReportJob.requested_by.is_(None)))
                                   .order_by(ReportJob.created_at.desc()).limit(RECENT)))


def requester_names(jobs) -> dict:
    """user id → name, for the "requested by" line of each job."""
    ids = {job.requested_by for job in jobs if job.requested_by is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def my_platform_jobs(user_id) -> list[PlatformReportJob]:
    sweep_abandoned()
    return list(db.session.scalars(select(PlatformReportJob).where(PlatformReportJob.requested_by == user_id)
                                   .order_by(PlatformReportJob.created_at.desc()).limit(RECENT)))


# --- download links ----------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    key = current_app.secret_key
    assert key is not None  # Config always sets SECRET_KEY (a default in development, checked in production)
    return URLSafeTimedSerializer(key, salt="report-download")


def realm_of(job) -> str:
    return str(job.tenant_id) if isinstance(job, ReportJob) else "platform"


def link_minutes() -> int:
    """How long a download link stays valid, in minutes (REPORT_LINK_MAX_AGE seconds)."""
    return max(1, current_app.config.get("REPORT_LINK_MAX_AGE", 3600) // 60)


def download_token(job, user_id) -> str:
    return _serializer().dumps({"j": str(job.id), "u": str(user_id), "r": realm_of(job)})


def check_download(token: str, job, user_id) -> str:
    """'ok', 'expired' or 'invalid' for this job, this user, this realm, now."""
    max_age = current_app.config.get("REPORT_LINK_MAX_AGE", 3600)
    try:
        data = _serializer().loads(token or "", max_age=max_age)
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "invalid"
    expected = {"j": str(job.id), "u": str(user_id), "r": realm_of(job)}
    if data != expected or job.requested_by not in (user_id, None):  # None: scheduled, for the region's staff
        return "invalid"
    return "ok"


def ready_file(job) -> Path | None:
    """The finished file, or None (not done, or missing on disk)."""
    if job.status != JobStatus.DONE or not job.file_path:
        return None
    path = reports_dir() / job.file_path
    return path if path.is_file() else None


def download_name(job, slug: str) -> str:
    kind = {"monthly": "laporan-bulanan", "yearly": "laporan-tahunan", "national": "ringkasan-nasional"}[job.kind]
    return f"{kind}-{slug}-{job.period}.{job.format}"


# --- writing the files (called by the jobs) -------------------------------------------------------

def _requester(job) -> str:
    if job.requested_by is None:
        return _("Terjadwal (dibuat otomatis oleh sistem)")
    user = db.session.get(User, job.requested_by)
    return user.name if user else ""


def _period_of(job) -> Period:
    """The job's period (checked when it was requested: only a row changed since then fails here)."""
    period = Period.parse(job.period)
    if period is None:
        raise ValueError(f"report period {job.period!r} is not a month or a year we report on")
    return period


def write_region_report(tenant, job, out, progress) -> None:
    """The region's report (in its tenant context) as PDF or Excel into `out`."""
    period = _period_of(job)
    contents = report_contents(tenant, period)
    progress(20)
    made, requester = utcnow(), _requester(job)
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE
    if job.format == "pdf":
        data = region_report_pdf(tenant, job.kind, contents, prelist_rows(period), referral_rows(period), requester,
                                 localtime(made), local_day(made, zone), progress)
        progress(90)
        out.write(data)
    else:
        made_local = made.astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)
        facts: list[tuple[str, object]] = [
            (label, made_local if label == _("Disusun") else value)
            for label, value in region_facts(tenant, job.kind, contents, requester, localtime(made))]
        region_workbook(out, facts, contents, prelist_rows(period), referral_rows(period), progress)


def write_national_report(job, out, progress) -> None:
    """The national summary (one row per region) as PDF or Excel into `out`."""
    period = _period_of(job)
    rows = national_summary(period)
    progress(40)
    made_at, requester = localtime(utcnow()), _requester(job)
    if job.format == "pdf":
        out.write(national_report_pdf(period.label(), national_columns(), rows, national_total(rows), requester,
                                      made_at, extra=breakdown_tables(rows, period)))
    else:
        facts = [(_("Ringkasan nasional SLRT"), period.label()), (_("Disusun"), made_at),
                 (_("Diminta oleh"), requester)]
        national_workbook(out, facts, national_columns(), rows, national_total(rows),
                          extra=breakdown_tables(rows, period))
