"""An officer attaches a PNG to a case in the browser (htmx upload), sees it listed, and downloads it."""
from __future__ import annotations

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.attachments import png_bytes
from tests.helpers.casework import new_case


def test_officer_uploads_a_png_on_the_case_page_and_downloads_it(app, live_server, new_page, tmp_path):
    case = new_case(app, "bekasi")
    photo = tmp_path / "foto-rumah.png"
    photo.write_bytes(png_bytes(120, 80))
    page = new_page()
    login(page, live_server, "bekasi", "intake_officer@bekasi.demo")
    page.goto(live_server.url("bekasi", f"/cases/{case['id']}"))
    section = page.locator("#lampiran")
    section.get_by_text("Tambah lampiran").click()
    section.get_by_label("Berkas (PDF, JPEG, atau PNG)").set_input_files(str(photo))
    section.get_by_label("Jenis lampiran").select_option("photo")
    section.get_by_role("button", name="Unggah").click()
    link = page.locator("#lampiran").get_by_role("link", name="foto-rumah.png")
    expect(link).to_be_visible()
    save_screenshot(page, "attachments-case-page")

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "foto-rumah.png"
    image = Image.open(download.path())
    assert (image.format, image.size) == ("PNG", (120, 80))
