"""A report job whose worker died: RQ's abandoned-job handling notices it (the heartbeat of its
execution expired), the row is marked failed (or queued again while RQ retries are left), the
half-written `.part` file is removed, and "Coba lagi" works at once.

The dead worker is simulated the way RQ sees one: the job taken off the queue, an execution
in the StartedJobRegistry whose heartbeat expired, and nobody left to finish it.
"""
from __future__ import annotations

import pytest

from app.dashboard.models import ReportJob
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow
from tests.helpers.reports import SLUG, abandon_queued_job, client_for, drain, latest_job, request_report

pytestmark = [pytest.mark.skipif("not __import__('os').environ.get('REDIS_URL')",
                                 reason="needs a real Redis (REDIS_URL): an RQ worker to lose"),
              pytest.mark.usefixtures("report_settings")]


def kill_worker_during(app, report_dir, *, retries_left: int, attempts: int) -> ReportJob:
    """The report's worker died after writing half the file."""
    job = latest_job(app)
    abandon_queued_job(app, retries_left)
    with app.app_context(), tenant_context(db.session.get(Tenant, job.tenant_id)):
        row = db.session.get(ReportJob, (job.tenant_id, job.id))
        row.status, row.progress, row.attempts, row.updated_at = "running", 40, attempts, utcnow()
        db.session.commit()
    folder = report_dir / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f".{job.id}.abc123.part").write_bytes(b"%PDF-1.4 half")
    return job


def test_abandoned_last_attempt_is_failed_part_removed_and_retry_works_at_once(app, region_client, report_settings):
    client = client_for(region_client)
    request_report(client)
    job = kill_worker_during(app, report_settings, retries_left=0, attempts=3)
    page = client.get("/dashboard/reports").get_data(as_text=True)  # viewing the list sweeps
    failed = latest_job(app)
    assert (failed.id, failed.status) == (job.id, "failed") and "berhenti" in failed.error
    assert not list((report_settings / SLUG).glob("*.part"))
    assert "Coba lagi" in page and f"/dashboard/reports/{job.id}/retry" in page
    assert client.post(f"/dashboard/reports/{job.id}/retry").status_code == 302
    drain(app)
    assert latest_job(app).status == "done"


def test_abandoned_job_with_retries_left_is_queued_again_and_finishes(app, region_client, report_settings):
    client = client_for(region_client)
    request_report(client)
    job = kill_worker_during(app, report_settings, retries_left=2, attempts=1)
    from app.jobs.reports import sweep_abandoned

    with app.app_context():
        sweep_abandoned()  # what a (restarted) worker's maintenance does as well
    requeued = latest_job(app)
    assert (requeued.status, requeued.progress) == ("queued", 0)
    assert not list((report_settings / SLUG).glob("*.part"))
    drain(app)
    done = latest_job(app)
    assert (done.id, done.status, done.attempts) == (job.id, "done", 2)


def test_the_worker_sweeps_abandoned_jobs_often(app):
    from app.jobs.worker import make_worker

    with app.app_context():
        worker = make_worker()
    assert worker.maintenance_interval <= 120
