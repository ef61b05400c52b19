"""The background job that computes a ranking's entries: progress on the ranking row, retries, lost runs.

The request creates the ranking (queued) and `queue_ranking` hands the job to the queue once the
request commits (`app.jobs.reports.schedule`: RQ with retries, or inline without Redis). The run
commits as it goes: first clearing what an interrupted attempt left, then with each progress step,
and marks the ranking done with its entries in the last commit. Until then the ranking page shows
the progress and nothing can be ticked or decided. A failed run is queued again until the last
attempt, then failed with its error; "Coba lagi" queues it once more.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.audit.log import record
from app.errors import Conflict
from app.extensions import db
from app.jobs.reports import LOST, LOST_HANDLERS, MAX_ATTEMPTS, job_app, schedule, sweep_abandoned
from app.jobs.vocabulary import ACTIVE_JOB_STATUSES, JobStatus
from app.logging_setup import job_run, log_lost
from app.programs.models import Program, Ranking
from app.programs.ranking_columns import RANKINGS
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant

KIND = "ranking"


@dataclass(frozen=True)
class JobState:
    """Where a ranking's computation stands."""

    status: str
    progress: int
    attempts: int
    error: str

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES

    @property
    def done(self) -> bool:
        return self.status == JobStatus.DONE


def _where(tenant_id, ranking_id):
    return (RANKINGS.c.tenant_id == tenant_id) & (RANKINGS.c.id == ranking_id)


def job_state(ranking: Ranking) -> JobState:
    """The ranking's computation as stored now."""
    row = db.session.execute(select(RANKINGS.c.job_status, RANKINGS.c.progress, RANKINGS.c.attempts,
                                    RANKINGS.c.job_error).where(_where(ranking.tenant_id, ranking.id))).one()
    return JobState(*row)


def require_computed(ranking: Ranking) -> None:
    """Refuse (`Conflict`) what needs the entries while they are still being computed (or failed)."""
    if not job_state(ranking).done:
        raise Conflict(_("Peringkat ini belum selesai dihitung."))


def watched_state(ranking: Ranking) -> JobState:
    """`job_state`, after letting RQ notice runs whose worker died (so a stuck ranking shows as such)."""
    state = job_state(ranking)
    if state.is_active and sweep_abandoned():
        db.session.expire_all()
        state = job_state(ranking)
    return state


def _set(key: tuple[uuid.UUID, uuid.UUID], **values) -> None:
    db.session.execute(update(RANKINGS).where(_where(*key)).values(**values))


def queue_ranking(ranking: Ranking) -> None:
    """Queue the computation (again, for a retry) once the current transaction commits."""
    _set((ranking.tenant_id, ranking.id), job_status=JobStatus.QUEUED, progress=0, attempts=0, job_error="")
    schedule(run_ranking, str(ranking.id), str(ranking.tenant_id))


def retry_ranking(ranking: Ranking) -> None:
    """Queue a failed computation once more; refused (`Conflict`) unless it failed."""
    if job_state(ranking).status != JobStatus.FAILED:
        raise Conflict(_("Hanya penghitungan yang gagal yang dapat diulang."))
    queue_ranking(ranking)
    record("ranking.retry", "ranking", ranking.id)


def run_ranking(ranking_id: str, tenant_id: str) -> None:
    """RQ job: compute one ranking's entries in its region."""
    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(tenant_id))
        if tenant is None:
            return
        with tenant_context(tenant), job_run(KIND, ranking_id, tenant.slug) as line:
            line["status"] = _compute((tenant.id, uuid.UUID(ranking_id)))


def _compute(key: tuple[uuid.UUID, uuid.UUID]) -> str:
    """Fill the ranking; returns "done", or "skipped" for a ranking gone or not waiting."""
    from app.programs.ranking import fill_ranking

    ranking = db.session.get(Ranking, key)
    if ranking is None:
        return "skipped"
    state = job_state(ranking)
    if not state.is_active:
        return "skipped"  # done (or given up): never computed twice
    attempts = state.attempts + 1
    _set(key, job_status=JobStatus.RUNNING, attempts=attempts, progress=1, job_error="")
    db.session.commit()
    program = db.session.get(Program, (key[0], ranking.program_id))
    assert program is not None  # a composite foreign key keeps the program

    def progress(percent: int) -> None:  # what is written so far and the progress, committed together
        _set(key, progress=max(1, min(99, int(percent))))
        db.session.commit()

    try:
        count = fill_ranking(ranking, program, progress)
        record("ranking.computed", "ranking", ranking.id, program=program.code, candidates=count,
               requested_by=str(ranking.created_by), attempt=attempts)
        _set(key, job_status=JobStatus.DONE, progress=100)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        if db.session.get(Ranking, key) is None:
            current_app.logger.warning("ranking job: ranking %s is gone; skipped", key)
            raise
        last = attempts >= MAX_ATTEMPTS
        _set(key, job_status=JobStatus.FAILED if last else JobStatus.QUEUED, progress=0,
             job_error=f"{type(exc).__name__}: {exc}"[:500])
        db.session.commit()
        raise
    return "done"


def _ranking_lost(args: tuple, abandoned: bool, retrying: bool) -> None:
    """A worker died while computing: queue again (the next run clears the entries it left) or give up."""
    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(args[1]))
        if tenant is None:
            return
        with tenant_context(tenant):
            key = (tenant.id, uuid.UUID(args[0]))
            ranking = db.session.get(Ranking, key)
            if ranking is None:
                return
            state = job_state(ranking)
            if not (state.status == JobStatus.RUNNING or (abandoned and state.is_active)):
                return
            log_lost(KIND, ranking.id, tenant.slug, retrying)
            _set(key, job_status=JobStatus.QUEUED if retrying else JobStatus.FAILED, progress=0, job_error=LOST)
            db.session.commit()


LOST_HANDLERS[f"{__name__}.run_ranking"] = _ranking_lost
