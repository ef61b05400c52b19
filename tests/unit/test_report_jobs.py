"""Report jobs: progress, retries, failure shown with "Coba lagi", no partial file, expiring
per-user links, and 404 for everyone else.

Without REDIS_URL the jobs run inline after the request commits; with it (CI) they go to
RQ on a real Redis and a burst worker runs them here, in this process.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.dashboard.models import ReportJob
from app.dashboard.reporting import download_token
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow
from tests.helpers.reports import (
    SLUG,
    client_for,
    download_link,
    drain,
    failing_writer,
    job_in_bekasi_manager,
    latest_job,
    request_report,
)

pytestmark = pytest.mark.usefixtures("report_settings")


def test_pdf_and_excel_are_built_and_downloaded_by_their_requester(app, region_client, report_settings):
    client = client_for(region_client)
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK")):
        request_report(client, fmt)
        drain(app)
        job = latest_job(app)
        assert (job.status, job.progress, job.attempts) == ("done", 100, 1)
        assert (report_settings / job.file_path).is_file() and job.file_path.startswith(f"{SLUG}/")
        link = download_link(client.get("/dashboard/reports").get_data(as_text=True))
        response = client.get(link)
        assert response.status_code == 200 and response.data.startswith(magic)
        assert f"laporan-bulanan-{SLUG}-2025-02.{fmt}" in response.headers["Content-Disposition"]
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_context(tenant):
            actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(job.id))))
    assert {"report.request", "report.download"} <= actions


def test_progress_is_committed_while_the_report_is_built(app, region_client, monkeypatch):
    from app.dashboard import reporting

    seen = []
    original = reporting.region_report_pdf

    def watching(*args, **kwargs):
        seen.append(latest_job(app))  # read in another session: only committed progress shows
        return original(*args, **kwargs)

    monkeypatch.setattr(reporting, "region_report_pdf", watching)
    request_report(client_for(region_client))
    drain(app)
    assert [(j.status, j.progress) for j in seen] == [("running", 20)]
    assert latest_job(app).status == "done"


def test_a_failed_attempt_is_retried(app, region_client, monkeypatch, report_settings):
    from app.dashboard import reporting

    write, calls = failing_writer(1)
    monkeypatch.setattr(reporting, "write_region_report", write)
    request_report(client_for(region_client))
    drain(app)
    job = latest_job(app)
    assert (job.status, job.attempts, calls["n"]) == ("done", 2, 2)
    assert [p.name for p in (report_settings / SLUG).iterdir()] == [f"{job.id}.pdf"]


def test_failure_is_shown_with_try_again_and_no_partial_file(app, region_client, monkeypatch, report_settings):
    from app.dashboard import reporting

    write, calls = failing_writer(None)
    monkeypatch.setattr(reporting, "write_region_report", write)
    client = client_for(region_client)
    request_report(client)
    drain(app)
    job = latest_job(app)
    assert (job.status, job.attempts, calls["n"]) == ("failed", 3, 3)
    assert "disk penuh" in job.error and job.file_path == ""
    assert not any((report_settings / SLUG).glob(f"*{job.id}*"))  # neither the file nor a .part
    page = client.get("/dashboard/reports").get_data(as_text=True)
    assert "Gagal" in page and "Coba lagi" in page and f"/dashboard/reports/{job.id}/retry" in page
    with app.app_context():
        token = download_token(job, job.requested_by)
    assert client.get(f"/dashboard/reports/{job.id}/download?token={token}").status_code == 404
    calls["times"] = 0  # the disk has room again
    assert client.post(f"/dashboard/reports/{job.id}/retry").status_code == 302
    drain(app)
    assert latest_job(app).status == "done"
    assert client.post(f"/dashboard/reports/{job.id}/retry").status_code == 409  # only failed jobs


def test_status_row_polls_while_running_and_stops_when_done(app, region_client):
    client = client_for(region_client)
    request_report(client)
    drain(app)
    job = latest_job(app)
    hx = {"HX-Request": "true"}
    done = client.get(f"/dashboard/reports/{job.id}", headers=hx).get_data(as_text=True)
    assert "Unduh PDF" in done and "every 2s" not in done
    with app.app_context():
        tenant = db.session.get(Tenant, job.tenant_id)
        with tenant_context(tenant):
            row = db.session.get(ReportJob, (job.tenant_id, job.id))
            row.status, row.progress = "running", 45
            db.session.commit()
    running = client.get(f"/dashboard/reports/{job.id}", headers=hx).get_data(as_text=True)
    assert "every 2s" in running and "45%" in running and "Unduh" not in running
    with app.app_context(), tenant_context(db.session.get(Tenant, job.tenant_id)):
        row = db.session.get(ReportJob, (job.tenant_id, job.id))
        row.updated_at = utcnow() - timedelta(hours=2)  # the worker died
        db.session.commit()
    stalled = client.get(f"/dashboard/reports/{job.id}", headers=hx).get_data(as_text=True)
    assert "Coba lagi" in stalled and "every 2s" not in stalled


def test_links_expire_and_belong_to_one_user(app, region_client, monkeypatch):
    client = client_for(region_client)
    request_report(client)
    drain(app)
    link = download_link(client.get("/dashboard/reports").get_data(as_text=True))
    assert client.get(link).status_code == 200
    colleague = client_for(region_client, "unit_head")
    assert colleague.get(link).status_code == 404
    assert client.get(link[:-3] + "xyz").status_code == 404  # tampered token
    from itsdangerous.timed import TimestampSigner

    later = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later(self) + 2 * 3600)
    expired = client.get(link)
    assert expired.status_code == 410 and "kedaluwarsa" in expired.get_data(as_text=True)


def test_another_regions_user_gets_404_on_the_link(app, region_client):
    client = client_for(region_client)
    request_report(client)
    drain(app)
    job = latest_job(app)
    link = download_link(client.get("/dashboard/reports").get_data(as_text=True))
    intruder = client_for(region_client, "manager", "bekasi")
    assert intruder.get(link).status_code == 404
    assert intruder.get(f"/dashboard/reports/{job.id}", headers={"HX-Request": "true"}).status_code == 404
    assert intruder.post(f"/dashboard/reports/{job.id}/retry").status_code == 404


def test_bad_requests_are_refused_with_the_reason(region_client):
    client = client_for(region_client)
    page = client.post("/dashboard/reports", data={"kind": "monthly", "month": "2025-13", "format": "pdf"})
    assert page.status_code == 422 and "Pilih bulan" in page.get_data(as_text=True)
    future = client.post("/dashboard/reports", data={"kind": "yearly", "year": "2099", "format": "pdf"})
    assert future.status_code == 422 and "belum dimulai" in future.get_data(as_text=True)


@pytest.mark.skipif("not __import__('os').environ.get('REDIS_URL')", reason="needs a real Redis (REDIS_URL)")
def test_with_redis_the_job_waits_in_the_queue_until_a_worker_takes_it(app, region_client):
    client = client_for(region_client)
    request_report(client)
    queued = latest_job(app)
    assert queued.status == "queued" and queued.attempts == 0
    assert "Menunggu giliran" in client.get("/dashboard/reports").get_data(as_text=True)
    drain(app)
    assert latest_job(app).status == "done"


#: The builder runs inside the owner region's context (see test_cross_tenant_routes).
CROSS_TENANT = {
    "dashboard.report_status": ("GET", lambda: {"job_id": job_in_bekasi_manager()["job_id"]}),
    "dashboard.report_retry": ("POST", lambda: {"job_id": job_in_bekasi_manager()["job_id"]}),
    "dashboard.report_download": ("GET", job_in_bekasi_manager),
}
