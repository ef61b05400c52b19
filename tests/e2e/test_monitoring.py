"""Monitoring and evaluation as a manager uses it: the year's plan with one activity and one budget
line, its realisation, plan against realisation on the dashboard, and the year-end evaluation PDF."""
from __future__ import annotations

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot

SLUG = "payakumbuh"  # the Kepala UPT, the Manajer and the Kasubag TU plan (Pasal 7)
OWNER = "Sekretariat Teknis Daerah SLRT (UPT-PSPK)"


def test_manager_plans_realises_and_downloads_the_year_end_evaluation(live_server, new_page, tmp_path):
    year = datetime.now(ZoneInfo(live_server.app.config["BABEL_DEFAULT_TIMEZONE"])).year
    page = new_page()
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")
    page.get_by_role("link", name="Rencana", exact=True).click()
    expect(page.get_by_role("heading", name=f"Rencana kegiatan dan anggaran {year}", level=1)).to_be_visible()
    page.get_by_label("Pemilik rencana").select_option(label=OWNER)
    page.get_by_role("button", name="Buat rencana").click()
    expect(page.get_by_role("heading", name=f"Rencana {OWNER} tahun {year}", level=1)).to_be_visible()

    adding = page.locator("details.add-form", has=page.locator("summary", has_text="Tambah kegiatan"))
    adding.locator("summary").click()
    adding.get_by_label("Nama kegiatan").fill("Sosialisasi SLRT di kelurahan")
    adding.get_by_label("Target").fill("5")
    adding.get_by_label("Satuan").fill("kali")
    adding.get_by_label("Jan", exact=True).check()
    adding.get_by_label("Penanggung jawab (jabatan)").fill("Manajer")
    adding.get_by_role("button", name="Tambah kegiatan").click()
    expect(page.locator("#activities article")).to_contain_text("Sosialisasi SLRT di kelurahan")

    budget = page.locator("details.add-form", has=page.locator("summary", has_text="Tambah mata anggaran"))
    budget.locator("summary").click()
    budget.get_by_label("Kode rekening / uraian belanja").fill("5.1.02 Belanja sosialisasi")
    budget.get_by_label("Jumlah (Rp)").fill("1.250.000")
    budget.get_by_label("Sumber dana").select_option("apbd")
    budget.get_by_role("button", name="Tambah mata anggaran").click()
    expect(page.locator("#budget article")).to_contain_text("Rp 1.250.000")

    achieved = page.locator("#activities article details")
    achieved.locator("summary").click()
    achieved.get_by_label("Capaian sampai saat ini").fill("2")
    achieved.get_by_role("button", name="Simpan capaian").click()
    expect(page.locator("#activities article")).to_contain_text("capaian 2 kali")

    spent = page.locator("#budget article details")
    spent.locator("summary").click()
    spent.get_by_label("Bulan").select_option("1")
    spent.get_by_label("Realisasi (Rp)").fill("500.000")
    spent.get_by_role("button", name="Simpan realisasi").click()
    expect(page.locator("#budget article")).to_contain_text("realisasi Rp 500.000")

    # A correction: the activity's target, a wrong figure first (kept at its field), then right.
    page.get_by_role("link", name="Ubah atau hapus kegiatan").click()
    expect(page.get_by_role("heading", name="Ubah kegiatan", level=1)).to_be_visible()
    expect(page.get_by_label("Nama kegiatan")).to_have_value("Sosialisasi SLRT di kelurahan")
    page.get_by_label("Target").fill("empat")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator("#target-error")).to_be_visible()
    expect(page.get_by_label("Target")).to_have_value("empat")
    page.get_by_label("Target").fill("4")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator("#activities article")).to_contain_text("Target 4 kali")

    # A budget line added by mistake goes, once the box is ticked; the one with spending stays.
    budget.locator("summary").click()
    budget.get_by_label("Kode rekening / uraian belanja").fill("Salah ketik")
    budget.get_by_label("Jumlah (Rp)").fill("10.000")
    budget.get_by_label("Sumber dana").select_option("apbn")
    budget.get_by_role("button", name="Tambah mata anggaran").click()
    page.get_by_role("link", name="Ubah atau hapus mata anggaran Salah ketik").click()
    expect(page.get_by_role("heading", name="Ubah mata anggaran", level=1)).to_be_visible()
    expect(page.get_by_label("Jumlah (Rp)")).to_have_value("10.000")
    page.get_by_role("button", name="Hapus").click()
    expect(page.locator("#confirm-error")).to_contain_text("Centang konfirmasi")
    save_screenshot(page, "monitoring-edit-line-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(page, "monitoring-edit-line-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Ya, hapus dari rencana").check()
    page.get_by_role("button", name="Hapus").click()
    expect(page.locator("#budget")).not_to_contain_text("Salah ketik")
    expect(page.locator("#budget article")).to_have_count(1)
    save_screenshot(page, "monitoring-plan-1280")

    page.get_by_role("link", name="Dasbor", exact=True).click()
    panel = page.locator("#plan-realisation")
    expect(panel).to_contain_text(OWNER)
    row = panel.locator("tr", has_text=OWNER)
    expect(row).to_contain_text("0 / 1")
    expect(row).to_contain_text("40%")  # Rp 500.000 of Rp 1.250.000
    save_screenshot(page, "monitoring-dashboard-panel-1280")

    panel.get_by_role("link", name="Evaluasi akhir tahun").click()
    expect(page.get_by_role("heading", name=f"Evaluasi akhir tahun {year}", level=1)).to_be_visible()
    expect(page.locator("#plan-vs-realisation")).to_contain_text("Sosialisasi SLRT di kelurahan")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh PDF").click()
    path = tmp_path / "evaluasi.pdf"
    info.value.save_as(path)
    # Without -layout: a table cell's wrapped lines stay together.
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
                    .stdout.decode().split())
    assert f"Evaluasi Akhir Tahun Penyelenggaraan SLRT Tahun {year}" in text
    assert OWNER in text and "Sosialisasi SLRT di kelurahan" in text and "Rp 500.000" in text
