"""In the browser: a manager gives a new post an inferred legal basis from another regulation; the
org chart shows the kind and names that regulation, and the region's own regulation is not glued to
the article. Screenshots at desktop and phone widths go to test-results/."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import login, save_screenshot
from tests.helpers.platform import make_region

PHONE = {"width": 390, "height": 844}


def shoot(page, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    save_screenshot(page, f"citations-{name}-1280")
    page.set_viewport_size(PHONE)
    save_screenshot(page, f"citations-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def _top_unit(app, slug):
    from sqlalchemy import select

    from app.extensions import db
    from app.org.models import OrgUnit
    from app.tenancy.context import tenant_context
    from tests.factories import tenant

    with app.app_context(), tenant_context(tenant(slug)):
        return db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).first().id


def test_a_post_cites_an_inferred_article_of_another_regulation(new_page, live_server, app):
    _id, slug = make_region(app, accounts=True)
    unit_id = _top_unit(app, slug)
    manager = new_page()
    login(manager, live_server, slug, f"manager@{slug}.demo")
    manager.goto(live_server.url(slug, "/settings/org/"))
    card = manager.locator(f"#unit-card-{unit_id}")
    card.get_by_role("link", name="+ Jabatan").click()
    card.get_by_label("Nama jabatan (sebutan setempat)").fill("Analis Data Uji")
    card.get_by_label("Peran dalam aplikasi").select_option("data_officer")
    card.get_by_label("Jenis dasar hukum").select_option("inferred")
    card.get_by_label("Peraturan lain").fill("Permensos 15/2018")
    card.get_by_role("button", name="Simpan").click()
    expect(card.locator("#legal_basis-error")).to_contain_text("kebijakan setempat")
    expect(card.get_by_label("Peraturan lain")).to_have_value("Permensos 15/2018")  # nothing typed is lost
    shoot(manager, "post-form-error")
    card.get_by_label("Pasal", exact=True).fill("Pasal 12 huruf <b>d</b>")
    card.get_by_role("button", name="Simpan").click()
    row = card.locator(".position-row", has_text="Analis Data Uji")
    expect(row.locator(".citation-kind")).to_have_text("disimpulkan")
    expect(row.locator(".citation-regulation")).to_have_text("(Permensos 15/2018)")
    expect(row.locator(".citation-text")).to_have_text("Pasal 12 huruf <b>d</b>")  # escaped, shown as typed
    shoot(manager, "post-card")
    manager.goto(live_server.url(slug, "/settings/sop/"))
    expect(manager.locator(".citation-kind").first).to_be_visible()
    own = "Pasal yang tidak menyebut peraturannya adalah pasal Perbup Uji 1/2026."
    expect(manager.get_by_text(own)).to_be_visible()
    shoot(manager, "procedure")
