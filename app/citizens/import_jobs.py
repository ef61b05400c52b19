"""Register imports as background jobs: the upload is checked, saved, then staged by a job.

The request checks the header and the first rows (a broken file is refused at the field,
nothing saved), writes the file atomically to `instance/imports/<region>/<job id>.upload`
(CSV or Excel, told apart by its content) and records the job; the job
(`app.jobs.register_import`) reads it row by row into a pending import and stores its
preview. A person then confirms or discards it (`app.citizens.extract_history`).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import IO

from flask import current_app
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model, db
from app.jobs.vocabulary import ACTIVE_JOB_STATUSES, JobStatus
from app.tenancy.context import current_tenant_id, tenant_in_context
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow

RECENT = 5


class RegisterImportJob(TenantOwned, Model):
    """One uploaded register file on its way into a pending import (`import_id`, once staging starts)."""

    __tablename__ = "register_import_jobs"
    __table_args__ = (tenant_fk("import_id", "register_imports"),)

    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(10), JobStatus.check("status"), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")  # problems, one a line
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    import_id: Mapped[uuid.UUID | None] = mapped_column()
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES

    @property
    def problems(self) -> list[str]:
        return [line for line in self.error.splitlines() if line]


def imports_dir() -> Path:
    """Where uploads wait for their job: IMPORTS_DIR, else instance/imports (a folder per region)."""
    configured = current_app.config.get("IMPORTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


def upload_path(slug: str, job_id) -> Path:
    return imports_dir() / slug / f"{job_id}.upload"


def save_atomically(stream: IO[bytes], target: Path) -> None:
    """Copy `stream` to `target` through a temporary file in the same folder and `os.replace`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def active_import() -> RegisterImportJob | None:
    from app.dashboard.reporting import is_stalled

    jobs = db.session.scalars(select(RegisterImportJob).where(RegisterImportJob.status.in_(ACTIVE_JOB_STATUSES)))
    return next((job for job in jobs if not is_stalled(job)), None)


def start_import(stream: IO[bytes], filename: str, user) -> RegisterImportJob:
    """Save a checked upload and record its job; the job is queued when the request commits."""
    from app.jobs.register_import import run_register_import
    from app.jobs.reports import schedule

    job = RegisterImportJob(filename=(filename or "")[-255:], requested_by=user.id)
    db.session.add(job)
    db.session.flush()
    stream.seek(0)
    save_atomically(stream, upload_path(tenant_in_context().slug, job.id))
    schedule(run_register_import, str(job.id), str(current_tenant_id()))
    return job


def recent_imports() -> list[RegisterImportJob]:
    from app.jobs.reports import sweep_abandoned

    sweep_abandoned()
    return list(db.session.scalars(select(RegisterImportJob).order_by(RegisterImportJob.created_at.desc())
                                   .limit(RECENT)))


def import_states(jobs: list[RegisterImportJob]) -> dict:
    """Job id → the status of the import it staged (pending, current, previous, discarded), where it has one."""
    from app.citizens.models import RegisterImport

    ids = [job.import_id for job in jobs if job.import_id]
    if not ids:
        return {}
    status = dict(db.session.execute(select(RegisterImport.id, RegisterImport.status)
                                     .where(RegisterImport.id.in_(ids))).all())
    return {job.id: status.get(job.import_id) for job in jobs if job.import_id}
