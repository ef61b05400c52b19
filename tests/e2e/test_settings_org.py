"""A manager configures the region's org chart and staff in the browser.

Palembang's manager opens a Puskesos in a village and invites its coordinator, who accepts
and records a complaint at that Puskesos; units are edited in place; deactivating a
facilitator ends their session at once. Screenshots at desktop and phone widths go to
test-results/ for people to look at.
"""
from __future__ import annotations

import re
import uuid
from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import login, save_screenshot

SLUG = "palembang"
PHONE = {"width": 390, "height": 844}


def in_palembang(app, build):
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from tests.factories import tenant

    with app.app_context(), tenant_context(tenant(SLUG)):
        value = build()
        db.session.commit()
        return value


@pytest.fixture()
def clean_chart(app):
    """Whatever the test adds to Palembang's chart is retired afterwards (its export stays the template's)."""
    yield
    from tests.helpers.org import restore_chart

    restore_chart(app, SLUG)


def shoot(page, name: str) -> None:
    """The same page at desktop width and at phone width."""
    page.set_viewport_size({"width": 1280, "height": 900})
    save_screenshot(page, f"org-settings-{name}-1280")
    page.set_viewport_size(PHONE)
    save_screenshot(page, f"org-settings-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_manager_opens_a_puskesos_and_its_coordinator_takes_a_complaint(new_page, live_server, app, clean_chart):
    from app.org.welfare_centers import villages_without_welfare_center

    district, code, village = in_palembang(app, lambda: villages_without_welfare_center()[3])
    manager = new_page()
    login(manager, live_server, SLUG, "manager@palembang.demo")
    manager.get_by_role("link", name="Pengaturan", exact=True).click()
    expect(manager.get_by_role("heading", name="Pengaturan", level=1)).to_be_visible()
    shoot(manager, "index")
    manager.get_by_role("link", name="Struktur organisasi", exact=True).click()
    expect(manager.get_by_role("heading", name="Struktur organisasi", level=1)).to_be_visible()
    shoot(manager, "org")

    manager.get_by_role("button", name="Buka Puskesos", exact=True).click()
    manager.get_by_label("Kelurahan/desa").select_option(code)
    basis = manager.get_by_role("group", name="Dasar hukum (pasal)").get_by_label("Pasal", exact=True)
    expect(basis).to_have_value(re.compile(r"Pasal 8 ayat \(1\)"))
    shoot(manager, "puskesos-new")
    manager.get_by_role("button", name="Buka Puskesos", exact=True).click()
    card = manager.locator(".settings-card")
    expect(card.locator(".unit-name")).to_have_text(f"Puskesos {village}")
    expect(card).to_contain_text(f"{village}, Kec. {district}")
    for title in ("Koordinator", "Petugas Front Office", "Petugas Back Office"):
        expect(card.locator(".position-title", has_text=re.compile(f"^{title}$"))).to_have_count(1)
    shoot(manager, "puskesos-card")

    coordinator_row = card.locator(".position-row", has=manager.locator(".position-title", has_text="Koordinator"))
    coordinator_row.get_by_role("link", name="Undang").click()
    expect(manager.get_by_role("heading", name="Undang staf")).to_be_visible()
    expect(manager.locator(f'input[name="village_codes"][value="{code}"]')).to_be_checked()
    email = f"koordinator.{uuid.uuid4().hex[:6]}@uji.id"
    manager.get_by_label("Email").fill(email)
    manager.get_by_label("Nama lengkap").fill("Sri Wahyuni")
    shoot(manager, "invite")
    manager.get_by_role("button", name="Kirim undangan").click()
    link = manager.locator("a.invite-url")
    expect(link).to_be_visible()
    shoot(manager, "invited")
    invite_url = link.inner_text()

    coordinator = new_page()
    coordinator.goto(invite_url)
    coordinator.get_by_label("Kata sandi baru").fill("kata-sandi-kuat-1")
    coordinator.get_by_label("Ulangi kata sandi").fill("kata-sandi-kuat-1")
    coordinator.get_by_role("button", name="Aktifkan akun").click()
    coordinator.wait_for_url(live_server.url(SLUG, "/home"))
    expect(coordinator.locator(".position-title")).to_have_text("Koordinator")
    expect(coordinator.locator(".work-area")).to_have_text(f"{village}, Kec. {district}")

    coordinator.get_by_role("link", name="Pengaduan baru").click()
    expect(coordinator.locator(".channel-fixed")).to_contain_text("Datang ke Puskesos")
    ticket = _record_complaint(coordinator, code)

    def origin():
        from app.casework.models import Case
        from app.extensions import db
        from app.org.models import OrgUnit

        case = db.session.scalar(select(Case).where(Case.ticket == ticket))
        return case.channel, db.session.get(OrgUnit, (case.tenant_id, case.origin_unit_id)).village_code
    assert in_palembang(app, origin) == ("welfare_center", code)


def _record_complaint(page, village_code: str) -> str:
    from tests.factories import make_kk, make_nik

    birth = date(1979, 8, 21)
    page.locator("#nik").fill(make_nik(village_code, birth, "P"))
    page.locator("#kk_number").fill(make_kk(village_code))
    page.locator("#name").fill("Siti Aminah")
    page.locator("#birth_date").fill(birth.isoformat())
    page.check('input[name="sex"][value="P"]')
    page.locator("#address").fill("Jl. Merdeka RT 02 RW 01")
    page.locator("#village_code").select_option(village_code)
    page.check('input[name="service_area"][value="kesehatan"]')
    page.locator("#complaint").fill("Butuh bantuan biaya berobat untuk anak.")
    page.get_by_role("button", name="Simpan dan buat tiket").click()
    expect(page.get_by_role("heading", name="Tanda terima pengaduan")).to_be_visible()
    return page.locator(".ticket").inner_text().strip()


def test_units_are_edited_in_place(new_page, live_server, app, clean_chart):
    def build():
        from app.org.operations import create_unit
        from tests.helpers.org import unit_by_key

        return create_unit(name="Tim Uji Peramban", kind="field", parent=unit_by_key("sekretariat_teknis")).id
    unit_id = in_palembang(app, build)
    manager = new_page()
    login(manager, live_server, SLUG, "manager@palembang.demo")
    manager.goto(live_server.url(SLUG, "/settings/org/"))
    card = manager.locator(f"#unit-card-{unit_id}")
    card.get_by_role("link", name="Ubah", exact=True).first.click()
    name = card.get_by_label("Nama unit")
    expect(name).to_be_focused()
    name.fill("")
    card.get_by_role("button", name="Simpan").click()
    expect(card.locator(".field-error")).to_have_text("Nama unit wajib diisi.")
    shoot(manager, "unit-inline-error")
    name.fill("Tim Lapangan Kecamatan")
    card.get_by_role("button", name="Simpan").click()
    expect(card.locator(".unit-name")).to_have_text("Tim Lapangan Kecamatan")
    assert urlparse(manager.url).path == "/settings/org/"  # never left the page

    card.get_by_role("link", name="+ Jabatan").click()
    card.get_by_label("Nama jabatan (sebutan setempat)").fill("Pendamping Sosial")
    card.get_by_label("Peran dalam aplikasi").select_option("facilitator")
    card.get_by_role("group", name="Pasal asal jabatan").get_by_label("Pasal", exact=True).fill("Pasal 13")
    shoot(manager, "position-inline")
    card.get_by_role("button", name="Simpan").click()
    expect(card.locator(".position-title", has_text="Pendamping Sosial")).to_be_visible()
    expect(card.locator(".position-row", has_text="Pendamping Sosial")).to_contain_text("per kelurahan/desa")

    # A unit people still work in is not retired: the page says what to do first.
    back_office = manager.locator(".settings-card",
                                  has=manager.locator(".unit-name", has_text=re.compile("^Back Office$")))
    back_office.get_by_role("link", name="Pensiunkan").first.click()
    blockers = manager.locator(".blockers")
    expect(blockers).to_contain_text("Pindahkan mereka ke jabatan lain")
    expect(blockers).to_contain_text("pemetaan bidang layanan")
    expect(manager.get_by_role("button", name="Ya, pensiunkan")).to_have_count(0)
    shoot(manager, "retire-refused")


def test_deactivating_a_facilitator_ends_their_session(new_page, live_server, app):
    def build():
        from tests.factories import member as demo_member
        from tests.helpers.org import free_village, home_visit, new_member, step

        village = free_village(SLUG)
        leaving = new_member("facilitator", areas=[(village.district_code, village.code)], name="Rahmat Fasilitator")
        case = home_visit(leaving, village)
        _user, supervisor = demo_member("supervisor@palembang.demo")
        step(case, "return_field_record", supervisor, note="Lengkapi foto rumah.")
        taker = new_member("facilitator", areas=[(village.district_code, _another(village))], name="Lestari Pengganti")
        return leaving.user.email, case.ticket, taker.user.name
    email, ticket, taker = in_palembang(app, build)
    facilitator = new_page(viewport=PHONE)
    login(facilitator, live_server, SLUG, email, DEMO_PASSWORD)
    expect(facilitator.get_by_role("heading", level=1)).to_contain_text("Rahmat Fasilitator")

    manager = new_page()
    login(manager, live_server, SLUG, "manager@palembang.demo")
    manager.get_by_role("link", name="Pengaturan", exact=True).click()
    manager.get_by_role("link", name="Staf", exact=True).first.click()
    shoot(manager, "staff")
    manager.get_by_role("link", name="Rahmat Fasilitator").click()
    manager.get_by_role("button", name="Nonaktifkan").click()
    expect(manager.locator("table.handover")).to_contain_text(ticket)
    shoot(manager, "deactivate")
    manager.get_by_role("button", name="Ya, nonaktifkan").click()
    expect(manager.locator(".flash-success")).to_contain_text("semua sesi masuknya sudah berakhir")
    expect(manager.locator(".status")).to_have_text("Nonaktif")

    facilitator.reload()
    facilitator.wait_for_url(lambda url: urlparse(url).path == "/login")
    expect(facilitator.get_by_role("heading", name=re.compile("Masuk"))).to_be_visible()

    # The open case is listed; hand it over, with the departing member's village.
    expect(manager.get_by_role("checkbox", name=ticket)).to_be_checked()
    target = manager.get_by_label("Alihkan ke")
    target.select_option(target.locator("option", has_text=taker).get_attribute("value"))
    manager.get_by_label(re.compile("Tambahkan juga wilayah kerja")).check()
    manager.get_by_label(re.compile("Catatan")).fill("Fasilitator pindah tugas.")
    shoot(manager, "member-handover")
    manager.get_by_role("button", name="Alihkan kasus terpilih").click()
    expect(manager.locator(".flash-success")).to_contain_text(f"1 kasus dialihkan ke {taker}")
    expect(manager.locator("#open-cases")).to_contain_text("Tidak ada kasus terbuka")


def _another(village):
    """Another village of the same district (where the colleague taking over works)."""
    from app.extensions import db
    from app.reference.models import Village

    return db.session.scalars(select(Village.code).where(Village.district_code == village.district_code,
                                                         Village.code != village.code)).first()
