"""The national administrator rescues a region in a browser: reads its chart and SOP, hands
the first manager's link over again (resend), revokes it, invites again, and activates the
region through the readiness checklist with a reason."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.platform import make_region, unique_slug


def test_administrator_reads_and_rescues_a_region(live_server, new_page):
    tid, slug = make_region(live_server.app, status="onboarding")
    admin = new_page(viewport={"width": 1280, "height": 900})
    login(admin, live_server, None, "admin@platform.demo")
    admin.goto(live_server.url(None, f"/console/regions/{tid}"))
    expect(admin.locator("h1 .status")).to_have_text("Persiapan")

    # Read-only views of the region.
    admin.get_by_role("link", name="Struktur organisasi").click()
    expect(admin.get_by_role("heading", name=re.compile("Struktur organisasi"))).to_be_visible()
    expect(admin.locator(".position-title").first).to_be_visible()
    admin.go_back()
    admin.get_by_role("link", name="SOP dan riwayatnya").click()
    expect(admin.get_by_role("heading", name="Riwayat versi")).to_be_visible()
    expect(admin.get_by_role("link", name="Versi 1")).to_be_visible()
    save_screenshot(admin, "platform-rescue-sop")
    admin.goto(live_server.url(None, f"/console/regions/{tid}"))

    # The first manager: invited, the link on the page; resent (same link), then revoked.
    email = f"{unique_slug('manajer')}@uji.test"
    admin.get_by_text("Undang manajer lain").click()
    admin.locator("#name").fill("Manajer Penyelamat")
    admin.locator("#email").fill(email)
    admin.get_by_role("button", name="Kirim undangan").click()
    item = admin.locator(".manager-invites li", has_text=email)
    link_box = item.locator("input.link-box")
    expect(link_box).to_have_value(re.compile(rf"^http://{slug}\..+/invite/"))
    link = link_box.input_value()
    item.get_by_role("button", name="Kirim ulang").click()
    expect(admin.locator(".flash-success")).to_contain_text("dikirim ulang")
    expect(admin.locator(".manager-invites li", has_text=email).locator("input.link-box")).to_have_value(link)
    save_screenshot(admin, "platform-rescue-invitation")
    admin.once("dialog", lambda dialog: dialog.accept())  # hx-confirm
    admin.locator(".manager-invites li", has_text=email).get_by_role("button", name="Batalkan").click()
    expect(admin.locator(".flash-success")).to_contain_text("tidak berlaku lagi")
    expect(admin.locator(".manager-invites li", has_text=email).locator("input.link-box")).to_have_count(0)
    dead = new_page()
    dead.goto(link)
    expect(dead.get_by_role("heading", name="Terima undangan")).to_have_count(0)

    # Activation: the checklist says what is missing; confirm and give a reason.
    expect(admin.locator("#readiness")).to_contain_text("Belum ada petugas aktif")
    admin.get_by_role("button", name="Aktifkan (tayang)").click()
    expect(admin.locator("#confirm-error")).to_be_visible()
    admin.get_by_label("Saya sudah membaca daftar periksa", exact=False).check()
    admin.get_by_label("Alasan tetap mengaktifkan", exact=False).fill("Manajer melengkapi staf minggu ini")
    save_screenshot(admin, "platform-rescue-checklist")
    admin.get_by_role("button", name="Aktifkan (tayang)").click()
    expect(admin.locator("h1 .status")).to_have_text("Aktif")
    expect(admin.get_by_text("diaktifkan meski daftar periksa belum lengkap", exact=False)).to_be_visible()
