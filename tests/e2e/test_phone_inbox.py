"""On a phone (390 px): the inbox is a list of cards, and the home-visit form takes the location
once the person agrees."""
from playwright.sync_api import expect

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login, save_screenshot
from tests.factories import make_case, tenant

PHONE = {"width": 390, "height": 844}
SLUG = "palembang"


def _cases(app, n: int = 3) -> None:
    with app.app_context(), tenant_context(tenant(SLUG)):
        for _ in range(n):
            make_case(SLUG)
        db.session.commit()


def test_the_inbox_is_cards_on_a_phone(app, live_server, new_page):
    _cases(app)
    page = new_page(viewport=PHONE)
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")
    page.goto(live_server.url(SLUG, "/cases/?view=all"))
    rows = page.locator(".case-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.first.evaluate("r => getComputedStyle(r).display") == "block"
    assert page.locator(".case-table thead").evaluate("h => getComputedStyle(h).display") == "none"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, "phone-inbox-cards")


def test_the_home_visit_form_takes_the_location_with_consent(live_server, new_page):
    page = new_page(viewport=PHONE, geolocation={"latitude": -2.9761, "longitude": 104.7754},
                    permissions=["geolocation"])
    login(page, live_server, SLUG, f"facilitator@{SLUG}.demo")
    page.goto(live_server.url(SLUG, "/intake/"))
    expect(page.get_by_label("Kondisi rumah")).to_be_visible()
    assert page.locator("#visit-latitude").input_value() == ""
    page.locator("[data-consent=home-visit]").check()
    expect(page.locator("#visit-latitude")).to_have_value("-2.976100")
    expect(page.locator("#visit-longitude")).to_have_value("104.775400")
    page.locator("[data-consent=home-visit]").uncheck()
    expect(page.locator("#visit-latitude")).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, "phone-home-visit-form")
