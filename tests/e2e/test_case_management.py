"""Correcting a citizen's data and withdrawing a case, in the browser, as the staff who may."""
from __future__ import annotations

import uuid

from playwright.sync_api import expect

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.e2e.conftest import login
from tests.factories import citizen_data, make_case, tenant

SLUG = "bekasi"


def _case(app) -> tuple[str, str]:
    with app.app_context(), tenant_context(tenant(SLUG)):
        case = make_case(SLUG, data=citizen_data(SLUG, name=f"Sri Wahyunii {uuid.uuid4().hex[:4]}"))
        facts = str(case.id), case.ticket
        db.session.commit()
        return facts


def test_intake_officer_corrects_a_misspelt_name(app, live_server, page):
    case_id, ticket = _case(app)
    login(page, live_server, SLUG, f"intake_officer@{SLUG}.demo")
    page.goto(live_server.url(SLUG, f"/cases/{case_id}"))
    page.get_by_role("link", name="Koreksi data warga dan keluhan").click()
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Sri Wahyuni")
    page.get_by_role("button", name="Simpan koreksi").click()
    expect(page.locator(".field-error")).to_contain_text("Alasan wajib diisi.")
    expect(page.get_by_label("Nama lengkap (sesuai KTP)")).to_have_value("Sri Wahyuni")  # nothing typed is lost
    page.get_by_label("Alasan koreksi").fill("Nama salah ketik saat pendaftaran")
    page.get_by_role("button", name="Simpan koreksi").click()
    expect(page.get_by_role("heading", name=ticket)).to_be_visible()
    expect(page.locator("article.citizen")).to_contain_text("Sri Wahyuni")
    expect(page.locator("ol.events > li").last).to_contain_text("Nama salah ketik saat pendaftaran")


def test_manager_withdraws_a_case_with_a_reason(app, live_server, page):
    case_id, ticket = _case(app)
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")
    page.goto(live_server.url(SLUG, f"/cases/{case_id}"))
    withdraw = page.locator("#manage form[action$='/withdraw']")
    page.locator("#manage summary", has_text="Tarik kasus").click()
    withdraw.locator("button[type=submit]").click()
    expect(page.locator(".field-error")).to_contain_text("Alasan wajib diisi.")
    page.locator("#withdraw-reason").fill("Warga mencabut pengaduannya")
    withdraw.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Kasus ditarik.")
    expect(page.locator(".case-status")).to_contain_text("Ditarik")
    expect(page.locator("ol.events > li").last).to_contain_text("Warga mencabut pengaduannya")
    page.goto(live_server.url(SLUG, "/cases/?view=closed"))
    expect(page.get_by_role("link", name=ticket, exact=True)).to_be_visible()
