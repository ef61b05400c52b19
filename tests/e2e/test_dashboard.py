"""The dashboard and its reports as people use them in a browser.

A Palembang manager opens the dashboard, narrows it to one district, asks for this month's
report as PDF, watches it being made and downloads it; an auditor downloads the national
summary from the platform console. With REDIS_URL the reports go through RQ and a worker
thread here builds them (slowed a little, so the progress is there to be seen).
"""
from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.rq_worker import report_worker

SLUG = "palembang"


@pytest.fixture(scope="module")
def month_of_casework(app):
    """Some thirty cases this month in Palembang, walked a random way, through the real operations;
    and sixty households of its register extract, most of them receiving programs."""
    from app.casework.models import Case
    from app.dashboard.sample import CaseworkSampler, Clock
    from app.dashboard.sample_households import sample_households
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"]))
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_context(tenant):
            rng = random.Random(2026)
            sampler = CaseworkSampler(rng, register_share=0.5, district_limit=4)
            span = max(0.05, (now - start).total_seconds() / 3600 - 0.5)  # hours since the local month began
            for _ in range(30):
                clock = Clock(start + timedelta(hours=rng.uniform(0, span)))
                case = sampler.open(clock)
                if case is not None:
                    sampler.walk(case, clock, until=now - timedelta(minutes=1))
            # The register's flags only: no catalogue entries or participation records other tests would meet.
            sample_households(rng, 60, receive_share=0.8, district_limit=4, fill_levels=False, recorded_share=0)
            db.session.commit()
            busiest = db.session.scalar(select(Case.district_code).where(Case.created_at >= start)
                                        .group_by(Case.district_code).order_by(func.count().desc()).limit(1))
    return {"district": busiest}


def this_month(live_server) -> str:
    """`2026-11`: the current month where the regions are."""
    zone = ZoneInfo(live_server.app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.now(zone).strftime("%Y-%m")


@pytest.fixture()
def reports_setup(live_server, tmp_path, monkeypatch):
    """Files under a temporary folder, our own queue, and a build slow enough to watch."""
    from app.dashboard import reporting

    app = live_server.app
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-e2e-{uuid.uuid4().hex[:8]}")
    if app.config.get("REDIS_URL"):
        for name in ("write_region_report", "write_national_report"):
            original = getattr(reporting, name)

            def slowed(*args, _original=original):
                args[-1](15)  # progress: the page shows the bar moving
                time.sleep(2.5)
                return _original(*args)

            monkeypatch.setattr(reporting, name, slowed)
    with report_worker(app):
        yield app


def test_manager_filters_the_dashboard_and_downloads_the_monthly_pdf(live_server, new_page, month_of_casework,
                                                                     reports_setup):
    page = new_page()
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")
    page.get_by_role("link", name="Dasbor", exact=True).click()
    expect(page.get_by_role("heading", name="Dasbor", level=1)).to_be_visible()
    for part in ("a. Ringkasan usulan penambahan data penerima manfaat", "b. Akses program pusat dan daerah",
                 "c. Komplementaritas dan irisan program", "d. Informasi dan analisis kesenjangan layanan sosial",
                 "Rujukan ke program"):
        expect(page.get_by_role("heading", name=part, level=2)).to_be_visible()
    # Parts b and c count what households receive (the register's flags, approved participation).
    receiving = page.locator(".stat", has_text="Rumah tangga penerima program").locator(".stat-value")
    assert int(receiving.inner_text().replace(".", "").replace(",", "")) >= 35
    # The parts load as they come into view (the first response is the headline only).
    page.locator("#overlap").scroll_into_view_if_needed()
    expect(page.locator("#fig-overlap_matrix table")).to_be_visible()
    page.locator("#access").scroll_into_view_if_needed()
    expect(page.locator("#fig-access_levels svg")).to_be_visible()
    received = page.locator(".stat", has_text="Pengaduan diterima").locator(".stat-value")
    expect(received).not_to_have_text("0")
    total = int(received.inner_text().replace(".", ""))
    save_screenshot(page, "dashboard-manager-1280")

    # One district: the board is swapped in place (htmx) and the address remembers the filter.
    code = month_of_casework["district"]
    district = page.get_by_role("combobox", name="Kecamatan")
    name = district.locator(f"option[value='{code}']").inner_text()
    district.select_option(code)
    expect(page.locator(".period-label")).to_contain_text(f"Kecamatan {name}")
    page.wait_for_url(lambda url: f"district={code}" in url)
    assert 0 < int(received.inner_text().replace(".", "")) <= total
    page.locator("#casework").scroll_into_view_if_needed()
    figure = page.locator("#fig-by_area")
    expect(figure).to_be_visible()
    if figure.locator("details").count():
        figure.get_by_text("Lihat tabel").click()
        expect(figure.locator("table")).to_be_visible()
    save_screenshot(page, "dashboard-manager-district-1280")

    page.get_by_role("button", name="Laporan bulanan dan tahunan (PDF/Excel)").click()
    expect(page.get_by_role("heading", name="Laporan kegiatan", level=1)).to_be_visible()
    page.get_by_label("Laporan kegiatan bulanan", exact=False).check()
    page.locator("input[name=month]").fill(this_month(live_server))
    page.get_by_label("PDF", exact=True).check()
    page.get_by_role("button", name="Buat laporan").click()
    row = page.locator(".job-list .job").first
    if reports_setup.config.get("REDIS_URL"):  # the row shows the job waiting or being built first
        expect(row.locator(".job-state")).to_contain_text("…")
        save_screenshot(page, "reports-progress-1280")
    download_link = row.get_by_role("button", name="Unduh PDF")
    expect(download_link).to_be_visible(timeout=30_000)
    save_screenshot(page, "reports-ready-1280")
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith(f"laporan-bulanan-{SLUG}-")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_dashboard_on_a_phone(live_server, new_page, month_of_casework):
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")
    page.goto(live_server.url(SLUG, "/dashboard/"))
    expect(page.get_by_role("heading", name="Dasbor", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    save_screenshot(page, "dashboard-manager-390")


def test_auditor_downloads_the_national_summary(live_server, new_page, reports_setup):
    page = new_page()
    login(page, live_server, None, "auditor@platform.demo")
    page.get_by_role("link", name="Laporan", exact=True).click()
    expect(page.get_by_role("heading", name="Laporan lintas daerah")).to_be_visible()
    page.get_by_label("Cakupan").select_option("national")
    page.locator("input[name=month]").fill(this_month(live_server))
    page.get_by_label("Excel", exact=True).check()
    page.get_by_role("button", name="Buat laporan").click()
    link = page.locator(".job-list .job").first.get_by_role("button", name="Unduh Excel")
    expect(link).to_be_visible(timeout=30_000)
    save_screenshot(page, "platform-reports-1280")
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.startswith("ringkasan-nasional-")
    with open(info.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"
