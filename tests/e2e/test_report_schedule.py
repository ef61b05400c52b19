"""A manager schedules the monthly report and finds it built at the start of the month, in a browser.

The manager ticks the monthly PDF on the report settings page and chooses the head of the Dinas
as the signer; the dispatcher runs as on the first of next month (what RQ's cron or
`flask reports run-scheduled` does); the report waits in the list marked "Dijadwalkan" and
downloads as a PDF whose signature block names the official. On a phone the settings page fits.
"""
from __future__ import annotations

import subprocess
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.report_office import office_region
from tests.helpers.rq_worker import report_worker

NIP = "196805121994031007"


@pytest.fixture()
def region(live_server, tmp_path, monkeypatch):
    app = live_server.app
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-e2e-{uuid.uuid4().hex[:8]}")
    data = office_region(app)
    yield data
    from app.extensions import db
    from app.reports.models import ReportSchedule, ReportSettings
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    with app.app_context(), tenant_context(db.session.get(Tenant, data["tenant_id"])):
        for row in [*db.session.scalars(select(ReportSchedule)), *db.session.scalars(select(ReportSettings))]:
            db.session.delete(row)
        db.session.commit()


def test_manager_schedules_the_monthly_report_and_finds_it_built(live_server, new_page, region):
    from app.dashboard.periods import Period, today
    from app.reports.scheduled import dispatch_all

    slug = region["slug"]
    page = new_page()
    login(page, live_server, slug, f"manager@{slug}.demo")
    page.goto(live_server.url(slug, "/dashboard/reports"))
    page.get_by_role("link", name="Atur jadwal dan penanda tangan").click()
    expect(page.get_by_role("heading", name="Pengaturan laporan", level=1)).to_be_visible()
    page.get_by_label("Laporan bulanan (PDF) untuk bulan yang baru berakhir").check()
    page.get_by_role("button", name="Simpan jadwal").click()
    expect(page.locator(".flash")).to_contain_text("Jadwal laporan disimpan")
    page.get_by_label("Penanda tangan", exact=True).select_option("official")
    page.get_by_label("Nama pejabat (bila pejabat lain)").fill("Dra. Sri Wahyuni, M.Si.")
    page.get_by_label("NIP (bila pejabat lain)").fill(NIP)
    page.get_by_label("Jabatan yang dicetak").fill("Kepala Dinas Sosial Kota Uji Kantor")
    page.get_by_role("button", name="Simpan penanda tangan").click()
    expect(page.locator(".signer-preview")).to_contain_text(f"NIP. {NIP}")
    save_screenshot(page, "report-settings-1280")

    with live_server.app.test_request_context():
        first_of_next_month = (today().replace(day=28) + timedelta(days=4)).replace(day=1)
        assert dispatch_all(first_of_next_month) >= 1  # what the worker's cron does on the 1st
        this_month = Period.month(today().year, today().month).label()  # the month just ended by then
    with report_worker(live_server.app):  # with Redis the builds wait in RQ for a worker
        page.goto(live_server.url(slug, "/dashboard/reports"))
        row = page.locator(".job-list .job", has_text="Dijadwalkan").first
        expect(row).to_contain_text(this_month)
        link = row.get_by_role("button", name="Unduh PDF")
        expect(link).to_be_visible(timeout=30_000)
    save_screenshot(page, "reports-scheduled-1280")
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as handle:
        data = handle.read()
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
                    .stdout.decode().split())
    assert "Dra. Sri Wahyuni, M.Si." in text and f"NIP. {NIP}" in text and "Terjadwal" in text


def test_report_settings_on_a_phone(live_server, new_page, region):
    slug = region["slug"]
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, live_server, slug, f"manager@{slug}.demo")
    page.goto(live_server.url(slug, "/dashboard/reports/settings"))
    expect(page.get_by_role("heading", name="Pengaturan laporan", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    save_screenshot(page, "report-settings-390")
    page.goto(live_server.url(slug, "/dashboard/reports"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(page, "reports-390")
