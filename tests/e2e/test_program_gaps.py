"""The front office sees which programs a household appears to qualify for but lacks, and refers one:
the gap opens a new case at intake for the head of the household, prefilled, and the case is recorded."""
from datetime import date

from playwright.sync_api import expect

from app.extensions import db
from app.programs.catalogue import seed_national_programs
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login, save_screenshot
from tests.factories import tenant
from tests.helpers.households import Member, add_household, region_village

SLUG = "cianjur"
HEAD_BIRTH = date(1982, 4, 5)


def _household(app) -> dict:
    with app.app_context(), tenant_context(tenant(SLUG)):
        seed_national_programs()
        village = region_village(0)
        head = Member("Euis Komariah", birth_date=HEAD_BIRTH)
        household = add_household([head, Member("Dede Saepul", "child", "L", date(2013, 9, 1))],
                                  village=village, decile=2, housing="decent", programs=["bpnt"])
        db.session.commit()
        return {"kk": household.kk_number, "nik": head.nik, "village": village.code}


def test_the_front_office_sees_a_households_gaps_and_refers_one(app, live_server, new_page):
    household = _household(app)
    page = new_page()
    login(page, live_server, SLUG, f"intake_officer@{SLUG}.demo")
    page.goto(live_server.url(SLUG, f"/households/{household['kk']}"))
    if not page.locator("#program-gaps").count():  # the household page without the gap section
        page.goto(live_server.url(SLUG, f"/programs/gaps/{household['kk']}"))
    gaps = page.locator("#program-gaps")
    expect(gaps).to_contain_text("Program Keluarga Harapan (PKH)")
    expect(gaps).to_contain_text("Program Indonesia Pintar")
    expect(gaps).not_to_contain_text("Program Sembako (BPNT)")  # received: a register flag
    pkh = page.locator("#gap-pkh")
    expect(pkh).to_contain_text("✓ Desil kesejahteraan paling tinggi 4")
    expect(pkh).to_contain_text("Dede Saepul")  # the member who meets "a school-age child"
    save_screenshot(page, "program-gaps")

    pkh.get_by_role("button", name="Rujuk ke program ini").click()
    page.wait_for_url(lambda url: "/intake/" in url)
    expect(page.get_by_text("Catat pengaduan untuk merujuk", exact=False)).to_be_visible()
    expect(page.locator("#nik")).to_have_value(household["nik"])
    page.locator("#kk_number").fill(household["kk"])
    page.locator("#name").fill("Euis Komariah")
    page.locator("#birth_date").fill(HEAD_BIRTH.isoformat())
    page.get_by_label("Perempuan (P)").check()
    page.locator("#address").fill("Kp. Babakan RT 01/RW 02")
    page.locator("#village_code").select_option(household["village"])
    page.locator("#phone").fill("081290011223")
    complaint = page.locator("#complaint")
    if not complaint.input_value():  # intake prefills the complaint from the gap when it reads the query
        complaint.fill("Rujukan ke Program Keluarga Harapan (PKH): tampak memenuhi syarat.")
    page.get_by_label("Sosial", exact=True).check()
    walk_in = page.get_by_label("Datang", exact=False)
    if walk_in.count():
        walk_in.first.check()
    page.get_by_role("button", name="Simpan dan buat tiket").click()
    expect(page.get_by_role("heading", name="Tanda terima pengaduan")).to_be_visible()
    expect(page.get_by_text("Program Keluarga Harapan", exact=False).first).to_be_visible()
    save_screenshot(page, "program-gap-referred")
