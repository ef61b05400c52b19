"""The SOP configuration pages over HTTP: access, the readable procedure, the draft editor.

Tests that change a region through the pages (which commit) put it back afterwards with
`restore_region`, by importing the export taken before the test.
"""
import re
import uuid

import pytest
from sqlalchemy import select

from app.casework.models import Partner, SopVersion
from app.casework.sop_drafts import current_draft, held_roles
from app.casework.sop_store import current_version
from app.extensions import db
from app.org.vocabulary import ROLES
from app.tenancy.models import utcnow
from tests.factories import member
from tests.helpers.regions import read_in_region


def _version():
    return {"version_id": current_version().id}


def _partner(retired=True):
    """A new partner, retired so that the owner's own request leaves the active list as it was."""
    partner = Partner(name=f"Mitra uji {uuid.uuid4().hex[:8]}", level="regency", kind="opd",
                      retired_at=utcnow() if retired else None)
    db.session.add(partner)
    db.session.flush()
    return {"partner_id": partner.id}


def _active_partner():
    """A partner already active: reactivating it (the owner's request) changes nothing."""
    return {"partner_id": db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))).first().id}


CROSS_TENANT = {
    "settings_sop.version": ("GET", _version),
    "settings_sop.partner_edit": ("GET", _partner),
    "settings_sop.partner_retire": ("POST", _partner),
    "settings_sop.partner_reactivate": ("POST", _active_partner),
    "settings_sop.partner_delete": ("POST", _partner),
}

PAGES = ["/settings/procedure", "/settings/sop/", "/settings/partners/", "/settings/partners/new",
         "/settings/terms", "/settings/history", "/settings/transfer", "/settings/transfer/export"]


@pytest.mark.parametrize("path", PAGES)
def test_only_configuring_roles_reach_the_pages(staff, path):
    assert staff("case_officer", "cianjur").get(path).status_code == 403
    assert staff("intake_officer", "cianjur").get(path).status_code == 403
    assert staff("manager", "cianjur").get(path).status_code == 200
    assert staff("unit_head", "cianjur").get(path).status_code == 200


def test_posts_are_refused_to_other_roles(staff):
    client = staff("case_officer", "cianjur")
    for path in ("/settings/sop/draft/start", "/settings/sop/draft/publish", "/settings/partners/new",
                 "/settings/terms", "/settings/transfer/preview"):
        assert client.post(path, data={}).status_code == 403


def test_the_procedure_reads_with_local_titles_sla_and_legal_basis(staff):
    page = staff("unit_head", "payakumbuh").get("/settings/sop/").get_data(as_text=True)
    assert "Menunggu persetujuan rujukan oleh Kepala UPT" in page
    assert "Kepala UPT" in page and "Setujui rujukan" in page
    assert '<span class="citation-text">Pasal 7 ayat (5) (kedua) huruf d</span>' in page  # with its kind badge
    assert "huruf d Perwal Payakumbuh" not in page  # the regulation is named once, not after each article
    assert "Pasal yang tidak menyebut peraturannya adalah pasal Perwal Payakumbuh 22/2017." in page
    assert "2 hari (48 jam)" in page
    assert "Datang ke UPT-PSPK" in page and "Back Office (bagian rujukan keluhan)" in page  # channels, routing
    assert re.search(r"Versi \d+</a>", page)


def test_an_old_version_can_be_read(app, staff):
    version_id = read_in_region(app, "cianjur", lambda: current_version().id)
    page = staff("manager", "cianjur").get(f"/settings/sop/versions/{version_id}")
    assert page.status_code == 200
    assert staff("manager", "cianjur").get(f"/settings/sop/versions/{uuid.uuid4()}").status_code == 404


def test_draft_edit_validate_diff_publish(app, staff, restore_region):
    restore_region("batubara")
    client = staff("manager", "batubara")
    assert client.get("/settings/sop/draft").status_code == 302  # no draft yet
    assert client.post("/settings/sop/draft/start").status_code == 302
    page = client.get("/settings/sop/draft").get_data(as_text=True)
    assert "Draf SOP versi" in page and "Belum ada perubahan." in page

    definition = read_in_region(app, "batubara", lambda: current_draft().definition)
    step = next(t for t in definition["transitions"] if t["kind"] == "approve" and t["from"] == "referral_approval")
    prefix = f"step-{step['key']}"
    # No role chosen: 422, the message at the field and the typed legal basis kept.
    bad = client.post("/settings/sop/draft/steps", data={"key": step["key"], f"{prefix}-legal_basis": "Pasal 99"},
                      headers={"HX-Request": "true"})
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert "<html" not in body and "Pilih minimal satu peran." in body and 'value="Pasal 99"' in body

    new_role = "case_officer"  # a role Batu Bara holds (it has no unit_head post)
    ok = client.post("/settings/sop/draft/steps", headers={"HX-Request": "true"},
                     data={"key": step["key"], f"{prefix}-roles": [new_role], f"{prefix}-legal_basis": "Pasal 99",
                           f"{prefix}-with_pair": "y"})
    assert ok.status_code == 200
    assert "Tersimpan di draf." in ok.get_data(as_text=True) and "Pasal 99" in ok.get_data(as_text=True)

    # Without htmx the same edit redirects back to the editor.
    stage_prefix = "stage-referral_approval"
    response = client.post("/settings/sop/draft/stages", data={
        "key": "referral_approval", f"{stage_prefix}-label": "Menunggu persetujuan rujukan (uji)",
        f"{stage_prefix}-sla_hours": "12", f"{stage_prefix}-confirm_rename": "Menunggu persetujuan rujukan (uji)"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#stage-referral_approval")
    page = client.get("/settings/sop/draft").get_data(as_text=True)
    assert "12 jam" in page and "Menunggu persetujuan rujukan (uji)" in page

    before = read_in_region(app, "batubara", lambda: current_version().number)
    published = client.post("/settings/sop/draft/publish", data={"regulation": "Perbup Batu Bara (uji)",
                                                                 "note": "Uji penerbitan", "confirm": "y"})
    assert published.status_code == 302
    version = read_in_region(app, "batubara", current_version)
    assert version.number == before + 1 and version.regulation == "Perbup Batu Bara (uji)"
    assert version.definition["regulation"] == "Perbup Batu Bara (uji)"
    listing = client.get("/settings/sop/").get_data(as_text=True)
    user, _m = read_in_region(app, "batubara", lambda: member("manager@batubara.demo"))
    assert user.name in listing and "Uji penerbitan" in listing
    history = client.get("/settings/history?kind=sop").get_data(as_text=True)
    assert "SOP versi baru diterbitkan" in history and "Draf SOP diubah" in history


def test_publish_is_refused_while_the_draft_has_problems(app, staff, restore_region):
    restore_region("batubara")
    client = staff("manager", "batubara")
    client.post("/settings/sop/draft/start")
    definition = read_in_region(app, "batubara", lambda: current_draft().definition)
    step = definition["transitions"][0]
    unheld = sorted(set(ROLES) - read_in_region(app, "batubara", held_roles))[0]
    client.post("/settings/sop/draft/steps", data={"key": step["key"], f"step-{step['key']}-roles": [unheld],
                                                    f"step-{step['key']}-legal_basis": "Pasal 1"})
    page = client.get("/settings/sop/draft").get_data(as_text=True)
    assert "tidak ada jabatan dengan peran" in page
    before = read_in_region(app, "batubara", lambda: current_version().id)
    response = client.post("/settings/sop/draft/publish", data={"regulation": "x"})
    assert response.status_code == 422
    assert read_in_region(app, "batubara", lambda: current_version().id) == before
    assert client.post("/settings/sop/draft/discard").status_code == 302
    assert read_in_region(app, "batubara", current_draft) is None


def test_add_and_remove_a_supervisor_approval_through_the_pages(app, staff, restore_region):
    restore_region("palembang")
    client = staff("manager", "palembang")
    client.post("/settings/sop/draft/start")
    missing = client.post("/settings/sop/draft/reviews", data={"key": "forward_to_back_office",
                                                               "review-forward_to_back_office-label": "Tinjau"})
    assert missing.status_code == 422
    assert "Dasar hukum wajib diisi untuk langkah baru." in missing.get_data(as_text=True)
    client.post("/settings/sop/draft/reviews", data={
        "key": "forward_to_back_office", "review-forward_to_back_office-label": "Menunggu persetujuan Supervisor",
        "review-forward_to_back_office-sla_hours": "24", "review-forward_to_back_office-legal_basis": "Pasal 21"})
    keys = read_in_region(app, "palembang", lambda: [s["key"] for s in current_draft().definition["states"]])
    assert "registered_review" in keys
    client.post("/settings/sop/draft/reviews/remove", data={"key": "analysis_review"})
    keys = read_in_region(app, "palembang", lambda: [s["key"] for s in current_draft().definition["states"]])
    assert "analysis_review" not in keys
    page = client.get("/settings/sop/draft").get_data(as_text=True)
    assert "Ditambah" in page and "Dihapus" in page


def test_drafts_are_never_used_for_new_cases(app, staff, restore_region):
    restore_region("batubara")
    staff("manager", "batubara").post("/settings/sop/draft/start")
    status = read_in_region(app, "batubara", lambda: db.session.scalar(
        select(SopVersion.status).where(SopVersion.id == current_version().id)))
    assert status == "published"
