"""A manager changes the region's procedure in the browser; open cases keep the old rule.

Payakumbuh's referrals are approved by the Kepala UPT (unit_head). The manager makes the
Manajer the approver and publishes: a case already waiting for approval still waits for
the Kepala UPT, a case opened afterwards waits for the Manajer. The region is put back
as it was afterwards (by importing its own export).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import login, save_screenshot

SLUG = "payakumbuh"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture()
def payakumbuh(restored_region):
    """Run code in Payakumbuh (committed); the region's configuration is restored afterwards."""
    return restored_region


def case_waiting_for_referral_approval():
    """A walk-in case taken through the front and back office to the referral approval."""
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
    assert case.state == "referral_approval"
    return str(case.id), case.ticket


def approve_button(page):
    return page.locator("#steps").get_by_role("button", name="Setujui rujukan", exact=True)


def test_manager_makes_the_manajer_the_referral_approver(new_page, live_server, payakumbuh):
    old_case, old_ticket = payakumbuh(case_waiting_for_referral_approval)

    manager = new_page(viewport=WIDTHS["desktop"])
    login(manager, live_server, SLUG, f"manager@{SLUG}.demo")
    manager.goto(live_server.url(SLUG, "/settings/sop/"))
    step = manager.locator("li", has=manager.get_by_text("Setujui rujukan", exact=True)).first
    expect(step).to_contain_text("Kepala UPT")
    manager.get_by_role("button", name="Ubah prosedur (buat draf)").click()
    manager.wait_for_url(re.compile(r"/settings/sop/draft$"))

    item = manager.locator("#step-approve_referral")
    item.get_by_text("Ubah yang mengambil langkah ini").click()
    item.get_by_label(re.compile(r"^\s*Kepala UPT")).uncheck()
    item.get_by_label("Manajer", exact=True).check()
    item.get_by_label("Dasar hukum ini tetap berlaku untuk yang baru mengambil langkah ini").check()
    expect(item.get_by_label("Terapkan juga pada langkah pengembalian dari tahap yang sama")).to_be_checked()
    item.get_by_role("button", name="Simpan langkah").click()
    expect(manager.locator("#step-approve_referral .saved")).to_have_text("Tersimpan di draf.")
    stage = manager.locator("#stage-referral_approval")
    stage.get_by_text("Ubah nama tahap dan batas waktu", exact=True).click()
    stage.get_by_label("Nama tahap", exact=True).fill("Menunggu persetujuan rujukan oleh Manajer")
    stage.get_by_role("button", name="Simpan tahap").click()
    expect(stage.locator(".rename-confirm")).to_contain_text("Ubah nama tahap ini?")  # asked by the server
    stage.get_by_role("button", name="Ya, ubah nama tahap").click()
    expect(manager.locator("#stage-referral_approval h3")).to_contain_text("oleh Manajer")
    changes = manager.locator("#changes")
    expect(changes).to_contain_text("Setujui rujukan")
    approver_change = changes.locator("li", has_text="Setujui rujukan").first
    expect(approver_change).to_contain_text("Kepala UPT")
    expect(approver_change).to_contain_text("Manajer")
    expect(manager.locator(".draft-status")).to_contain_text("Draf lolos pemeriksaan")
    save_screenshot(manager, "settings-sop-draft-approver-changed")

    manager.get_by_label(re.compile(r"^\s*Catatan perubahan")).fill("Persetujuan rujukan dialihkan ke Manajer")
    manager.get_by_label(re.compile(r"Saya sudah memeriksa perubahan")).check()
    manager.get_by_role("button", name=re.compile(r"^Terbitkan versi \d+$")).click()
    manager.wait_for_url(re.compile(r"/settings/sop/$"))
    expect(manager.locator(".flash-success")).to_contain_text("diterbitkan")
    newest = manager.locator("#versions tbody tr").first
    expect(newest).to_contain_text("berlaku")
    expect(newest).to_contain_text("Persetujuan rujukan dialihkan ke Manajer")
    expect(newest).to_contain_text("(demo)")  # the publisher's name
    step = manager.locator("li", has=manager.get_by_text("Setujui rujukan", exact=True)).first
    expect(step).to_contain_text("Manajer")
    save_screenshot(manager, "settings-sop-published")

    new_case, new_ticket = payakumbuh(case_waiting_for_referral_approval)

    head = new_page(viewport=WIDTHS["desktop"])
    login(head, live_server, SLUG, f"unit_head@{SLUG}.demo")
    head.goto(live_server.url(SLUG, f"/cases/{old_case}"))
    expect(head.get_by_role("heading", name=old_ticket)).to_be_visible()
    expect(approve_button(head).first).to_be_visible()
    head.goto(live_server.url(SLUG, f"/cases/{new_case}"))
    expect(head.get_by_role("heading", name=new_ticket)).to_be_visible()
    expect(approve_button(head)).to_have_count(0)

    manager.goto(live_server.url(SLUG, f"/cases/{old_case}"))
    expect(approve_button(manager)).to_have_count(0)
    manager.goto(live_server.url(SLUG, f"/cases/{new_case}"))
    expect(approve_button(manager).first).to_be_visible()
    save_screenshot(manager, "settings-sop-new-case-waits-for-manajer")


PAGES = [("procedure", "/settings/procedure"), ("sop", "/settings/sop/"), ("draft", "/settings/sop/draft"),
         ("partners", "/settings/partners/"), ("partner-new", "/settings/partners/new"),
         ("terms", "/settings/terms"), ("history", "/settings/history"), ("transfer", "/settings/transfer")]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_settings_pages_at_desktop_and_phone_width(new_page, live_server, payakumbuh, width):
    page = new_page(viewport=WIDTHS[width])
    login(page, live_server, SLUG, f"unit_head@{SLUG}.demo")
    page.goto(live_server.url(SLUG, "/settings/sop/"))
    page.get_by_role("button", name="Ubah prosedur (buat draf)").click()
    page.wait_for_url(re.compile(r"/settings/sop/draft$"))
    for name, path in PAGES:
        page.goto(live_server.url(SLUG, path))
        expect(page.locator("main h1")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width} width"
        save_screenshot(page, f"settings-{name}-{width}")
    page.goto(live_server.url(SLUG, "/settings/sop/draft"))
    page.get_by_role("button", name="Buang draf").click()
    page.wait_for_url(re.compile(r"/settings/sop/$"))


def test_export_then_import_a_changed_file_in_the_browser(new_page, live_server, payakumbuh):
    import yaml

    from app.tenants.export import to_yaml

    page = new_page(viewport=WIDTHS["desktop"])
    login(page, live_server, SLUG, f"manager@{SLUG}.demo")
    page.goto(live_server.url(SLUG, "/settings/transfer"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh berkas YAML").click()
    assert re.fullmatch(rf"{SLUG}-konfigurasi-\d{{4}}-\d{{2}}-\d{{2}}\.yaml", download.value.suggested_filename)
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    data = yaml.safe_load(exported)
    next(s for s in data["sop"]["states"] if s["key"] == "analysis")["sla_hours"] = 96
    data["partners"][0]["contact"] = "Jl. Sudirman No. 1, Payakumbuh"

    upload = page.get_by_label(re.compile(r"^\s*Berkas konfigurasi"))
    upload.set_input_files({"name": "payakumbuh.yaml", "mimeType": "application/yaml", "buffer": exported.encode()})
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("heading", name="Pratinjau impor")).to_be_visible()
    expect(page.get_by_text("Tidak ada perbedaan")).to_be_visible()  # the round trip, in the browser

    page.goto(live_server.url(SLUG, "/settings/transfer"))
    upload = page.get_by_label(re.compile(r"^\s*Berkas konfigurasi"))
    upload.set_input_files({"name": "payakumbuh-baru.yaml", "mimeType": "application/yaml",
                            "buffer": to_yaml(data).encode()})
    page.get_by_role("button", name="Periksa berkas").click()
    changes = page.locator(".change-list")
    expect(changes).to_contain_text("Jl. Sudirman No. 1, Payakumbuh")
    expect(changes).to_contain_text("72 jam")
    expect(changes).to_contain_text("96 jam")
    save_screenshot(page, "settings-import-preview-desktop")
    page.set_viewport_size(WIDTHS["phone"])
    save_screenshot(page, "settings-import-preview-phone")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(r"/settings/history$"))
    expect(page.locator(".flash-success")).to_contain_text("diterapkan")
    expect(page.locator(".history-list li").first).to_contain_text("Konfigurasi diimpor dari berkas")
    save_screenshot(page, "settings-history-after-import-phone")
