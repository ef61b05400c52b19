"""Verval end to end, in a region whose chain has two stages (Payakumbuh: the supervisor reviews a
member's changed data, the manager decides — Pasal 7 ayat (4) huruf b, 7 ayat (3) huruf e): a
facilitator proposes on a 390 px phone, the supervisor reviews, the manager decides, the
manager gathers the batch, downloads it, marks it sent and imports the ministry's answer,
which then shows on the update."""
from __future__ import annotations

import csv
import io
from datetime import date

from playwright.sync_api import expect

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login, save_screenshot
from tests.factories import tenant
from tests.helpers.households import Member, add_household, region_village

PHONE = {"width": 390, "height": 844}
SLUG = "payakumbuh"


def _household(app) -> str:
    with app.app_context(), tenant_context(tenant(SLUG)):
        household = add_household([Member("Darmawati", education="sd", birth_date=date(1979, 8, 17))],
                                  village=region_village(0))
        db.session.commit()
        return household.kk_number


def _fits(page) -> None:
    if (page.viewport_size or {}).get("width") != PHONE["width"]:
        return
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _review(page, live_server, email: str, expected_flash: str) -> None:
    login(page, live_server, SLUG, email)
    page.goto(live_server.url(SLUG, "/verval/reviews?kind=member_changed"))
    item = page.locator(".review-queue li", has_text="Darmawati").first
    expect(item).to_contain_text("Pendidikan: SD/sederajat → SMP/sederajat")
    item.get_by_role("button", name="Telaah").click()
    expect(page.get_by_role("heading", name="Rantai penelaahan")).to_be_visible()
    expect(page.locator(".review-chain")).to_contain_text("Pasal 7 ayat (4)")
    _fits(page)
    page.get_by_label("Setujui").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text(expected_flash)).to_be_visible()


def test_facilitator_proposes_supervisor_reviews_manager_decides_batch_round_trip(app, live_server, new_page):
    kk = _household(app)

    phone = new_page(viewport=PHONE)
    login(phone, live_server, SLUG, f"facilitator@{SLUG}.demo")
    phone.goto(live_server.url(SLUG, "/verval/updates/new"))
    phone.get_by_label("Nomor KK").fill(kk)
    phone.get_by_label("Perubahan data anggota").check()
    phone.get_by_role("button", name="Lanjut").click()
    phone.get_by_label("Darmawati").check()
    phone.get_by_label("Pendidikan").select_option("smp")
    phone.get_by_label("Keterangan untuk penelaah").fill("Lulus paket B tahun ini.")
    _fits(phone)
    phone.get_by_role("button", name="Kirim usulan").click()
    expect(phone.get_by_text("Usulan dikirim untuk ditelaah")).to_be_visible()
    expect(phone.locator(".review-chain li").first).to_contain_text("Supervisor")
    _fits(phone)
    update_url = phone.url
    save_screenshot(phone, "phone-verval-proposed")

    supervisor = new_page(viewport=PHONE)
    _review(supervisor, live_server, f"supervisor@{SLUG}.demo", "Disetujui dan diteruskan ke tahap berikutnya")
    _fits(supervisor)

    manager = new_page()
    _review(manager, live_server, f"manager@{SLUG}.demo", "Usulan disetujui.")

    manager.goto(live_server.url(SLUG, "/verval/batches"))
    manager.get_by_role("button", name="Buat batch").click()
    expect(manager.locator("#batch-status")).to_have_text("Disiapkan")
    with manager.expect_download() as download_info:
        manager.get_by_role("button", name="Unduh CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as downloaded:
        rows = list(csv.DictReader(io.StringIO(downloaded.read())))
    ours = [r for r in rows if r["no_kk"] == kk]
    assert len(ours) == 1 and ours[0]["jenis_usulan"] == "ubah_data" and ours[0]["pendidikan"] == "smp"
    manager.get_by_role("button", name="Tandai sudah dikirim ke SIKS-NG").click()
    expect(manager.locator("#batch-status")).to_have_text("Terkirim")

    content = f"id_usulan,hasil,alasan\n{ours[0]['id_usulan']},ditolak,Ijazah paket B belum terdaftar\n"
    manager.locator("#file").set_input_files({"name": "hasil.csv", "mimeType": "text/csv",
                                              "buffer": content.encode()})
    manager.get_by_role("button", name="Impor hasil").click()
    expect(manager.get_by_text("Hasil dari Kemensos dicatat untuk 1 usulan.")).to_be_visible()
    expect(manager.locator("#batch-status")).to_have_text("Hasil diterima")

    phone.goto(update_url)
    expect(phone.locator(".ministry-result")).to_contain_text("Ditolak")
    expect(phone.locator(".ministry-result")).to_contain_text("Ijazah paket B belum terdaftar")
    _fits(phone)
    save_screenshot(phone, "phone-verval-result")
