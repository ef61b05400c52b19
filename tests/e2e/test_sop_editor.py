"""A manager builds a referral approval chain in the browser, on a phone; a case walks through it.

Payakumbuh's referrals are approved by the Kepala UPT. The Manajer adds, in the draft editor
only, an approval by the Manajer after the back office's referral proposal, publishes it with a
note and a confirmation, and a case goes through both approvals in order: after the first the
referral waits for the Kepala UPT (by that title), and only the last approval says "Disetujui".
The region's configuration is put back afterwards (by importing its own export).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import login, save_screenshot

SLUG = "payakumbuh"
PHONE = {"width": 390, "height": 844}
FIRST_APPROVAL = "Setujui (Manajer): Usulkan rujukan ke pengelola program"


@pytest.fixture()
def region(restored_region):
    """Run code in Payakumbuh (committed); the region's configuration is restored afterwards."""
    return restored_region


def case_with_a_referral_proposed():
    """A walk-in case through the front office to the back office's referral proposal."""
    from app.casework.models import Partner
    from app.casework.steps import StepInput, take_step
    from app.extensions import db
    from tests.factories import make_case, member

    case = make_case(SLUG)
    partner = db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))).first()
    for key, email, data in (("forward_to_back_office", f"intake_officer@{SLUG}.demo", StepInput()),
                             ("request_referral", f"case_officer@{SLUG}.demo",
                              StepInput(note="Perlu bantuan biaya berobat", partner_id=str(partner.id)))):
        user, membership = member(email)
        take_step(case, key, data, user=user, membership=membership, expected_version=case.version)
    return str(case.id)


def take(page, label):
    """Open a step on the case page and take it (its summary and its button carry the label)."""
    steps = page.locator("#steps")
    steps.locator("summary", has_text=label).click()
    steps.locator("form").get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("tercatat")


def test_manager_builds_a_two_approval_chain_and_a_case_walks_it(new_page, live_server, region):
    manager = new_page(viewport=PHONE)
    login(manager, live_server, SLUG, f"manager@{SLUG}.demo")
    manager.goto(live_server.url(SLUG, "/settings/sop/"))
    manager.get_by_role("button", name="Ubah prosedur (buat draf)").click()
    manager.wait_for_url(re.compile(r"/settings/sop/draft$"))

    proposal = manager.locator("#step-request_referral")
    proposal.get_by_text("Tambah persetujuan sesudah langkah ini", exact=True).click()
    proposal.get_by_label("Manajer", exact=True).check()
    proposal.get_by_role("group", name="Dasar hukum").get_by_label("Pasal", exact=True).fill("Pasal 7 ayat (3) huruf f")
    proposal.get_by_label(re.compile(r"^\s*Batas waktu")).fill("24")
    expect(proposal.get_by_label(re.compile(r"^\s*Bila dikembalikan"))).to_have_value("analysis")
    proposal.scroll_into_view_if_needed()
    save_screenshot(manager, "sop-editor-approval-form-phone")
    proposal.get_by_role("button", name="Tambah tahap persetujuan").click()

    stage = manager.locator(".draft-stage", has=manager.get_by_role("heading", name=re.compile(
        r"Menunggu persetujuan Manajer$")))
    expect(stage).to_contain_text("Tahap persetujuan ditambahkan ke draf.")
    expect(stage).to_contain_text(FIRST_APPROVAL)
    expect(manager.locator(".draft-status")).to_contain_text("Draf lolos pemeriksaan")
    changes = manager.locator("#changes")
    expect(changes).to_contain_text("Menunggu persetujuan Manajer")
    expect(changes).not_to_contain_text("Kepala Unit / Ketua / Penanggung Jawab")
    overflow = manager.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the editor scrolls sideways by {overflow}px on a phone"
    save_screenshot(manager, "sop-editor-chain-phone")

    publish = manager.get_by_role("button", name=re.compile(r"^Terbitkan versi \d+$"))
    publish.click()  # no note, no confirmation: refused at the fields
    expect(manager.locator("#publish")).to_contain_text("Catatan perubahan wajib diisi")
    manager.get_by_label(re.compile(r"^\s*Catatan perubahan")).fill("Rujukan disetujui Manajer, lalu Kepala UPT")
    manager.get_by_label(re.compile(r"Saya sudah memeriksa perubahan")).check()
    manager.get_by_role("button", name=re.compile(r"^Terbitkan versi \d+$")).click()
    manager.wait_for_url(re.compile(r"/settings/sop/$"))
    expect(manager.locator(".flash-success")).to_contain_text("diterbitkan")
    expect(manager.locator("#versions tbody tr").first).to_contain_text("Rujukan disetujui Manajer, lalu Kepala UPT")

    case_id = region(case_with_a_referral_proposed)
    manager.goto(live_server.url(SLUG, f"/cases/{case_id}"))
    state = manager.locator(".referral-state")
    expect(state).to_have_text("Menunggu persetujuan Manajer")
    take(manager, FIRST_APPROVAL)
    expect(state).to_have_text("Menunggu persetujuan Kepala UPT")
    expect(manager.locator("main")).not_to_contain_text("Disetujui")
    expect(manager.locator("#steps")).to_contain_text("Kasus menunggu: Kepala UPT.")
    save_screenshot(manager, "sop-editor-case-waits-for-second-approval-phone")

    head = new_page(viewport=PHONE)
    login(head, live_server, SLUG, f"unit_head@{SLUG}.demo")
    head.goto(live_server.url(SLUG, f"/cases/{case_id}"))
    expect(head.locator(".referral-state")).to_have_text("Menunggu persetujuan Kepala UPT")
    take(head, "Setujui rujukan")
    expect(head.locator(".referral-state")).to_have_text("Disetujui")
    save_screenshot(head, "sop-editor-case-approved-phone")


def test_the_editor_and_the_format_page_pass_axe_and_fit_a_phone(new_page, live_server, region):
    from axe_playwright_python.sync_playwright import Axe

    page = new_page(viewport=PHONE)
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")
    page.goto(live_server.url(SLUG, "/settings/sop/"))
    page.get_by_role("button", name="Ubah prosedur (buat draf)").click()
    page.wait_for_url(re.compile(r"/settings/sop/draft$"))
    analysis = page.locator("#stage-analysis")
    analysis.get_by_text("Tambah langkah dari tahap ini", exact=True).click()
    expect(analysis.get_by_label(re.compile(r"^\s*Jenis langkah"))).to_be_visible()
    page.locator("#step-handle").get_by_text("Ubah nama, jenis dan tujuan langkah", exact=True).click()
    expect(page.locator("#step-handle").get_by_label(re.compile(r"^\s*Lalu ke tahap"))).to_be_visible()
    for path in (None, "/settings/format"):
        if path:
            page.goto(live_server.url(SLUG, path))
        page.wait_for_load_state("networkidle")
        found = [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}" for v in Axe().run(page).response["violations"]
                 if v.get("impact") in ("serious", "critical")]
        assert found == [], found
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path or 'the editor'} scrolls sideways by {overflow}px on a phone"
    save_screenshot(page, "sop-format-help-phone")
