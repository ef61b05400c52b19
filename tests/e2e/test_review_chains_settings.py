"""A manager on a phone (390 px) edits who decides a kind of record: adds a stage, sees the
problem at the field, fixes it, presses Enter to save; the chain shows with its articles."""
from playwright.sync_api import expect

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login, save_screenshot
from tests.factories import tenant

PHONE = {"width": 390, "height": 844}
SLUG = "batubara"


def test_manager_edits_a_review_chain_on_a_phone(app, live_server, new_page):
    with app.app_context():
        saved = dict(tenant(SLUG).review_chains)
    try:
        page = new_page(viewport=PHONE)
        login(page, live_server, SLUG, f"manager@{SLUG}.demo")
        page.goto(live_server.url(SLUG, "/settings/reviews"))
        expect(page.get_by_text("Pasal 14 huruf c; Pasal 15 ayat (2) huruf c").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("link", name="Ubah rantai Anggota pindah").click()
        page.get_by_role("button", name="Tambah tahap").click()
        # The new stage goes before the deciding one and reviews; it names no role yet.
        expect(page.locator("#stages-1-action")).to_have_value("decide")
        page.locator("#stages-0-action").select_option("review")
        page.get_by_role("button", name="Simpan rantai", exact=True).last.click()
        expect(page.locator("#stages-0-roles-error")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        save_screenshot(page, "phone-review-chain-errors")
        page.locator("#stages-0-roles").get_by_label("Supervisor").check()
        page.locator("#stages-1-action").select_option("decide")
        page.locator("#stages-1-roles").get_by_label("Supervisor").uncheck()
        page.locator("#stages-1-roles").get_by_label("Manajer").check()
        page.locator("#stages-1-legal_basis").fill("Pasal 11 ayat (2) huruf c")
        page.locator("#stages-0-legal_basis").fill("Pasal 14 huruf c")
        page.locator("#stages-0-legal_basis").press("Enter")
        expect(page.get_by_text("Rantai penelaahan disimpan.")).to_be_visible()
        chain = page.locator("#chain-member_moved")
        expect(chain.get_by_text("Menelaah")).to_be_visible()
        expect(chain.get_by_text("Pasal 11 ayat (2) huruf c")).to_be_visible()
        save_screenshot(page, "phone-review-chain-saved")
    finally:
        with app.app_context():
            region = tenant(SLUG)
            with tenant_context(region):
                region.review_chains = saved
                db.session.commit()
