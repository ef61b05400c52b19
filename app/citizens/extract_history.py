"""The imports of the extract over time: the one waiting for confirmation, confirming or
discarding it, the history, and removing the rows of snapshots no longer kept.

Kept: the current import, the previous one (to compare), and a pending one. Every import
stays in the history (who, when, file, counts); only the households and members of older
snapshots and discarded previews are deleted, in chunks, by a background job.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.audit.log import record
from app.citizens.extract_compare import compare_imports, own_figures
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.errors import Conflict
from app.extensions import db
from app.jobs.vocabulary import ACTIVE_JOB_STATUSES
from app.tenancy.context import current_tenant_id
from app.tenancy.models import utcnow

PURGE_CHUNK = 5000
HISTORY_SIZE = 30


def _being_staged(import_id):
    from app.citizens.import_jobs import RegisterImportJob

    return exists().where(RegisterImportJob.import_id == import_id,
                          RegisterImportJob.status.in_(ACTIVE_JOB_STATUSES))


def pending_import() -> RegisterImport | None:
    """The import staged and waiting for a person to confirm or discard it (one at a time)."""
    return db.session.scalar(select(RegisterImport)
                             .where(RegisterImport.status == ImportStatus.PENDING, ~_being_staged(RegisterImport.id))
                             .order_by(RegisterImport.imported_at.desc()).limit(1))


def current_import() -> RegisterImport | None:
    return db.session.scalar(select(RegisterImport).where(RegisterImport.status == ImportStatus.CURRENT)
                             .order_by(RegisterImport.imported_at.desc()).limit(1))


def previous_import() -> RegisterImport | None:
    """The import the current one replaced (the newest of the previous ones, whose rows are kept)."""
    return db.session.scalar(select(RegisterImport).where(RegisterImport.status == ImportStatus.PREVIOUS)
                             .order_by(RegisterImport.imported_at.desc()).limit(1))


def confirm_import(batch: RegisterImport, user) -> None:
    """Make a pending import the current extract; the one it replaces is kept as the previous.

    Its preview is computed again if the extract changed since it was staged. The rows of
    older snapshots are deleted afterwards by a job.
    """
    from app.jobs.register_import import run_register_purge
    from app.jobs.reports import schedule

    if batch.status != ImportStatus.PENDING:
        raise Conflict(_("Impor ini tidak lagi menunggu konfirmasi."))
    replaced = db.session.scalars(select(RegisterImport).where(RegisterImport.status == ImportStatus.CURRENT)
                                  .order_by(RegisterImport.imported_at.desc())).all()
    against = replaced[0].id if replaced else None
    summary = dict(batch.summary or {})
    if summary.get("against") != (str(against) if against else None):
        summary.update(compare_imports(batch.id, against))
        batch.summary = summary
    for old in replaced:
        old.status = ImportStatus.PREVIOUS
    db.session.flush()
    batch.status, batch.confirmed_by, batch.confirmed_at = ImportStatus.CURRENT, user.id, utcnow()
    record("register.confirm", "register_import", batch.id, filename=batch.filename,
           households=batch.household_count, members=batch.row_count, replaced=str(against or ""))
    schedule(run_register_purge, str(current_tenant_id()))


def discard_import(batch: RegisterImport, user, *, reason: str = "") -> None:
    """Drop a pending import: the current extract stays; its rows are deleted afterwards by a job."""
    from app.jobs.register_import import run_register_purge
    from app.jobs.reports import schedule

    if batch.status != ImportStatus.PENDING:
        raise Conflict(_("Impor ini tidak lagi menunggu konfirmasi."))
    batch.status, batch.confirmed_by, batch.confirmed_at = ImportStatus.DISCARDED, user.id if user else None, utcnow()
    record("register.discard", "register_import", batch.id, filename=batch.filename, reason=reason)
    schedule(run_register_purge, str(current_tenant_id()))


def _delete_rows(import_id, commit: Callable[[], None]) -> int:
    """Delete one import's households and members, `PURGE_CHUNK` at a time, committing after each."""
    deleted = 0
    for model in (RegisterEntry, RegisterHousehold):
        while True:
            ids = db.session.scalars(select(model.id).where(model.import_id == import_id).limit(PURGE_CHUNK)).all()
            if not ids:
                break
            db.session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))
            commit()
            deleted += len(ids)
    return deleted


def purge_snapshots(commit: Callable[[], None]) -> int:
    """Delete the rows of every import no longer kept (older previous ones, discarded previews)."""
    keep = previous_import()
    stale = select(RegisterImport.id).where(RegisterImport.status.in_((ImportStatus.PREVIOUS, ImportStatus.DISCARDED)))
    if keep is not None:
        stale = stale.where(RegisterImport.id != keep.id)
    deleted = 0
    for import_id in db.session.scalars(stale).all():
        if db.session.scalar(select(exists().where(RegisterHousehold.import_id == import_id))) or \
                db.session.scalar(select(exists().where(RegisterEntry.import_id == import_id))):
            deleted += _delete_rows(import_id, commit)
    return deleted


def drop_import(import_id, commit: Callable[[], None]) -> None:
    """Remove an import that never became one (a refused or abandoned staging), rows and all."""
    from app.citizens.import_jobs import RegisterImportJob

    _delete_rows(import_id, commit)
    for job in db.session.scalars(select(RegisterImportJob).where(RegisterImportJob.import_id == import_id)):
        job.import_id = None
    db.session.flush()
    db.session.execute(delete(RegisterImport).where(RegisterImport.id == import_id)
                       .execution_options(synchronize_session=False))
    commit()


def history(limit: int = HISTORY_SIZE) -> list:
    """(import, importer's name, confirmer's name) rows, newest first."""
    importer, confirmer = aliased(User), aliased(User)
    return list(db.session.execute(
        select(RegisterImport, importer.name, confirmer.name)
        .outerjoin(importer, importer.id == RegisterImport.imported_by)
        .outerjoin(confirmer, confirmer.id == RegisterImport.confirmed_by)
        .order_by(RegisterImport.imported_at.desc()).limit(limit)).all())


def comparison() -> tuple[RegisterImport | None, RegisterImport | None, dict | None]:
    """(current, previous, changes from previous to current); the stored preview when it was made
    against that previous import, else compared now."""
    current, previous = current_import(), previous_import()
    if current is None or previous is None:
        return current, previous, None
    summary = current.summary or {}
    if summary.get("against") == str(previous.id) and "households" in summary:
        return current, previous, summary
    return current, previous, compare_imports(current.id, previous.id)


def compared_with(batch: RegisterImport) -> RegisterImport | None:
    """The import `batch`'s preview was computed against (None: there was none)."""
    against = (batch.summary or {}).get("against")
    if not against:
        return None
    return db.session.scalar(select(RegisterImport).where(RegisterImport.id == uuid.UUID(against)))


def figures_of(batch: RegisterImport) -> dict:
    """An import's own decile and program counts: stored with it, else counted now."""
    summary = batch.summary or {}
    if "deciles" in summary:
        return summary
    return {**summary, **own_figures(batch.id)}
