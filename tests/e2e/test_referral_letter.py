"""A referral sent in the browser gives a letter on the case page whose QR code opens the region's
verification page, which confirms the letter's number (and shows nothing about the citizen)."""
from __future__ import annotations

import subprocess

from playwright.sync_api import expect

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login, save_screenshot
from tests.factories import tenant
from tests.helpers.letters import send_referral

SLUG = "bekasi"
FETCH = """async (href) => {
  const response = await fetch(href);
  return [response.headers.get("content-type"), Array.from(new Uint8Array(await response.arrayBuffer()))];
}"""


def _approved_referral(app):
    with app.app_context(), tenant_context(tenant(SLUG)):
        case = send_referral(SLUG, until="send_referral", name="Warga Surat Rujukan")
        facts = {"id": str(case.id), "ticket": case.ticket, "name": case.citizen.name, "nik": case.citizen.nik}
        db.session.commit()
        return facts


def _qr_url(pdf: bytes, tmp_path) -> str:
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "letter.pdf"),
                    str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    return subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True,
                          check=True).stdout.decode().strip()


def test_letter_from_the_case_page_is_confirmed_by_its_qr_code(app, live_server, new_page, tmp_path):
    case = _approved_referral(app)
    officer = new_page()
    login(officer, live_server, SLUG, f"case_officer@{SLUG}.demo")
    officer.goto(live_server.url(SLUG, f"/cases/{case['id']}"))
    panel = officer.locator("details.step", has=officer.locator("summary", has_text="Kirim rujukan"))
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    panel.locator("button[type=submit]").click()
    expect(officer.locator(".flash-success")).to_contain_text("Kirim rujukan")

    link = officer.locator("a.referral-letter")
    expect(link).to_have_count(1)
    number = link.inner_text().split(" ", 2)[-1].removesuffix(" (PDF)")
    # Fetched by the page itself (Chromium resolves *.localhost; Playwright's own request client does not).
    kind, body = officer.evaluate(FETCH, link.get_attribute("href"))
    assert kind == "application/pdf"
    url = _qr_url(bytes(body), tmp_path)
    assert url.startswith(live_server.url(SLUG, "/verify/"))

    citizen_or_partner = new_page()  # anyone holding the letter, not logged in
    citizen_or_partner.goto(url)
    expect(citizen_or_partner.locator(".letter-number")).to_have_text(number)
    expect(citizen_or_partner.locator("main")).to_contain_text("asli")
    expect(citizen_or_partner.locator("main")).not_to_contain_text(case["name"])
    expect(citizen_or_partner.locator("main")).not_to_contain_text(case["nik"][-4:])
    save_screenshot(citizen_or_partner, "referral-letter-verified")
