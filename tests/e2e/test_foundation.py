"""The multi-tenant foundation as people use it in a browser.

Each test is one thing a person does: find their region from the platform home, log in at
their region's address, see their post in the region's own words, read the org chart,
log out. Assertions are on what is visible, found by role or label where possible.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import DEMO_PASSWORD, REGIONS
from tests.e2e.conftest import email_field, login, password_field, save_screenshot, submit_login


@pytest.fixture(scope="session")
def regions(app) -> dict[str, str]:
    """slug → region name of the five seeded regions, as stored (not the regions other tests made,
    which may be anywhere in their lifecycle, depending on what ran before on this worker)."""
    from app.extensions import db
    from app.tenancy.models import Tenant

    with app.app_context():
        return {t.slug: t.name for t in db.session.scalars(select(Tenant).where(Tenant.slug.in_(REGIONS)))}


def demo_work_area(app, slug: str, email: str):
    """(village name, district name, regency code of the district) of a demo membership."""
    from app.accounts.models import Membership, User
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_context(tenant):
            membership = db.session.scalar(
                select(Membership).join(User, Membership.user_id == User.id).where(User.email == email)
            )
            (area,) = membership.areas
            return area.village.name, area.district.name, area.district.regency_code, tenant.region_code


def field_error(page, field_id: str):
    """The error message at the field with this id (the one its aria-describedby names)."""
    return page.locator(f"#{field_id}-error")


def test_platform_home_lists_regions_and_leads_to_payakumbuh(page, live_server, regions):
    page.goto(live_server.url())
    expect(page.get_by_role("heading", name="Daerah yang sudah melayani")).to_be_visible()
    # The five demo regions at least (other tests onboard fresh regions of their own).
    assert set(REGIONS) <= set(regions)
    for slug, name in ((slug, regions[slug]) for slug in REGIONS):
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_have_attribute("href", live_server.url(slug))
    save_screenshot(page, "page-platform-home")

    page.get_by_role("link", name="Kota Payakumbuh", exact=True).click()
    page.wait_for_url(live_server.url("payakumbuh"))
    expect(page.get_by_role("heading", name="UPT-PSPK", level=1)).to_be_visible()
    expect(page.locator("main dl.facts")).to_contain_text("Peraturan Walikota Payakumbuh Nomor 22 Tahun 2017")
    expect(page.get_by_role("heading", name="Masuk petugas")).to_be_visible()
    save_screenshot(page, "page-region-front-payakumbuh")


def test_home_shows_the_local_title(new_page, live_server):
    head = new_page()
    login(head, live_server, "payakumbuh", "unit_head@payakumbuh.demo")
    assert head.url == live_server.url("payakumbuh", "/home")
    expect(head.locator(".position-title")).to_have_text("Kepala UPT")
    expect(head.get_by_role("heading", level=1)).to_contain_text("Selamat datang")

    manager = new_page()  # a separate browser context: its own cookies
    login(manager, live_server, "cianjur", "manager@cianjur.demo")
    expect(manager.locator(".position-title")).to_have_text("Kepala Sekretariat (Manajer) SLRT Kabupaten")
    expect(manager.get_by_text("Kabupaten Cianjur").first).to_be_visible()
    save_screenshot(manager, "page-dashboard-cianjur-manager")


def test_facilitator_sees_a_real_village_of_their_region(page, live_server, app):
    email = "facilitator@cianjur.demo"
    village, district, regency_code, region_code = demo_work_area(app, "cianjur", email)
    assert regency_code == region_code, "the demo village must lie in Kabupaten Cianjur"

    login(page, live_server, "cianjur", email)
    area = page.locator(".work-area")
    expect(area).to_have_text(f"{village}, Kec. {district}")
    expect(page.get_by_text("Wilayah kerja")).to_be_visible()
    save_screenshot(page, "page-dashboard-cianjur-facilitator")


def test_org_chart_uses_the_regions_own_titles(page, live_server):
    login(page, live_server, "batubara", "manager@batubara.demo")
    page.get_by_role("link", name="Struktur", exact=True).click()
    page.wait_for_url(live_server.url("batubara", "/org/"))
    expect(page.get_by_role("heading", name="Struktur organisasi")).to_be_visible()

    tree = page.locator("ul.org-tree")
    expect(tree.locator(".position-title", has_text=re.compile(r"^Manajer$"))).to_have_count(1)
    expect(tree.locator(".position-title", has_text="Pendamping Daerah")).to_have_count(6)
    # Each post shows who holds it (demo staff have distinct names).
    manager_post = tree.locator(".org-positions > li",
                                has=page.locator(".position-title", has_text=re.compile(r"^Manajer$")))
    expect(manager_post.locator(".holders")).to_contain_text("(demo)")
    expect(tree.locator(".holders", has_text="(demo)")).to_have_count(tree.locator(".org-positions > li").count())

    # The tree nests: Dinas Sosial > Sekretariat Teknis > Front Office (Perbup 54/2021 Pasal 7 ayat (3));
    # the Tim Koordinasi holds the Pendamping Daerah, not the secretariat.
    dinas = tree.locator("li.org-unit").filter(
        has=page.get_by_role("link", name="Dinas Sosial Kabupaten Batu Bara", exact=True))
    secretariat = dinas.locator("li.org-unit").filter(
        has=page.get_by_role("link", name="Sekretariat Teknis SLRT Daerah", exact=True))
    expect(secretariat.get_by_role("link", name="Front Office", exact=True)).to_be_visible()
    team = tree.locator("li.org-unit").filter(  # the innermost item: its ancestors hold the link too
        has=page.get_by_role("link", name='Tim Koordinasi SLRT "Perjuangan" (TKPKD)', exact=True)).last
    expect(team.locator(".position-title", has_text="Pendamping Daerah").first).to_be_visible()
    expect(team.get_by_role("link", name="Sekretariat Teknis SLRT Daerah", exact=True)).to_have_count(0)
    save_screenshot(page, "page-org-chart-batubara")


def test_session_is_bound_to_its_region(page, live_server):
    login(page, live_server, "bekasi", "manager@bekasi.demo")
    cookies = page.context.cookies()
    assert cookies and all(c["domain"] == "bekasi.localhost" for c in cookies), cookies

    page.goto(live_server.url("cianjur", "/home"))
    assert page.url.startswith(live_server.url("cianjur", "/login")), page.url
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    expect(page.get_by_role("link", name="Struktur")).to_have_count(0)

    submit_login(page, "manager@bekasi.demo", DEMO_PASSWORD)
    expect(field_error(page, "email")).to_have_text("Akun ini tidak terdaftar di Kabupaten Cianjur.")
    expect(email_field(page)).to_have_value("manager@bekasi.demo")
    page.goto(live_server.url("cianjur", "/home"))
    assert page.url.startswith(live_server.url("cianjur", "/login")), page.url


def test_wrong_password_keeps_the_email(page, live_server):
    page.goto(live_server.url("palembang", "/login"))
    submit_login(page, "manager@palembang.demo", "not-the-password")
    expect(field_error(page, "password")).to_have_text("Email atau kata sandi salah.")
    expect(email_field(page)).to_have_value("manager@palembang.demo")
    expect(password_field(page)).to_have_value("")


def test_unknown_subdomain_is_a_404(page, live_server):
    response = page.goto(live_server.url("nowhere"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Daerah tidak ditemukan")).to_be_visible()
    expect(page.get_by_role("link", name="Lihat daftar daerah")).to_have_attribute("href", live_server.url())


def test_logout_returns_to_the_front_page(page, live_server):
    login(page, live_server, "palembang", "manager@palembang.demo")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(live_server.url("palembang"))
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    expect(page.get_by_role("heading", name="Masuk petugas")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)

    page.goto(live_server.url("palembang", "/home"))
    assert page.url.startswith(live_server.url("palembang", "/login")), page.url
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()


@pytest.mark.parametrize("slug, email, path", [
    pytest.param("payakumbuh", "unit_head@payakumbuh.demo", "/home", id="payakumbuh-home"),
    pytest.param("cianjur", "facilitator@cianjur.demo", "/home", id="cianjur-home"),
    pytest.param("batubara", "supervisor@batubara.demo", "/org/", id="batubara-org"),
])
def test_phone_has_no_horizontal_scrolling(new_page, live_server, slug, email, path):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(page, live_server, slug, email)
    page.goto(live_server.url(slug, path))
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(page, f"page-phone-{slug}{path.rstrip('/').replace('/', '-')}")
    assert width <= 390, f"{slug}{path} is {width}px wide on a 390px phone"


def test_platform_admin_lands_on_the_console(page, live_server, regions):
    login(page, live_server, None, "admin@platform.demo")
    assert page.url == live_server.url(None, "/console/")
    expect(page.get_by_role("heading", name="Konsol nasional")).to_be_visible()
    expect(page.get_by_role("table")).to_be_visible()
    save_screenshot(page, "page-platform-console")
    for slug, name in regions.items():
        # 50 regions a page, and other tests onboard regions of their own: look each one up as a person would
        search = page.get_by_role("searchbox", name="Cari daerah", exact=False)
        search.fill(name)
        search.press("Enter")
        table = page.get_by_role("table")
        expect(table.get_by_role("link", name=name, exact=True)).to_have_attribute("href", live_server.url(slug))
        # the row of that exact name ("Kabupaten Puncak" is also in "Kabupaten Puncak Jaya")
        row = table.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))
        expect(row.get_by_text("Aktif")).to_be_visible()
