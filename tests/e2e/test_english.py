"""The English interface in a real browser: switch on the login page, log in, work a case."""
import re

from playwright.sync_api import expect

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import save_screenshot
from tests.factories import make_case, tenant

SLUG = "payakumbuh"


def _new_case(app) -> str:
    with app.app_context(), tenant_context(tenant(SLUG)):
        case = make_case(SLUG)
        db.session.commit()
        return case.ticket


def test_switch_to_english_then_log_in_and_open_a_case(app, live_server, page):
    ticket = _new_case(app)
    page.goto(live_server.url(SLUG, "/login"))
    expect(page.locator("html")).to_have_attribute("lang", "id")  # the browser asks for Indonesian
    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label(re.compile(r"^\s*Email")).fill(f"intake_officer@{SLUG}.demo")
    page.get_by_label(re.compile(r"^\s*Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Cases", exact=True)).to_be_visible()

    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name=ticket, exact=True).click()
    expect(page.get_by_role("heading", name="Steps you can take")).to_be_visible()
    expect(page.get_by_text("Citizen", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    save_screenshot(page, "case-page-in-english")

    page.get_by_role("button", name="Bahasa Indonesia").click()  # and back again
    expect(page.get_by_role("heading", name="Langkah yang dapat Anda ambil")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")
