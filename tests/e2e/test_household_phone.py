"""On a phone (390 px): a facilitator finds a household of their village, records what it receives
and what it needs, sees both waiting for review, and proposes a data update for it from its page."""
from datetime import date

from playwright.sync_api import expect

from app.extensions import db
from app.programs.catalogue import seed_national_programs
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login, save_screenshot
from tests.factories import tenant
from tests.helpers.households import Member, add_household, region_village

PHONE = {"width": 390, "height": 844}
SLUG = "payakumbuh"


def _household(app) -> str:
    with app.app_context(), tenant_context(tenant(SLUG)):
        seed_national_programs()
        household = add_household([Member("Yusnimar", occupation="Pedagang kecil"),
                                   Member("Rahmat", "child", "L", date(2014, 2, 3))],
                                  village=region_village(0), decile=2)
        db.session.commit()
        return household.kk_number


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_facilitator_records_participation_and_a_need_and_proposes_an_update_on_a_phone(app, live_server, new_page):
    kk = _household(app)
    page = new_page(viewport=PHONE)
    login(page, live_server, SLUG, f"facilitator@{SLUG}.demo")
    page.goto(live_server.url(SLUG, "/households/"))
    page.get_by_label("NIK, Nomor KK, atau nama").fill(kk)
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Yusnimar").click()
    expect(page.get_by_role("heading", name="Rumah tangga Yusnimar")).to_be_visible()
    expect(page.locator(".member")).to_have_count(2)
    _fits(page)
    save_screenshot(page, "phone-household-page")

    page.locator("#record-participation").click()
    form = page.locator("#participation-form")
    expect(form).to_be_visible()
    form.get_by_label("Program yang diterima").select_option("BPNT")
    page.get_by_label("Sumber keterangan").select_option("document")
    page.get_by_label("Menerima sejak (bila diketahui)").fill("2024-03-01")
    page.get_by_label("Sudah diperiksa (kartu/dokumen program dilihat)").check()
    _fits(page)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kepesertaan program tercatat dan dikirim untuk ditelaah.")).to_be_visible()
    expect(page.locator(".participation").first).to_contain_text("Dalam penelaahan")

    page.locator("#record-need").click()
    expect(page.locator("#need-form")).to_be_visible()
    page.get_by_role("button", name="Simpan").click()  # nothing chosen: refused at the fields, nothing saved
    expect(page.locator(".field-error").first).to_be_visible()
    page.get_by_label("Atau jenis bantuan").select_option("pendidikan")
    page.get_by_label("Untuk siapa").select_option(label="Rahmat (Anak)")
    page.get_by_label("Mengapa dibutuhkan").fill("Butuh seragam dan buku sekolah.")
    _fits(page)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kebutuhan program tercatat dan dikirim untuk ditelaah.")).to_be_visible()
    need = page.locator(".need").first
    expect(need).to_contain_text("Rahmat")
    expect(need).to_contain_text("Dalam penelaahan")
    _fits(page)
    save_screenshot(page, "phone-household-recorded")

    page.locator("#propose-update").click()  # verval's data-update form, opened for this household
    expect(page.locator("#kk")).to_have_value(kk)
    page.get_by_label("Rumah tangga tidak miskin lagi").check()
    page.get_by_role("button", name="Lanjut").click()
    page.locator("#reason").fill("Anak sulung sudah bekerja tetap di pabrik.")
    _fits(page)
    page.get_by_role("button", name="Kirim usulan").click()
    expect(page.get_by_text("Usulan dikirim untuk ditelaah")).to_be_visible()
    page.goto(live_server.url(SLUG, f"/households/{kk}"))
    update = page.locator(".data-updates li").first
    expect(update).to_contain_text("Rumah tangga tidak miskin lagi")
    expect(update).to_contain_text("Dalam penelaahan")
    _fits(page)
