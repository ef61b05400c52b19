"""RQ job: import a saved register upload into the region's extract.

Idempotent and safe to run again after a crash: the extract is replaced (delete + insert) and
the job marked done in ONE transaction, so a run that dies leaves the old extract and a job
that is not done; running it again replaces the extract once more (never doubling rows), and
a job already done is never imported twice. The saved file is removed once the job ends.
"""
from __future__ import annotations

import uuid
from pathlib import Path

from flask import current_app
from sqlalchemy import update

from app.accounts.models import User
from app.citizens.dtks_import import RegisterImportError, import_register, parse_register_csv
from app.citizens.import_jobs import RegisterImportJob, upload_path
from app.extensions import db
from app.jobs.reports import LOST, LOST_HANDLERS, MAX_ATTEMPTS, _progress_writer, job_app
from app.jobs.vocabulary import JobStatus
from app.logging_setup import job_run, log_lost
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow


def run_register_import(job_id: str, tenant_id: str) -> None:
    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(tenant_id))
        if tenant is None:
            return
        with tenant_context(tenant), job_run("register_import", job_id, tenant.slug) as line:
            line["status"] = _import(tenant, (tenant.id, uuid.UUID(job_id)))


def _import(tenant, key) -> str:
    """Import the saved upload; returns "done", "failed" (a refused file) or "skipped"."""
    job = db.session.get(RegisterImportJob, key)
    if job is None or not job.is_active:
        return "skipped"  # done (or given up): never imported twice
    job.status, job.attempts, job.progress, job.error, job.updated_at = (
        JobStatus.RUNNING, job.attempts + 1, 5, "", utcnow())
    db.session.commit()
    path, progress = upload_path(tenant.slug, job.id), _progress_writer(RegisterImportJob, job.id)
    try:
        with path.open("rb") as stream:
            rows = parse_register_csv(stream, tenant.region_code)
        progress(40)
        batch = import_register(rows, job.filename, db.session.get(User, job.requested_by))
        job.status, job.progress, job.row_count, job.import_id = JobStatus.DONE, 100, len(rows), batch.id
        job.finished_at = job.updated_at = utcnow()
        db.session.commit()  # the new extract and "done" together
    except RegisterImportError as exc:  # checked at upload already; a refused file never gets better
        _finish_failed(key, path, "\n".join(exc.problems), retry=False)
        return "failed"
    except Exception as exc:
        _finish_failed(key, path, f"{type(exc).__name__}: {exc}"[:500], retry=True)
        raise
    path.unlink(missing_ok=True)
    return "done"


def _finish_failed(key: tuple[uuid.UUID, uuid.UUID], path: Path, message: str, retry: bool) -> None:
    """Roll the attempt back; queued for the next attempt, or failed (and the upload removed)."""
    db.session.rollback()
    job = db.session.get(RegisterImportJob, key)
    if job is None:  # went while we imported: nothing to record the error on, and no retry will come
        current_app.logger.warning("register import: job %s is gone; skipped", key)
        path.unlink(missing_ok=True)
        return
    last = not retry or job.attempts >= MAX_ATTEMPTS
    job.status, job.progress, job.error, job.updated_at = (
        JobStatus.FAILED if last else JobStatus.QUEUED, 0, message, utcnow())
    db.session.commit()
    if last:
        path.unlink(missing_ok=True)


def _import_lost(args: tuple, abandoned: bool, retrying: bool) -> None:
    """A worker died during the import: its transaction rolled back; queue again or give up."""
    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(args[1]))
        if tenant is None:
            return
        with tenant_context(tenant):
            job = db.session.get(RegisterImportJob, (tenant.id, uuid.UUID(args[0])))
            if job is None or not (job.status == JobStatus.RUNNING or (abandoned and job.is_active)):
                return
            log_lost("register_import", job.id, tenant.slug, retrying)
            db.session.execute(update(RegisterImportJob).where(RegisterImportJob.id == job.id).values(
                status=JobStatus.QUEUED if retrying else JobStatus.FAILED, progress=0, error=LOST, updated_at=utcnow()))
            db.session.commit()
            if not retrying:
                upload_path(tenant.slug, job.id).unlink(missing_ok=True)


LOST_HANDLERS[f"{__name__}.run_register_import"] = _import_lost
