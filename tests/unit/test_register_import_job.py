"""The register import as a background job: the upload is checked and saved, a job stages it under a
pending import with progress that moves, a refused file removes what it wrote, a run that dies is
rolled back and run again without doubling rows, and a finished job is never staged twice. Without
REDIS_URL the job runs inline; with it a burst worker runs it here.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.citizens.import_jobs import RegisterImportJob
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.extensions import db
from tests.helpers.regions import in_region
from tests.helpers.register import FIXTURES, batubara_csv, jobs, pending_id, upload
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


def counts(app) -> dict:
    """Rows per import status in the region (members), and how many imports there are."""
    def load():
        rows = db.session.execute(select(RegisterImport.status, func.count(RegisterEntry.id))
                                  .outerjoin(RegisterEntry, RegisterEntry.import_id == RegisterImport.id)
                                  .group_by(RegisterImport.status)).all()
        return {status: n for status, n in rows if n} | {
            "imports": db.session.scalar(select(func.count()).select_from(RegisterImport))}
    return in_region(app, SLUG, load)


def pending_rows(app) -> int:
    return in_region(app, SLUG, lambda: db.session.scalar(
        select(func.count()).select_from(RegisterEntry)
        .join(RegisterImport, RegisterImport.id == RegisterEntry.import_id).where(RegisterImport.status == "pending")))


def test_upload_is_staged_by_a_job_whose_progress_moves(app, staff, import_settings, monkeypatch):
    from app.citizens import extract_stage

    seen = []
    original = extract_stage.Stager._flush

    def watching(self, sheet):
        original(self, sheet)
        if self.import_id is None:
            return  # the upload's own check writes nothing
        seen.append(jobs(app)[0].progress)  # read in another session: only committed progress shows
        assert list((import_settings / SLUG).glob("*.upload"))  # the saved upload is what is read

    monkeypatch.setattr(extract_stage, "CHUNK", 25)
    monkeypatch.setattr(extract_stage.Stager, "_flush", watching)
    client = staff("manager", SLUG)
    response = upload(client, batubara_csv(app, 120, "61"), "ekstrak.csv", run=False)
    assert response.status_code == 302
    drain(app)
    assert len(seen) >= 4 and seen == sorted(seen) and seen[0] < seen[-1] < 100
    job = jobs(app)[0]
    assert (job.status, job.progress, job.row_count, job.attempts) == ("done", 100, 120, 1)
    assert pending_rows(app) == 120
    assert not any((import_settings / SLUG).iterdir())  # the upload is removed once staged
    page = client.get("/register/").get_data(as_text=True)
    assert "120 baris diperiksa" in page and "ekstrak.csv" in page and "Pratinjau siap" in page
    households = in_region(app, SLUG, lambda: db.session.scalar(
        select(func.count()).select_from(RegisterHousehold).where(RegisterHousehold.import_id == job.import_id)))
    assert households == 30


def test_a_bad_row_past_the_upload_check_fails_the_job_and_removes_what_it_wrote(app, staff, monkeypatch):
    from app.citizens import dtks_import, extract_stage

    monkeypatch.setattr(dtks_import, "PREFLIGHT_ROWS", 5)
    monkeypatch.setattr(extract_stage, "CHUNK", 10)
    client = staff("manager", SLUG)
    before = counts(app)
    content = batubara_csv(app, 40, "66") + b"123,1219018800000099,Rusak,,\n"
    assert upload(client, content, "rusak-di-akhir.csv").status_code == 302
    job = jobs(app)[0]
    assert job.status == "failed" and job.problems == ["baris 42: nik: NIK harus 16 angka (tertulis 3 karakter: "
                                                       "\u201c123\u201d)"]
    after = counts(app)  # the register in use is as it was; an earlier preview was set aside by the upload
    assert (after.get("current"), after["imports"], pending_rows(app)) == (before.get("current"), before["imports"], 0)
    page = client.get("/register/").get_data(as_text=True)
    assert "baris 42: nik" in page and "Berkas ini tidak diimpor" in page


def test_a_run_that_dies_is_rolled_back_and_rerun_without_doubling(app, staff, monkeypatch):
    from app.citizens import extract_stage

    client = staff("manager", SLUG)
    monkeypatch.setattr(extract_stage, "CHUNK", 10)
    calls = {"n": 0}
    original = extract_stage.Stager._flush

    def dying(self, sheet):  # the third chunk dies the first time: two are committed already
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("pekerja mati (uji)")
        return original(self, sheet)

    monkeypatch.setattr(extract_stage.Stager, "_flush", dying)
    assert upload(client, batubara_csv(app, 50, "63"), "kedua.csv").status_code == 302
    drain(app)
    job = jobs(app)[0]
    assert (job.filename, job.status, job.attempts) == ("kedua.csv", "done", 2)
    assert pending_rows(app) == 50
    staged = counts(app)
    from app.jobs.register_import import run_register_import

    with app.app_context():
        run_register_import(str(job.id), str(job.tenant_id))  # a duplicate delivery after the crash
    assert counts(app) == staged and pending_rows(app) == 50


def test_a_new_upload_replaces_an_unconfirmed_preview(app, staff):
    client = staff("manager", SLUG)
    assert upload(client, batubara_csv(app, 8, "67"), "pertama.csv").status_code == 302
    first = pending_id(client)
    assert upload(client, batubara_csv(app, 6, "68"), "kedua.csv").status_code == 302
    second = pending_id(client)
    assert first and second and first != second and pending_rows(app) == 6
    status = in_region(app, SLUG, lambda: db.session.scalar(
        select(RegisterImport.status).where(RegisterImport.id == uuid.UUID(first))))
    assert status == "discarded"


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
        assert "every 2s" in page and "Sedang diperiksa… 40%" in page
    finally:
        in_region(app, SLUG, lambda: db.session.execute(
            RegisterImportJob.__table__.delete().where(RegisterImportJob.filename == "lain.csv")))


@pytest.mark.skipif("not __import__('os').environ.get('REDIS_URL')", reason="needs a real Redis (REDIS_URL)")
def test_an_import_whose_worker_died_is_queued_again_and_finishes_once(app, staff, import_settings):
    from tests.helpers.reports import abandon_queued_job

    client = staff("manager", SLUG)
    assert upload(client, batubara_csv(app, 40, "65"), "ketiga.csv", run=False).status_code == 302
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
    assert pending_rows(app) == 40
    assert not any((import_settings / SLUG).iterdir())


def test_a_confirmed_extract_is_counted_on_the_dashboard(app, staff):
    """Confirming replaces the program flags wholesale: the program receipt rollups follow it."""
    from app.citizens.register import current_import_id
    from app.dashboard.program_rollups import read_rollups
    from app.tenancy.context import current_tenant_id
    from tests.helpers.register import upload_and_confirm

    upload_and_confirm(staff("manager", SLUG), batubara_csv(app, 12, "71"))

    def registered_households():
        current = current_import_id()
        total = db.session.scalar(select(func.count()).select_from(RegisterHousehold)
                                  .where(RegisterHousehold.import_id == current))
        counted = sum(n for household, n in read_rollups(db.session, current_tenant_id()).items()
                      if household.in_register)
        return total, counted
    total, counted = in_region(app, SLUG, registered_households)
    assert total == 3 and counted == total  # four people per household in the file
