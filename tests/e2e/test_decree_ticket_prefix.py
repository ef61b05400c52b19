"""In the browser: a manager records a post's appointing decree on the org chart, and changes the
region's ticket prefix; the next complaint's ticket carries it. Screenshots at desktop and phone
widths go to test-results/."""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.platform import make_region

PHONE = {"width": 390, "height": 844}


def shoot(page, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    save_screenshot(page, f"decree-prefix-{name}-1280")
    page.set_viewport_size(PHONE)
    save_screenshot(page, f"decree-prefix-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def _unit(app, slug):
    from sqlalchemy import select

    from app.extensions import db
    from app.org.models import OrgUnit
    from app.org.operations import create_unit
    from app.tenancy.context import tenant_context
    from tests.factories import tenant

    with app.app_context(), tenant_context(tenant(slug)):
        top = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).first()
        unit = create_unit(name="Sekretariat Uji", kind="secretariat", parent=top)
        db.session.commit()
        return unit.id


def test_a_post_gets_its_decree_in_place(new_page, live_server, app):
    _id, slug = make_region(app, accounts=True)
    unit_id = _unit(app, slug)
    manager = new_page()
    login(manager, live_server, slug, f"manager@{slug}.demo")
    manager.goto(live_server.url(slug, "/settings/org/"))
    card = manager.locator(f"#unit-card-{unit_id}")
    card.get_by_role("link", name="+ Jabatan").click()
    card.get_by_label("Nama jabatan (sebutan setempat)").fill("Koordinator Puskesos")
    card.get_by_label("Peran dalam aplikasi").select_option("data_officer")
    card.get_by_label("Pasal", exact=True).fill("Pasal 8 ayat (7)")
    card.get_by_label("Nomor").fill("400/15/Kel/2024")
    card.get_by_label("Tanggal").fill("2024-03-04")
    shoot(manager, "post-form")
    card.get_by_role("button", name="Simpan").click()
    expect(card.locator("#decree_authority-error")).to_contain_text("Tulis siapa yang menetapkan")
    shoot(manager, "post-form-error")
    card.get_by_label("Ditetapkan oleh").fill("Lurah")
    card.get_by_role("button", name="Simpan").click()
    row = card.locator(".position-row", has_text="Koordinator Puskesos")
    expect(row.locator(".decree")).to_have_text("· SK Lurah No. 400/15/Kel/2024 tgl 04-03-2024")
    shoot(manager, "post-card")
    manager.goto(live_server.url(slug, "/org/"))
    expect(manager.locator(".decree", has_text="SK Lurah No. 400/15/Kel/2024")).to_be_visible()


def test_the_manager_changes_the_ticket_prefix_and_the_next_ticket_has_it(new_page, live_server, app):
    _id, slug = make_region(app, accounts=True)
    manager = new_page()
    login(manager, live_server, slug, f"manager@{slug}.demo")
    manager.goto(live_server.url(slug, "/settings/procedure"))
    manager.get_by_role("link", name="Nomor tiket").click()
    expect(manager.get_by_role("heading", name="Nomor tiket", level=1)).to_be_visible()
    field = manager.get_by_label("Awalan nomor tiket")
    field.fill("PALEMBANG")
    manager.get_by_role("button", name="Simpan").click()
    expect(manager.locator("#ticket_prefix-error")).to_contain_text("sudah dipakai Kota Palembang")
    shoot(manager, "ticket-prefix-taken")
    wanted = "T" + uuid.uuid4().hex[:7].upper()
    field.fill(wanted.lower())
    manager.get_by_role("button", name="Simpan").click()
    expect(manager.locator(".flash")).to_contain_text(f"tiket baru berawalan {wanted}")
    expect(manager.locator(".ticket-prefix")).to_have_text(wanted)
    shoot(manager, "ticket-prefix-saved")

    from app.extensions import db
    from app.tenancy.context import tenant_context
    from tests.factories import make_case, tenant

    with app.app_context(), tenant_context(tenant(slug)):
        ticket = make_case(slug).ticket
        db.session.commit()
    assert re.fullmatch(rf"{wanted}-\d{{4}}-000001", ticket)
