"""The auditor's comparison in a browser, as the issue's "done when" reads: compare all regions
for a quarter, sort, open one region's figures and its trend of SLA compliance, export the
comparison to Excel and find the same median as on the page. The table fits a 1280 px screen
in every view; on a phone nothing but the table scrolls sideways."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.reports import SLUG, build_known_data

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NAME = "Kota Uji Laporan"


@pytest.fixture()
def known(live_server):
    build_known_data(live_server.app)


def _table_fits(page) -> None:
    """The comparison table is not wider than its box (no column cut off at the right)."""
    widths = page.locator("#comparison .platform-scroll").evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1], f"table {widths[0]}px in a {widths[1]}px box"


def test_auditor_compares_a_quarter_drills_down_and_exports(live_server, new_page, known):
    page = new_page(**DESKTOP)
    login(page, live_server, None, "auditor@platform.demo")
    page.get_by_role("link", name="Perbandingan", exact=True).click()
    expect(page.get_by_role("heading", name="Perbandingan daerah", level=1)).to_be_visible()
    page.get_by_role("combobox", name=re.compile(r"^Periode")).select_option("quarter")
    page.get_by_role("combobox", name=re.compile(r"^Triwulan")).select_option("2025-Q1")
    expect(page.locator("#comparison")).to_contain_text("Triwulan I 2025")
    page.get_by_label("Cari daerah (nama atau kode)").fill("uji")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("#comparison tbody")).to_contain_text(NAME)
    page.get_by_role("link", name="Diterima", exact=True).click()  # sort: largest first
    expect(page.locator("#comparison th[aria-sort='descending']")).to_contain_text("Diterima")
    expect(page.locator("#comparison tbody tr").first).to_contain_text(NAME)
    _table_fits(page)
    save_screenshot(page, "platform-compare-1280")
    median = page.locator("#comparison tbody tr", has_text=NAME).locator("td").nth(4).inner_text()
    assert median == "39 jam"
    for view in ("Rujukan menurut tingkat dan hasil", "Waktu jawab rujukan menurut tingkat",
                 "Cakupan dan irisan program"):
        page.get_by_role("link", name=view).click()
        expect(page.locator("nav.tabs a[aria-current='page']")).to_have_text(view)
        _table_fits(page)
        save_screenshot(page, f"platform-compare-1280-{view.split()[0].lower()}")
    page.get_by_role("link", name="Ringkasan", exact=True).click()

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh Excel").click()
    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Daerah")
    ours = next(r for r in rows if r and r[0] == NAME)
    assert ours[header.index("Median sampai selesai (jam)")] == 38.6

    page.get_by_role("link", name=NAME, exact=True).click()
    expect(page.get_by_role("heading", name=f"Angka · {NAME}")).to_be_visible()
    expect(page.get_by_role("heading", name="Kepatuhan batas waktu (SLA) per tahap")).to_be_visible()
    expect(page.locator(".stat", has_text="Median waktu sampai selesai").locator(".stat-value")).to_have_text(median)
    expect(page.locator("svg.trend-chart[aria-label='Langkah tepat waktu (SLA)']")).to_be_visible()
    expect(page.locator(".sla-table tbody tr").first).to_be_visible()
    save_screenshot(page, "platform-region-figures-1280")

    page.goto(live_server.url(None, "/console/trends?period=year&year=2025"))
    expect(page.locator("svg.trend-chart")).to_have_count(7)
    save_screenshot(page, "platform-trends-1280")


@pytest.mark.parametrize("path, name", [("/console/compare?period=quarter&quarter=2025-Q1", "compare"),
                                        ("/console/trends?period=quarter&quarter=2025-Q1", "trends"),
                                        ("/console/?q=kota", "console")])
def test_console_pages_on_a_phone(live_server, new_page, known, path, name):
    page = new_page(**PHONE)
    login(page, live_server, None, "auditor@platform.demo")
    page.goto(live_server.url(None, path))
    width = page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(page, f"platform-phone-{name}-390")
    assert width <= 390, f"{path} is {width}px wide on a 390px phone"


def test_region_figures_on_a_phone(app, live_server, new_page, known):
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant

    with app.app_context():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == SLUG))
    page = new_page(**PHONE)
    login(page, live_server, None, "auditor@platform.demo")
    page.goto(live_server.url(None, f"/console/regions/{tenant_id}/figures?period=month&month=2025-02"))
    expect(page.get_by_role("heading", name="Kepatuhan batas waktu (SLA) per tahap")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(page, "platform-phone-region-figures-390")
    assert width <= 390


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_new_console_pages_pass_axe(app, live_server, new_page, known, scheme):
    from axe_playwright_python.sync_playwright import Axe
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant

    with app.app_context():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == SLUG))
    page = new_page(color_scheme=scheme)
    login(page, live_server, None, "auditor@platform.demo")
    axe, problems = Axe(), []
    for path in ("/console/compare?period=quarter&quarter=2025-Q1",
                 "/console/compare?view=referrals&sort=received&dir=desc",
                 "/console/compare?view=program&sort=prog_cov_PKH&dir=desc", "/console/trends?period=year&year=2025",
                 f"/console/regions/{tenant_id}/figures?period=month&month=2025-02", "/console/?q=kota"):
        assert page.goto(live_server.url(None, path)).ok
        page.wait_for_load_state("networkidle")
        problems += [f"{path} ({scheme}): {v['id']}: {v['help']} at {v['nodes'][0]['target']}"
                     for v in axe.run(page).response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not problems, "\n".join(problems)
