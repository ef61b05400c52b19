"""The national console in a browser: a new region from nothing to its first case.

The administrator onboards Kota Sukabumi (32.72), a region that is not among the five, from
the blank national structure, invites its manager and activates it; the manager accepts the
invitation at the new subdomain; an intake officer (invited directly here) records a case
through the region's intake page, and the manager sees it. Onboarding it again is refused.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.casework_walker import fill_intake
from tests.e2e.conftest import login, save_screenshot

CODE, NAME, SLUG = "32.72", "Kota Sukabumi", "kota-sukabumi"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _invite_intake_officer(app, live_server) -> str:
    """An intake officer invited straight in the database; returns the link (at this server)."""
    from app.accounts.invitations import create_invitation
    from app.extensions import db
    from app.org.models import Position
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    with live_server.app.test_request_context(base_url=live_server.url()):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_context(tenant):
            position = db.session.scalar(select(Position).where(Position.role == "intake_officer"))
        _invitation, link = create_invitation("fo@sukabumikota.example.id", "Dewi Front Office", tenant=tenant,
                                              position=position)
        db.session.commit()
    return link


def _citizen(app) -> dict:
    from app.extensions import db
    from app.reference.models import District, Village
    from tests.factories import make_kk, make_nik

    with app.app_context():
        district = db.session.scalar(select(District).where(District.regency_code == CODE).order_by(District.code))
        village = db.session.scalar(select(Village).where(Village.district_code == district.code)
                                    .order_by(Village.code))
        birth = date(1981, 4, 2)
        return {"nik": make_nik(village.code, birth, "P"), "kk": make_kk(village.code), "village": village.code,
                "birth": birth.isoformat(), "phone": "081311122233"}


def _accept(page, link: str, name: str, password: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Terima undangan")).to_be_visible()
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Kata sandi baru").fill(password)
    page.get_by_label("Ulangi kata sandi").fill(password)
    page.get_by_role("button", name="Aktifkan akun").click()
    page.wait_for_url(re.compile(r"/home$"))


def test_administrator_onboards_a_region_that_then_takes_a_case(app, live_server, new_page):
    admin = new_page(viewport={"width": 1280, "height": 900})
    login(admin, live_server, None, "admin@platform.demo")
    admin.get_by_role("button", name="+ Daerah baru").click()
    expect(admin.get_by_role("heading", name="Daerah baru")).to_be_visible()

    # Step 1: the official list, searched by name; htmx fills the results as one types.
    admin.get_by_label("Cari kabupaten/kota", exact=False).fill("sukabumi")
    option = admin.locator("label.region-option", has_text=NAME)
    expect(option).to_contain_text(CODE)
    expect(admin.locator("label.region-option", has_text="Kabupaten Sukabumi")).to_be_visible()
    save_screenshot(admin, "platform-wizard-1-region")
    admin.get_by_role("button", name="Lanjut").click()
    expect(admin.locator("#region_code-error")).to_have_text("Pilih kabupaten/kota dari daftar resmi.")
    option.locator("input").check()
    admin.get_by_role("button", name="Lanjut").click()

    # Step 2: the blank national structure.
    expect(admin.locator('[aria-current="step"]')).to_have_text("Struktur awal")
    admin.get_by_label("Struktur SLRT kosong sesuai Permensos 15/2018").check()
    save_screenshot(admin, "platform-wizard-2-start")
    admin.get_by_role("button", name="Lanjut").click()

    # Step 3: suggestions; the city shares its name with a regency, hence the prefix.
    expect(admin.locator('[aria-current="step"]')).to_have_text("Layanan")
    expect(admin.get_by_label("Subdomain")).to_be_focused()
    expect(admin.get_by_label("Subdomain")).to_have_value(SLUG)
    expect(admin.get_by_label("Nama layanan")).to_have_value("SLRT Kota Sukabumi")
    expect(admin.get_by_label("Awalan nomor tiket")).to_have_value("KOTASUKABUMI")  # from the subdomain
    admin.get_by_label("Subdomain").fill("bekasi")
    admin.get_by_role("button", name="Lanjut").click()
    expect(admin.locator("#slug-error")).to_contain_text("sudah dipakai Kota Bekasi")
    # htmx focuses the autofocus field after the swap settles: typing before that would land there
    expect(admin.get_by_label("Subdomain")).to_be_focused()
    admin.get_by_label("Subdomain").fill(SLUG)
    admin.get_by_label("Judul peraturan daerah").fill("Peraturan Wali Kota Sukabumi tentang SLRT (rancangan)")
    admin.get_by_label("Singkatan peraturan").fill("Perwal Sukabumi (rancangan)")
    save_screenshot(admin, "platform-wizard-3-service")
    admin.get_by_role("button", name="Lanjut").click()

    # Step 4: the first manager, and a summary of what will be created.
    expect(admin.locator('[aria-current="step"]')).to_have_text("Manajer pertama")
    admin.get_by_label("Nama manajer").fill("Asep Manajer")
    admin.get_by_label("Email manajer").fill("manajer@sukabumikota.example.id")
    expect(admin.locator(".summary")).to_contain_text("Manajer SLRT")
    expect(admin.locator(".first-ticket")).to_have_text(re.compile(r"^KOTASUKABUMI-\d{4}-000001$"))
    save_screenshot(admin, "platform-wizard-4-manager")
    admin.get_by_role("button", name="Buat daerah dan kirim undangan").click()

    expect(admin.get_by_role("heading", name=re.compile(NAME))).to_be_visible()
    expect(admin.locator("h1 .status")).to_have_text("Persiapan")
    link = re.search(r"http://\S+/invite/\S+", admin.locator(".flash-info").first.inner_text()).group(0)
    assert link.startswith(live_server.url(SLUG, "/invite/"))
    save_screenshot(admin, "platform-region-onboarding")
    admin.get_by_label("Saya sudah membaca daftar periksa", exact=False).check()
    admin.get_by_label("Alasan tetap mengaktifkan", exact=False).fill("Uji")
    admin.get_by_role("button", name="Aktifkan (tayang)").click()
    expect(admin.locator("h1 .status")).to_have_text("Aktif")

    # The same region a second time: marked as registered, and refused.
    admin.goto(live_server.url(None, f"/console/regions/new?q={CODE}"))
    again = admin.locator("label.region-option", has_text=NAME)
    expect(again).to_contain_text("sudah terdaftar")
    expect(again.locator("input")).to_be_disabled()

    # The manager accepts at the new subdomain and lands in the region.
    manager = new_page()
    _accept(manager, link, "Asep Manajer", "sandi-manajer-2026")
    expect(manager.locator(".position-title")).to_have_text("Manajer SLRT")
    expect(manager.get_by_text(NAME).first).to_be_visible()

    # An intake officer records a case at /intake/.
    officer = new_page()
    _accept(officer, _invite_intake_officer(app, live_server), "Dewi Front Office", "sandi-front-office-1")
    officer.get_by_role("link", name="Pengaduan baru").click()
    fill_intake(officer, _citizen(app), name="Siti Sukabumi")
    officer.get_by_role("button", name="Simpan dan buat tiket").click()
    expect(officer.get_by_role("heading", name="Tanda terima pengaduan")).to_be_visible()
    ticket = re.search(r"\b[A-Z0-9]{2,12}-\d{4}-\d{6}\b", officer.content()).group(0)  # the region's prefix
    assert re.fullmatch(r"KOTASUKABUMI-\d{4}-000001", ticket)

    manager.goto(live_server.url(SLUG, "/cases/?view=all"))
    expect(manager.get_by_role("link", name=ticket, exact=True)).to_be_visible()
    save_screenshot(manager, "platform-new-region-inbox")

    # The region is on the public list, and its figures on the console.
    admin.goto(live_server.url(None, f"/console/?q={SLUG}"))  # 50 regions a page: search for it
    row = admin.locator("tr", has=admin.get_by_role("link", name=NAME, exact=True))
    expect(row.locator("td.num").nth(1)).to_have_text("1")  # one open case
    save_screenshot(admin, "platform-console")


def test_suspended_region_shows_a_notice_and_comes_back(app, live_server, new_page):
    staff = new_page()
    login(staff, live_server, "payakumbuh", "manager@payakumbuh.demo")
    admin = new_page()
    login(admin, live_server, None, "admin@platform.demo")
    search = admin.get_by_role("searchbox", name="Cari daerah", exact=False)  # 50 regions a page: look it up
    search.fill("Payakumbuh")
    search.press("Enter")
    admin.get_by_role("link", name="Kelola Kota Payakumbuh").click()
    admin.get_by_label("Alasan", exact=False).fill("Uji browser: pemeliharaan")
    admin.once("dialog", lambda dialog: dialog.accept())  # hx-confirm
    admin.get_by_role("button", name="Tangguhkan").click()
    expect(admin.locator("h1 .status")).to_have_text("Ditangguhkan")
    try:
        staff.goto(live_server.url("payakumbuh", "/cases/"))
        expect(staff.get_by_role("heading", name="UPT-PSPK sedang tidak aktif")).to_be_visible()
        save_screenshot(staff, "platform-region-suspended")
    finally:
        admin.get_by_role("button", name="Aktifkan kembali").click()
        expect(admin.locator("h1 .status")).to_have_text("Aktif")
    staff.goto(live_server.url("payakumbuh", "/cases/"))
    expect(staff.get_by_role("heading", name="Kasus")).to_be_visible()


@pytest.mark.parametrize("path, name", [("/console/compare", "compare"), ("/console/audit", "audit"),
                                        ("/console/", "console")])
def test_auditor_reads_on_a_phone(new_page, live_server, path, name):
    page = new_page(**PHONE)
    login(page, live_server, None, "auditor@platform.demo")
    page.goto(live_server.url(None, path))
    expect(page.get_by_role("link", name="Pengguna")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(page, f"platform-phone-{name}")
    assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    if name == "audit":
        page.get_by_label("Tindakan").select_option("auditor.view")
        expect(page.locator("#audit-list")).to_contain_text("auditor@platform.demo")


def test_wizard_on_a_phone(new_page, live_server):
    page = new_page(**PHONE)
    login(page, live_server, None, "admin@platform.demo")
    page.goto(live_server.url(None, "/console/regions/new?q=kota"))
    width = page.evaluate("document.documentElement.scrollWidth")
    save_screenshot(page, "platform-phone-wizard")
    assert width <= 390
