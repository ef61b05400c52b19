"""A data officer imports the register extract in the browser: uploads a file, watches the progress bar
while a worker stages it, reads the preview, confirms it, imports a second file, and finds both in the
history and side by side on the comparison page (on a 390 px phone too)."""
from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.register import extract_csv, first_codes, member_row

SLUG = "bekasi"
OFFICER = f"data_officer@{SLUG}.demo"


@pytest.fixture()
def slow_worker(live_server, monkeypatch):
    """Import jobs run in a thread (as a worker would) and write 20 members a chunk, a second apart."""
    from app.citizens import extract_stage
    from app.jobs import register_import, reports

    original_dispatch, original_flush = reports.dispatch, extract_stage.Stager._flush

    def dispatch(func, *args):
        if func is not register_import.run_register_import:
            return original_dispatch(func, *args)

        def work():
            with live_server.app.app_context():
                func(*args)
        threading.Thread(target=work, daemon=True).start()

    def flush(self, sheet):
        original_flush(self, sheet)
        if self.import_id is not None:
            time.sleep(1)

    monkeypatch.setattr(reports, "dispatch", dispatch)
    monkeypatch.setattr(extract_stage, "CHUNK", 20)
    monkeypatch.setattr(extract_stage.Stager, "_flush", flush)


def households(app, first: int, count: int, decile: str, programs: str) -> list[dict]:
    """`count` households of three members each in the region's first village."""
    district, village = first_codes(app, SLUG)
    digits = district.replace(".", "")
    rows = []
    for n in range(first, first + count):
        kk = f"{digits}33{n:08d}"
        for i, (relation, sex, born) in enumerate((("Kepala keluarga", "L", "02-03-1970"),
                                                   ("Istri", "P", "04-05-1975"), ("Anak", "L", "06-07-2012"))):
            rows.append(member_row(kk, f"{digits}{born[:2]}{born[3:5]}{born[8:]}{(n * 3 + i) % 10000:04d}",
                                   f"Warga Peramban {n}-{i}", village, hubungan=relation, jenis_kelamin=sex,
                                   tanggal_lahir=born, desil=decile, program_keluarga=programs,
                                   program_anggota="PIP" if relation == "Anak" else ""))
    return rows


def upload(page, live_server, path) -> None:
    page.goto(live_server.url(SLUG, "/register/"))
    page.get_by_label("Berkas CSV atau Excel").set_input_files(str(path))
    page.get_by_role("button", name="Impor", exact=True).click()


def test_officer_uploads_previews_confirms_and_compares(app, live_server, new_page, tmp_path, slow_worker):
    first, second = tmp_path / "dtks-januari.csv", tmp_path / "dtks-februari.csv"
    first.write_bytes(extract_csv(households(app, 1, 40, "2", "PKH, BPNT")))
    second.write_bytes(extract_csv(households(app, 11, 40, "1", "PKH")))
    page = new_page()
    login(page, live_server, SLUG, OFFICER)

    upload(page, live_server, first)
    job = page.locator(".job-list li").first
    expect(job.locator("progress[value]")).to_be_visible()  # the worker writes; the row polls
    expect(job).to_contain_text("Sedang diperiksa")
    save_screenshot(page, "register-import-progress")
    job.get_by_role("link", name="Pratinjau siap: lihat dan konfirmasi").click(timeout=30_000)

    expect(page.locator("h1")).to_contain_text("dtks-januari.csv")
    expect(page.locator("#changes-households .added")).to_have_text("40")
    expect(page.locator("#changes-members .added")).to_have_text("120")
    expect(page.locator("#program-pkh")).to_contain_text("40 keluarga")
    save_screenshot(page, "register-import-preview")
    page.get_by_role("button", name="Konfirmasi: jadikan data yang berlaku").click()
    expect(page.get_by_text("Data baru berlaku.")).to_be_visible()
    expect(page.locator(".register-households")).to_have_text("40")

    upload(page, live_server, second)
    page.locator(".job-list li").first.get_by_role("link", name="Pratinjau siap: lihat dan konfirmasi").click(
        timeout=30_000)
    expect(page.locator("#changes-households .added")).to_have_text("10")
    expect(page.locator("#changes-households .gone")).to_have_text("10")
    page.get_by_role("button", name="Konfirmasi: jadikan data yang berlaku").click()
    expect(page.get_by_text("Data baru berlaku.")).to_be_visible()

    page.get_by_role("link", name="Riwayat impor").click()
    history = page.locator(".history-table")
    expect(history).to_contain_text("dtks-februari.csv")
    expect(history).to_contain_text("dtks-januari.csv")
    page.get_by_role("link", name="Bandingkan yang berlaku dengan sebelumnya").click()
    expect(page.locator(".then-households")).to_have_text("40")
    expect(page.locator(".now-households")).to_have_text("40")
    expect(page.locator(".decile-moves")).to_contain_text("Pindah ke desil lebih miskin: 30")
    expect(page.locator("#program-bpnt")).to_contain_text("−30")

    phone = new_page(viewport={"width": 390, "height": 844})
    login(phone, live_server, SLUG, OFFICER)
    phone.goto(live_server.url(SLUG, "/register/compare"))
    expect(phone.locator(".now-households")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone, "register-compare-phone")
