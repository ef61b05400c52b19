"""A case per region through its whole SOP, in the browser, as the staff the SOP names."""
from datetime import date

import pytest
from playwright.sync_api import expect

from app.tenancy.context import tenant_context
from tests.e2e.casework_walker import Walker, fill_intake, ticket_on
from tests.e2e.conftest import login, save_screenshot
from tests.factories import make_kk, make_nik, tenant, village_of

REGIONS = ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"]


def _citizen(app, slug, phone):
    with app.app_context(), tenant_context(tenant(slug)):
        village = village_of(slug)
        birth = date(1979, 8, 17)
        return {"nik": make_nik(village.code, birth, "P"), "kk": make_kk(village.code),
                "village": village.code, "birth": birth.isoformat(), "phone": phone}


@pytest.mark.parametrize("slug", REGIONS)
def test_walk_in_case_through_the_regions_own_sop(app, live_server, new_page, slug):
    citizen = _citizen(app, slug, phone=f"08129{REGIONS.index(slug)}001234")
    front = new_page()
    login(front, live_server, slug, f"intake_officer@{slug}.demo")
    front.get_by_role("link", name="Pengaduan baru").click()
    fill_intake(front, citizen)
    walk_in = front.get_by_label("Datang", exact=False)
    if walk_in.count() and walk_in.first.is_visible():  # a choice of channels (e.g. Batu Bara's KLINK)
        walk_in.first.check()
    front.get_by_role("button", name="Simpan dan buat tiket").click()
    expect(front.get_by_role("heading", name="Tanda terima pengaduan")).to_be_visible()
    ticket = ticket_on(front)

    walker = Walker(app, live_server, new_page, slug)
    walker.pages[f"intake_officer@{slug}.demo"] = front
    keys = walker.walk_to_close(ticket)
    assert walker.returned_referral, f"{slug}: the referral was never returned once"
    assert "approve_referral" in keys and keys.count("request_referral") == 2

    case_page = walker.page_for(f"manager@{slug}.demo")
    case_page.goto(live_server.url(slug, "/cases/?view=closed"))
    case_page.get_by_role("link", name=ticket, exact=True).click()
    timeline = case_page.locator("ol.events > li")
    expect(timeline).to_have_count(len(keys) + 1)  # intake + every step
    expect(case_page.locator("ol.events")).to_contain_text("Pasal")
    save_screenshot(case_page, f"case-closed-{slug}")

    public = new_page()  # the citizen, not logged in
    public.goto(live_server.url(slug, "/status"))
    public.get_by_label("Nomor tiket").fill(ticket)
    public.get_by_label("4 angka terakhir", exact=False).fill(citizen["phone"][-4:])
    public.get_by_role("button").last.click()
    expect(public.locator("main")).to_contain_text("Selesai")
    expect(public.locator("main")).not_to_contain_text("Sri Wahyuni")


@pytest.mark.parametrize("slug", ["cianjur", "palembang"])
def test_facilitators_home_visit_is_approved_by_the_supervisor(app, live_server, new_page, slug):
    citizen = _citizen(app, slug, phone="081377700011")
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, live_server, slug, f"facilitator@{slug}.demo")
    phone.goto(live_server.url(slug, "/intake/"))
    fill_intake(phone, citizen, name="Ujang Supriatna", area="Pendidikan")
    phone.get_by_role("button", name="Simpan dan buat tiket").click()
    expect(phone.get_by_role("heading", name="Tanda terima pengaduan")).to_be_visible()
    ticket = ticket_on(phone)
    expect(phone.locator("main")).to_contain_text("Supervisor")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone, f"facilitator-intake-{slug}")

    # The secretariat does not see it before the supervisor approves.
    front = new_page()
    login(front, live_server, slug, f"intake_officer@{slug}.demo")
    front.goto(live_server.url(slug, f"/cases/?q={ticket}"))
    expect(front.get_by_role("link", name=ticket, exact=True)).to_have_count(0)

    walker = Walker(app, live_server, new_page, slug)
    case = walker.case(ticket)
    assert case.state == "field_review"
    approve = next(t for t in case.sop_version.sop.transitions_from("field_review") if t.kind == "approve")
    walker.act(ticket, approve)
    assert walker.case(ticket).state == approve.target
