"""The register import as a background job: the upload is checked and saved, a job imports it with
progress, a run that dies is rolled back and run again without doubling rows, and a finished job is
never imported twice. Without REDIS_URL the job runs inline; with it a burst worker runs it here.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.citizens.import_jobs import RegisterImportJob
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from tests.helpers.regions import in_region
from tests.helpers.register import FIXTURES, batubara_csv, jobs, upload
from tests.helpers.register import IMPORT_SLUG as SLUG
from tests.helpers.reports import drain

pytestmark = pytest.mark.usefixtures("import_settings")


def _import_job_in_owner_region():
    from app.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == "manager@bekasi.demo"))
    job = RegisterImportJob(filename="bekasi.csv", status="done", requested_by=user.id)
    db.session.add(job)
    db.session.flush()
    return {"job_id": job.id}


CROSS_TENANT = {"register.import_status": ("GET", _import_job_in_owner_region)}


def counts(app) -> tuple[int, int]:
    return in_region(app, SLUG, lambda: (db.session.scalar(select(func.count()).select_from(RegisterEntry)),
                                         db.session.scalar(select(func.count()).select_from(RegisterImport))))


def test_upload_is_saved_then_imported_by_a_job_with_progress(app, staff, import_settings, monkeypatch):
    from app.citizens import dtks_import

    seen = []
    original = dtks_import.import_register

    def watching(*args, **kwargs):
        seen.append(jobs(app)[0])  # read in another session: only committed progress shows
        assert list((import_settings / SLUG).glob("*.csv"))  # the saved upload is what is imported
        return original(*args, **kwargs)

    monkeypatch.setattr("app.jobs.register_import.import_register", watching)
    client = staff("manager", SLUG)
    response = upload(client, batubara_csv(app, 120, "61"), "ekstrak.csv", run=False)
    assert response.status_code == 302
    drain(app)
    assert [(j.status, j.progress) for j in seen] == [("running", 40)]
    job = jobs(app)[0]
    assert (job.status, job.progress, job.row_count, job.attempts) == ("done", 100, 120, 1)
    assert counts(app)[0] == 120
    assert not any((import_settings / SLUG).iterdir())  # the upload is removed once imported
    page = client.get("/register/").get_data(as_text=True)
    assert "120 baris diimpor" in page and "ekstrak.csv" in page


def test_a_run_that_dies_is_rolled_back_and_rerun_without_doubling(app, staff, monkeypatch):
    from app.citizens import dtks_import

    client = staff("manager", SLUG)
    assert upload(client, batubara_csv(app, 30, "62")).status_code == 302
    drain(app)
    entries_before, batches_before = counts(app)
    calls = {"n": 0}
    original_record = dtks_import.record

    def dying_record(*args, **kwargs):  # after every row was inserted, before the commit
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("pekerja mati (uji)")
        return original_record(*args, **kwargs)

    monkeypatch.setattr(dtks_import, "record", dying_record)
    assert upload(client, batubara_csv(app, 50, "63"), "kedua.csv").status_code == 302
    drain(app)
    job = jobs(app)[0]
    assert (job.filename, job.status, job.attempts, calls["n"]) == ("kedua.csv", "done", 2, 2)
    assert counts(app) == (50, batches_before + 1) and entries_before == 30
    from app.jobs.register_import import run_register_import

    with app.app_context():
        run_register_import(str(job.id), str(job.tenant_id))  # a duplicate delivery after the crash
    assert counts(app) == (50, batches_before + 1)


def test_broken_file_is_refused_at_the_field_and_nothing_is_saved(app, staff, import_settings):
    client = staff("manager", SLUG)
    before = len(jobs(app))
    response = upload(client, (FIXTURES / "register_bad_header.csv").read_bytes(), "rusak.csv")
    assert response.status_code == 422 and 'id="file-problems"' in response.get_data(as_text=True)
    assert len(jobs(app)) == before
    assert not (import_settings / SLUG).exists() or not any((import_settings / SLUG).iterdir())


def test_a_second_upload_waits_for_the_running_import(app, staff):
    client = staff("manager", SLUG)

    def running_job():
        from app.accounts.models import User

        user = db.session.scalar(select(User).where(User.email == f"manager@{SLUG}.demo"))
        db.session.add(RegisterImportJob(filename="lain.csv", status="running", progress=40, requested_by=user.id))
    in_region(app, SLUG, running_job)
    try:
        response = upload(client, batubara_csv(app, 3, "64"))
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "Impor lain sedang berjalan" in page
        assert "every 2s" in page and "Sedang diimpor… 40%" in page
    finally:
        in_region(app, SLUG, lambda: db.session.execute(
            RegisterImportJob.__table__.delete().where(RegisterImportJob.filename == "lain.csv")))


@pytest.mark.skipif("not __import__('os').environ.get('REDIS_URL')", reason="needs a real Redis (REDIS_URL)")
def test_an_import_whose_worker_died_is_queued_again_and_finishes_once(app, staff, import_settings):
    from tests.helpers.reports import abandon_queued_job

    client = staff("manager", SLUG)
    assert upload(client, batubara_csv(app, 40, "65"), "ketiga.csv", run=False).status_code == 302
    _entries, batches_before = counts(app)
    abandon_queued_job(app, retries_left=2)

    def mark_running():  # the dead worker had started (its transaction died with it)
        job = db.session.scalar(select(RegisterImportJob).order_by(RegisterImportJob.created_at.desc()))
        job.status, job.attempts, job.progress = "running", 1, 40
    in_region(app, SLUG, mark_running)
    page = client.get("/register/").get_data(as_text=True)  # viewing the page sweeps
    assert "Menunggu giliran" in page and "(percobaan ke-2)" in page
    assert jobs(app)[0].status == "queued"
    drain(app)  # the restarted worker
    job = jobs(app)[0]
    assert (job.filename, job.status, job.attempts) == ("ketiga.csv", "done", 2)
    assert counts(app) == (40, batches_before + 1)
    assert not any((import_settings / SLUG).iterdir())
