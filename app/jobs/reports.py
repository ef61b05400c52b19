"""Report jobs: built in the background, with progress, retries and an atomic file.

* A request only records the job; it is handed to the queue *after* the request's
  transaction commits (so a worker never looks for a row that is not there yet, and a
  rolled-back request queues nothing).
* With Redis the job goes to RQ with `Retry(max=2)`; without, it runs inline in a loop
  that tries the same number of times.
* The job enters its own app context (its own session) and the region's tenant context,
  commits progress in short transactions of their own, writes to a temporary file in the
  target folder and `os.replace`s it into place, then marks the job done. A failure marks
  the job queued again (a retry follows) or, after the last attempt, failed with the error;
  a half-written file is removed and never offered.
* A worker that dies mid-job (killed, restarted, out of memory) stops its heartbeat; RQ's
  abandoned-job handling (`StartedJobRegistry.cleanup`, run by every worker's maintenance and by
  `sweep_abandoned` when a job list is viewed) then retries the job or fails it, calling the
  job's failure callback `job_lost`, which records that on the row and removes the `.part` file.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from flask import current_app, has_app_context
from flask_babel import force_locale
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from app.dashboard.models import PlatformReportJob, ReportJob
from app.extensions import db
from app.jobs.vocabulary import JobStatus
from app.logging_setup import job_run, log_lost
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow

MAX_ATTEMPTS = 3
_PENDING = "pending_report_jobs"


def reports_dir() -> Path:
    """Where report files live: REPORTS_DIR, else instance/reports (one folder per region)."""
    configured = current_app.config.get("REPORTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "reports"


# --- handing jobs to the queue once the request has committed ------------------------------

def schedule(func: Callable, *args: str) -> None:
    """Run `func(*args)` in the background once the current transaction commits."""
    db.session.info.setdefault(_PENDING, []).append((func, args))


@event.listens_for(Session, "after_commit")
def _dispatch_pending(session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released (after_commit fires for those too): the real commit is still to come
    for func, args in session.info.pop(_PENDING, []):
        dispatch(func, *args)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session, transaction) -> None:
    if transaction.parent is None:  # the outer transaction ended without a commit reaching us
        session.info.pop(_PENDING, None)


def dispatch(func: Callable, *args: str) -> None:
    """RQ with retries when Redis is configured, else inline with the same number of attempts."""
    if not current_app.config.get("REDIS_URL"):
        run_inline(func, *args)
        return
    from rq import Callback, Retry

    from app.jobs.queue import get_queue

    intervals = current_app.config.get("REPORT_RETRY_INTERVALS", [1, 5])
    try:
        get_queue().enqueue(func, *args, retry=Retry(max=MAX_ATTEMPTS - 1, interval=intervals),
                            job_timeout=current_app.config.get("REPORT_JOB_TIMEOUT", 3600),
                            on_failure=Callback(job_lost))
    except Exception as exc:
        current_app.logger.exception("report job could not be queued")
        mark_failed(func, args, f"Antrean pekerjaan tidak dapat dihubungi ({type(exc).__name__}).")


def run_inline(func: Callable, *args: str) -> None:
    for _attempt in range(MAX_ATTEMPTS):
        try:
            func(*args)
            return
        except Exception:
            current_app.logger.exception("report job attempt failed")


# --- the jobs ---------------------------------------------------------------------------------

@contextmanager
def job_app():
    """A fresh app context (and so a fresh session), inside the worker's or a new app."""
    if has_app_context():
        # Flask types current_app as the Flask it stands for; it is a LocalProxy, and this unwraps it.
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    else:
        from app import create_app

        app = create_app()
    with app.app_context():
        yield app


def build_region_report(job_id: str, tenant_id: str) -> None:
    """RQ job: one region's monthly or yearly report (requested by its staff)."""
    from app.dashboard.reporting import write_region_report

    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(tenant_id))
        if tenant is None:
            return
        with tenant_context(tenant), job_run("region_report", job_id, tenant.slug) as line:
            line["status"] = _run(ReportJob, (tenant.id, uuid.UUID(job_id)), tenant.slug,
                                  lambda job, out, progress: write_region_report(tenant, job, out, progress))


def build_platform_report(job_id: str) -> None:
    """RQ job: a report requested on the platform (one region's, or the national summary)."""
    from app.dashboard.reporting import write_national_report, write_region_report

    with job_app():
        job = db.session.get(PlatformReportJob, uuid.UUID(job_id))
        if job is None:
            return
        if job.region_id is None:
            with job_run("platform_report", job_id, None) as line:
                line["status"] = _run(PlatformReportJob, job.id, "_nasional", write_national_report)
            return
        tenant = db.session.get(Tenant, job.region_id)
        # region_id is a foreign key to tenants (no ON DELETE) and regions are never deleted.
        assert tenant is not None
        with tenant_context(tenant), job_run("platform_report", job_id, tenant.slug) as line:
            line["status"] = _run(PlatformReportJob, job.id, tenant.slug,
                                  lambda job, out, progress: write_region_report(tenant, job, out, progress))


#: A report job row of either kind (the body is checked for each).
Job = TypeVar("Job", ReportJob, PlatformReportJob)
#: A job row's primary key: (tenant id, id) for a region's job, the id for a platform job.
JobKey = tuple[uuid.UUID, uuid.UUID] | uuid.UUID


def _gone(what: str, key: object) -> None:
    """A job (or its region) looked for after it has gone: nothing to record, say so and move on."""
    current_app.logger.warning("report job: %s %s is gone; skipped", what, key)


def _progress_writer(model, job_id) -> Callable[[int], None]:
    def set_progress(percent: int) -> None:
        with Session(db.engine) as session:  # its own short transaction, visible at once
            session.execute(update(model).where(model.id == job_id)
                            .values(progress=max(1, min(99, int(percent))), updated_at=utcnow()))
            session.commit()

    return set_progress


def _run(model: type[Job], key: JobKey, folder: str, write: Callable) -> str:
    """Build the job's file; returns "done", or "skipped" for a job gone or done already."""
    job = db.session.get(model, key)
    if job is None or job.status == JobStatus.DONE:
        return "skipped"
    job.status, job.attempts, job.progress, job.error, job.updated_at = (
        JobStatus.RUNNING, job.attempts + 1, 1, "", utcnow())
    db.session.commit()
    target_dir = reports_dir() / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    name = f"{job.id}.{job.format}"
    tmp = None
    try:
        handle, tmp = tempfile.mkstemp(dir=target_dir, prefix=f".{job.id}.", suffix=".part")
        with os.fdopen(handle, "wb") as out, force_locale(job.locale or "id"):  # the requester's language
            write(job, out, _progress_writer(model, job.id))
        os.replace(tmp, target_dir / name)
        tmp = None
    except Exception as exc:
        db.session.rollback()
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        job = db.session.get(model, key)
        if job is None:  # went while we wrote: nothing to record the error on
            _gone("job", key)
            raise
        job.status = JobStatus.FAILED if job.attempts >= MAX_ATTEMPTS else JobStatus.QUEUED
        job.error, job.progress, job.updated_at = f"{type(exc).__name__}: {exc}"[:500], 0, utcnow()
        db.session.commit()
        raise
    job.status, job.progress, job.file_path = JobStatus.DONE, 100, f"{folder}/{name}"
    job.finished_at = job.updated_at = utcnow()
    db.session.commit()
    return "done"


# --- workers that die ------------------------------------------------------------------------

LOST = "Pekerja latar berhenti di tengah jalan (dimatikan atau dimulai ulang)."
#: Per job function (by RQ's func_name): records a lost run on the job's own row.
LOST_HANDLERS: dict[str, Callable[[tuple, bool, bool], None]] = {}


def sweep_abandoned() -> int:
    """Let RQ retry or fail the jobs whose worker stopped beating; returns how many it found."""
    if not current_app.config.get("REDIS_URL"):
        return 0
    from rq.registry import StartedJobRegistry
    from rq.timeouts import TimerDeathPenalty

    from app.jobs.queue import get_queue

    try:  # no signals: this may run in a web request on any thread
        registry = StartedJobRegistry(queue=get_queue(), death_penalty_class=TimerDeathPenalty)
        found = len(registry.get_expired_job_ids())
        if found:
            registry.cleanup()
        return found
    except Exception:
        current_app.logger.warning("abandoned-job sweep failed", exc_info=True)
        return 0


def job_lost(rq_job, connection, exc_type, exc_value, traceback) -> None:
    """RQ failure callback. A failure the job recorded itself is left alone; a lost run (abandoned,
    or the work horse killed) is recorded here: queued again while RQ retries, else failed."""
    from importlib import import_module

    from rq.exceptions import AbandonedJobError

    import_module(rq_job.func_name.rpartition(".")[0])  # the job's module registers its handler
    handler = LOST_HANDLERS.get(rq_job.func_name)
    if handler is not None:
        handler(tuple(rq_job.args), exc_type is AbandonedJobError, bool(rq_job.retries_left))


def record_lost(model: type[Job], key: JobKey, folder: Path, abandoned: bool, retrying: bool) -> None:
    """On the current session: mark a lost run of job `key` and remove its half-written files."""
    job = db.session.get(model, key)
    if job is None or not (job.status == JobStatus.RUNNING or (abandoned and job.is_active)):
        return
    kind, region = ("region_report" if model is ReportJob else "platform_report"), folder.name.lstrip("_")
    log_lost(kind, job.id, None if region == "nasional" else region, retrying)
    for part in folder.glob(f".{job.id}.*.part"):
        part.unlink(missing_ok=True)
    job.status, job.progress, job.error, job.updated_at = (
        JobStatus.QUEUED if retrying else JobStatus.FAILED, 0, LOST, utcnow())
    db.session.commit()


def _report_lost(args: tuple, abandoned: bool, retrying: bool) -> None:
    with job_app():
        if len(args) == 2:
            tenant = db.session.get(Tenant, uuid.UUID(args[1]))
            if tenant is None:
                _gone("region", args[1])
                return
            with tenant_context(tenant):
                record_lost(ReportJob, (tenant.id, uuid.UUID(args[0])), reports_dir() / tenant.slug,
                            abandoned, retrying)
            return
        job = db.session.get(PlatformReportJob, uuid.UUID(args[0]))
        if job is None:
            return
        region = db.session.get(Tenant, job.region_id) if job.region_id else None
        folder = reports_dir() / (region.slug if region else "_nasional")
        record_lost(PlatformReportJob, job.id, folder, abandoned, retrying)


def mark_failed(func: Callable, args: tuple, message: str) -> None:
    """Record that a job never reached the queue (so the page offers to try again)."""
    with job_app():
        if func is build_region_report:
            tenant = db.session.get(Tenant, uuid.UUID(args[1]))
            if tenant is None:
                _gone("region", args[1])
                return
            with tenant_context(tenant):
                _fail(db.session.get(ReportJob, (tenant.id, uuid.UUID(args[0]))), args[0], message)
        else:
            _fail(db.session.get(PlatformReportJob, uuid.UUID(args[0])), args[0], message)


def _fail(job: ReportJob | PlatformReportJob | None, job_id: str, message: str) -> None:
    if job is None:
        _gone("job", job_id)
        return
    job.status, job.error = JobStatus.FAILED, message
    db.session.commit()


LOST_HANDLERS[f"{__name__}.build_region_report"] = _report_lost
LOST_HANDLERS[f"{__name__}.build_platform_report"] = _report_lost
