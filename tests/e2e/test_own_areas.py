"""A manager adds the region's own service area and intake channel in the browser, each mapped to a
built-in one, and an officer then records a complaint in that area through that channel.

A throwaway region (the blank structure) so the seeded ones stay as their templates made them.
Screenshots at desktop and phone widths go to test-results/ for people to look at.
"""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.platform import make_region

PHONE = {"width": 390, "height": 844}


def shoot(page, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    save_screenshot(page, f"own-areas-{name}-1280")
    page.set_viewport_size(PHONE)
    save_screenshot(page, f"own-areas-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_manager_adds_an_own_area_and_channel_and_an_officer_uses_them(new_page, live_server, app):
    _tid, slug = make_region(app, accounts=True)
    area_key, channel_key = f"anak_{uuid.uuid4().hex[:4]}", f"klinik{uuid.uuid4().hex[:4]}"
    manager = new_page()
    login(manager, live_server, slug, f"manager@{slug}.demo")

    manager.goto(live_server.url(slug, "/settings/"))
    manager.get_by_role("link", name="Bidang layanan").click()
    manager.wait_for_url(re.compile(r"/settings/service-areas$"))
    manager.get_by_text("Tambah bidang milik daerah").click()
    form = manager.locator("#new-area form")
    form.get_by_label("Kunci").fill(area_key)
    form.get_by_label("Nama bidang").fill("Perlindungan perempuan dan anak")
    form.get_by_label("Dihitung sebagai").select_option("sosial")
    form.get_by_label("Pasal").fill("Pasal 1 angka 32")
    form.get_by_role("button", name="Tambah bidang").click()
    expect(manager.locator(f"#area-{area_key}")).to_contain_text("dihitung sebagai Sosial")
    shoot(manager, "settings")

    manager.goto(live_server.url(slug, "/settings/sop/"))
    manager.get_by_role("button", name="Ubah prosedur (buat draf)").click()
    manager.wait_for_url(re.compile(r"/settings/sop/draft$"))
    expect(manager.locator("#routing")).to_contain_text("Perlindungan perempuan dan anak")
    manager.get_by_text("Tambah jalur milik daerah").click()
    new = manager.locator("#new_channel form")
    new.get_by_label("Kunci").fill(channel_key)
    new.get_by_label("Nama jalur").fill("Konsultasi di klinik keluarga")
    new.get_by_label("Dihitung sebagai").select_option("walk_in")
    new.get_by_label("Tahap awal").select_option(index=1)
    new.get_by_label(re.compile("Petugas Front Office")).check()
    new.get_by_label("Pasal").fill("Pasal 1 angka 32")
    new.get_by_role("button", name="Tambah jalur").click()
    item = manager.locator(f"#own_channel-{channel_key}")
    expect(item).to_contain_text("Konsultasi di klinik keluarga")
    expect(item).to_contain_text("dihitung sebagai Datang langsung")
    shoot(manager, "draft")
    manager.get_by_label("Catatan perubahan").fill("Jalur konsultasi klinik keluarga")
    manager.get_by_label(re.compile("Saya sudah memeriksa perubahan")).check()
    manager.get_by_role("button", name=re.compile(r"^Terbitkan versi \d+$")).click()
    manager.wait_for_url(re.compile(r"/settings/sop/$"))

    officer = new_page()
    login(officer, live_server, slug, f"intake_officer@{slug}.demo")
    officer.goto(live_server.url(slug, "/intake/"))
    expect(officer.get_by_label("Perlindungan perempuan dan anak")).to_be_visible()
    expect(officer.get_by_label("Konsultasi di klinik keluarga")).to_be_visible()
    shoot(officer, "intake")
