"""RQ jobs: stage a saved register upload as a pending import; delete the rows of old snapshots.

Staging writes the rows in chunks, committing each with the job's progress, under a new
*pending* import that no reader sees (they read the current one). A refused file, or a run
that fails, removes what it wrote; a run that dies is run again and first removes the rows
its dead attempt left. A job already done is never staged twice. The saved file is removed
once the job ends. A preview still waiting when a new file is staged is discarded: one
pending import at a time.
"""
from __future__ import annotations

import uuid
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app.audit.log import record
from app.citizens.dtks_import import RegisterImportError, stage_extract
from app.citizens.extract_history import drop_import, purge_snapshots
from app.citizens.import_jobs import RegisterImportJob, upload_path
from app.citizens.models import RegisterImport
from app.citizens.register import current_import_id
from app.citizens.vocabulary import ImportStatus
from app.extensions import db
from app.jobs.reports import LOST, LOST_HANDLERS, MAX_ATTEMPTS, job_app
from app.jobs.vocabulary import JobStatus
from app.logging_setup import job_run, log_lost
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow

STAGING_SHARE = 85  # progress from 5 to 90 while rows are written; the comparison takes the rest


def run_register_import(job_id: str, tenant_id: str) -> None:
    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(tenant_id))
        if tenant is None:
            return
        with tenant_context(tenant), job_run("register_import", job_id, tenant.slug) as line:
            line["status"] = _import(tenant, (tenant.id, uuid.UUID(job_id)))


def run_register_purge(tenant_id: str) -> None:
    """Delete the rows of imports no longer kept, in chunks (idempotent), then bring the dashboard's
    program receipt rollups up to the extract now current (its flags changed wholesale)."""
    from app.dashboard.program_rollups import rebuild_program_rollups

    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(tenant_id))
        if tenant is None:
            return
        with tenant_context(tenant), job_run("register_purge", tenant_id, tenant.slug):
            purge_snapshots(db.session.commit)
            db.session.commit()
            rebuild_program_rollups(tenant.id)
            db.session.commit()


def _begin(job: RegisterImportJob) -> RegisterImport:
    """Clear what a dead attempt left, set earlier previews aside, and open this job's pending import."""
    if job.import_id is not None:
        drop_import(job.import_id, db.session.commit)
    waiting = db.session.scalars(select(RegisterImport).where(RegisterImport.status == ImportStatus.PENDING)).all()
    for other in waiting:  # staged earlier and never confirmed: a new file replaces the preview
        other.status, other.confirmed_at = ImportStatus.DISCARDED, utcnow()
        record("register.discard", "register_import", other.id, filename=other.filename, reason="superseded")
    db.session.commit()
    purge_snapshots(db.session.commit)
    batch = RegisterImport(filename=job.filename, row_count=0, household_count=0, status=ImportStatus.PENDING,
                           imported_by=job.requested_by, summary={})
    db.session.add(batch)
    db.session.flush()
    job.import_id = batch.id
    db.session.commit()
    return batch


def _import(tenant, key) -> str:
    """Stage the saved upload; returns "done", "failed" (a refused file) or "skipped"."""
    job = db.session.get(RegisterImportJob, key)
    if job is None or not job.is_active:
        return "skipped"  # done (or given up): never staged twice
    job.status, job.attempts, job.progress, job.error, job.updated_at = (
        JobStatus.RUNNING, job.attempts + 1, 2, "", utcnow())
    db.session.commit()
    path = upload_path(tenant.slug, job.id)
    batch_id = None
    try:
        batch = _begin(job)
        batch_id = batch.id

        def on_chunk(share: float) -> None:  # the chunk and the progress, committed together
            job.progress, job.updated_at = 5 + int(share * STAGING_SHARE), utcnow()
            db.session.commit()

        with path.open("rb") as stream:
            counts = stage_extract(stream, batch, tenant.region_code, on_chunk, current_import_id())
        record("register.import", "register_import", batch.id, filename=batch.filename, rows=counts.members,
               households=counts.households, requested_by=str(job.requested_by))
        job.status, job.progress, job.row_count = JobStatus.DONE, 100, counts.members
        job.finished_at = job.updated_at = utcnow()
        db.session.commit()  # the preview and "done" together
    except RegisterImportError as exc:  # a refused file never gets better
        _finish_failed(key, path, "\n".join(exc.problems), retry=False, staged=batch_id)
        return "failed"
    except Exception as exc:
        _finish_failed(key, path, f"{type(exc).__name__}: {exc}"[:500], retry=True, staged=batch_id)
        raise
    path.unlink(missing_ok=True)
    return "done"


def _finish_failed(key: tuple[uuid.UUID, uuid.UUID], path: Path, message: str, retry: bool,
                   staged: uuid.UUID | None = None) -> None:
    """Remove what was staged; queued for the next attempt, or failed (and the upload removed)."""
    db.session.rollback()
    if staged is not None and db.session.get(RegisterImport, (key[0], staged)) is not None:
        drop_import(staged, db.session.commit)
    job = db.session.get(RegisterImportJob, key)
    if job is None:  # went while we staged: nothing to record the error on, and no retry will come
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
    """A worker died during staging: queue again (the next run clears its rows) or give up and clear them."""
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
                if job.import_id is not None:
                    drop_import(job.import_id, db.session.commit)
                upload_path(tenant.slug, job.id).unlink(missing_ok=True)


LOST_HANDLERS[f"{__name__}.run_register_import"] = _import_lost
