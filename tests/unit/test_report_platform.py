"""Reports on the platform: auditors get any region's report or the national summary
(one row per region), through the same job, progress and download mechanism."""
from __future__ import annotations

import io
import re
import subprocess
import uuid

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.dashboard.models import PlatformReportJob
from app.dashboard.reporting import download_token
from app.extensions import db
from app.tenancy.models import Tenant
from tests.helpers.reports import SLUG, build_known_data, drain


@pytest.fixture(autouse=True)
def report_settings(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REPORT_RETRY_INTERVALS", [0, 0])
    build_known_data(app)
    return tmp_path / "reports"


def platform_user(region_client, email="auditor@platform.demo"):
    client = region_client(None)
    client.login(email)
    return client


def ask(client, scope="national", fmt="pdf", period="2025-02"):
    data = {"scope": scope, "kind": "monthly" if len(period) == 7 else "yearly", "format": fmt,
            "month" if len(period) == 7 else "year": period}
    response = client.post("/console/reports/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]


def link_on(page: str) -> str:
    match = re.search(r'href="(/console/reports/[0-9a-f-]+/download\?token=[^"]+)"', page)
    assert match, "no download link"
    return match.group(1).replace("&amp;", "&")


def test_auditor_downloads_the_national_summary_one_row_per_region(app, region_client):
    client = platform_user(region_client)
    ask(client, fmt="xlsx")
    drain(app)
    response = client.get(link_on(client.get("/console/reports/").get_data(as_text=True)))
    assert response.status_code == 200 and "ringkasan-nasional-nasional-2025-02.xlsx" in response.headers[
        "Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and len(r) > 5}
    with app.app_context():
        regions = db.session.scalars(select(Tenant)).all()
        assert {t.name for t in regions} <= set(rows)
        ours = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
    # received, closed, overdue now, referrals, pre-list: the known data set's February
    assert rows[ours.name][2:7:] [:2] == (5, 3) and rows[ours.name][5:7] == (4, 3)
    assert rows["Nasional"][2] == sum(r[2] for name, r in rows.items() if name not in ("Nasional", "Daerah"))


def test_national_summary_pdf_lists_every_region(app, region_client):
    client = platform_user(region_client, "admin@platform.demo")
    ask(client, fmt="pdf")
    drain(app)
    data = client.get(link_on(client.get("/console/reports/").get_data(as_text=True))).data
    text = " ".join(subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Ringkasan Nasional SLRT Februari 2025" in text
    for name in ("Kota Bekasi", "Kabupaten Cianjur", "Kota Palembang", "Kota Uji Laporan"):
        assert name in text


def test_auditor_gets_a_regions_report(app, region_client, report_settings):
    client = platform_user(region_client)
    with app.app_context():
        region = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
    ask(client, scope=str(region.id), fmt="pdf")
    drain(app)
    page = client.get("/console/reports/").get_data(as_text=True)
    assert "Kota Uji Laporan" in page
    response = client.get(link_on(page))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert f"laporan-bulanan-{SLUG}-2025-02.pdf" in response.headers["Content-Disposition"]
    assert any((report_settings / SLUG).glob("*.pdf"))


def test_links_are_per_platform_user_and_closed_to_regions(app, region_client, staff):
    auditor = platform_user(region_client)
    ask(auditor)
    drain(app)
    link = link_on(auditor.get("/console/reports/").get_data(as_text=True))
    admin = platform_user(region_client, "admin@platform.demo")
    assert admin.get(link).status_code == 404
    manager = staff("manager", "bekasi")
    assert manager.get(link).status_code == 404 and manager.get("/console/reports/").status_code == 404


def test_auditor_views_requests_and_downloads_are_recorded(app, region_client):
    audit = pytest.importorskip("app.platform.models")
    client = platform_user(region_client)
    ask(client)
    drain(app)
    client.get(link_on(client.get("/console/reports/").get_data(as_text=True)))
    with app.app_context():
        actions = set(db.session.scalars(select(audit.PlatformAuditEvent.action)))
    assert {"auditor.view", "report.request", "auditor.download"} <= actions


def _auditors_finished_job():
    """A finished national summary of the demo auditor (for the cross-region route tests)."""
    import tempfile

    from flask import current_app

    from app.accounts.models import User
    from app.jobs.reports import reports_dir

    current_app.config.setdefault("REPORTS_DIR", tempfile.mkdtemp(prefix="slrt-reports-"))
    auditor = db.session.scalar(select(User).where(User.email == "auditor@platform.demo"))
    job = PlatformReportJob(kind="national", period="2025-01", format="pdf", requested_by=auditor.id,
                            status="done", progress=100)
    db.session.add(job)
    db.session.flush()
    folder = reports_dir() / "_nasional"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{job.id}.pdf").write_bytes(b"%PDF-1.4 uji")
    job.file_path = f"_nasional/{job.id}.pdf"
    return {"job_id": job.id, "token": download_token(job, auditor.id)}


CROSS_TENANT = {
    "platform_reports.status": ("GET", lambda: {"job_id": _auditors_finished_job()["job_id"]}),
    "platform_reports.download": ("GET", _auditors_finished_job),
}
#: Apex routes: region staff get 404 everywhere; the auditor reads them.
PLATFORM_ROUTES = set(CROSS_TENANT)
