"""The SOP editor over HTTP: any stage or step, approvals by anyone, publishing with a note and a
confirmation, the diff in the region's titles, the format help page.

Tests that change a region through the pages (which commit) put it back with `restore_region`.
No route here takes an id (keys travel in the form), so there is no CROSS_TENANT entry.
"""
import re
import uuid

import pytest
from sqlalchemy import select

from app.casework.models import Case, Partner
from app.casework.sop_drafts import current_draft
from app.casework.sop_store import current_version
from app.casework.step_kinds import REGISTRY
from app.casework.steps import StepInput, take_step
from app.extensions import db
from tests.factories import make_case, member
from tests.helpers.regions import in_region, read_in_region

SLUG = "payakumbuh"
HX = {"HX-Request": "true"}
NEW_POSTS = ["/settings/sop/draft/stages/new", "/settings/sop/draft/stages/move", "/settings/sop/draft/stages/remove",
             "/settings/sop/draft/steps/new", "/settings/sop/draft/steps/details", "/settings/sop/draft/steps/move",
             "/settings/sop/draft/steps/remove", "/settings/sop/draft/approvals"]


def _item(html: str, element_id: str) -> str:
    """The editor's HTML from element `element_id` to the end of its own content (its first list item end)."""
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</li>", start)]


def test_the_editor_and_the_format_page_are_for_configuring_roles_only(staff):
    for role in ("case_officer", "intake_officer", "supervisor"):
        client = staff(role, SLUG)
        assert client.get("/settings/format").status_code == 403
        for path in NEW_POSTS:
            assert client.post(path, data={"key": "analysis"}).status_code == 403, (role, path)
    assert staff("manager", SLUG).get("/settings/format").status_code == 200


def test_the_format_page_renders_format_md_safely_and_is_linked(staff):
    client = staff("unit_head", SLUG)
    page = client.get("/settings/format").get_data(as_text=True)
    assert "Format berkas konfigurasi (YAML)" in page
    assert '<h3 id="canonical-roles">Canonical roles</h3>' in page and 'href="#canonical-roles"' in page
    assert '<div class="overflow-auto" tabindex="0"><table>' in page and '<pre tabindex="0">' in page
    assert "<code>request_referral</code>" in page
    assert "<script" not in page.split('class="format-doc"', 1)[1].split("</article>", 1)[0]
    assert 'href="/settings/format"' in client.get("/settings/transfer").get_data(as_text=True)


def _start(client):
    assert client.post("/settings/sop/draft/start").status_code == 302


def test_a_two_approval_chain_built_in_the_editor_published_and_walked(app, staff, restore_region):
    restore_region(SLUG)
    client = staff("manager", SLUG)
    _start(client)
    prefix = "after-request_referral"
    built = client.post("/settings/sop/draft/approvals", headers=HX, data={
        "key": "request_referral", "where": "after", f"{prefix}-roles": ["manager"], f"{prefix}-sla_hours": "24",
        f"{prefix}-legal_basis": "Pasal 7 ayat (3) huruf f", f"{prefix}-return_to": "analysis"})
    body = built.get_data(as_text=True)
    assert built.status_code == 200 and "<html" not in body
    assert "Tahap persetujuan ditambahkan ke draf." in body and "Draf lolos pemeriksaan." in body
    stage = read_in_region(app, SLUG, lambda: next(s["key"] for s in current_draft().definition["states"]
                                                   if s["label"] == "Menunggu persetujuan Manajer"))
    assert f'id="stage-{stage}"' in body

    refused = client.post("/settings/sop/draft/publish", data={"regulation": "Perwal Payakumbuh 22/2017",
                                                               "confirm": "y"})
    assert refused.status_code == 422 and "Catatan perubahan wajib diisi" in refused.get_data(as_text=True)
    unconfirmed = client.post("/settings/sop/draft/publish", data={"regulation": "Perwal Payakumbuh 22/2017",
                                                                   "note": "Dua persetujuan rujukan"})
    assert unconfirmed.status_code == 422
    assert "Centang konfirmasi untuk menerbitkan." in unconfirmed.get_data(as_text=True)
    assert 'Dua persetujuan rujukan' in unconfirmed.get_data(as_text=True)  # what was typed is kept
    assert read_in_region(app, SLUG, current_draft) is not None
    published = client.post("/settings/sop/draft/publish", data={
        "regulation": "Perwal Payakumbuh 22/2017", "note": "Dua persetujuan rujukan", "confirm": "y"})
    assert published.status_code == 302
    assert read_in_region(app, SLUG, lambda: current_version().note) == "Dua persetujuan rujukan"

    def to_first_approval():
        case = make_case(SLUG)
        partner = db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))).first()
        for key, role, data in (("forward_to_back_office", "intake_officer", StepInput()),
                                ("request_referral", "case_officer",
                                 StepInput(note="Perlu bantuan", partner_id=str(partner.id)))):
            user, membership = member(f"{role}@{SLUG}.demo")
            take_step(case, key, data, user=user, membership=membership, expected_version=case.version)
        return str(case.id), case.version

    case_id, version = in_region(app, SLUG, to_first_approval)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Menunggu persetujuan Manajer" in page
    head = staff("unit_head", SLUG)
    assert f"/cases/{case_id}/steps/" not in head.get(f"/cases/{case_id}").get_data(as_text=True)

    approved = client.post(f"/cases/{case_id}/steps/approve_{stage}",
                           data={f"approve_{stage}-version": str(version), f"approve_{stage}-note": ""})
    assert approved.status_code == 302
    page = head.get(f"/cases/{case_id}").get_data(as_text=True)
    state = re.search(r'<em class="referral-state">([^<]*)</em>', page).group(1)
    assert state == "Menunggu persetujuan Kepala UPT"
    assert "Disetujui" not in page and "approved" not in page
    assert "Kasus menunggu: Kepala UPT." in client.get(f"/cases/{case_id}").get_data(as_text=True)
    version = read_in_region(app, SLUG, lambda: db.session.scalar(select(Case.version).where(
        Case.id == uuid.UUID(case_id))))
    done = head.post(f"/cases/{case_id}/steps/approve_referral",
                     data={"approve_referral-version": str(version), "approve_referral-note": ""})
    assert done.status_code == 302
    page = head.get(f"/cases/{case_id}").get_data(as_text=True)
    assert re.search(r'<em class="referral-state">([^<]*)</em>', page).group(1) == "Disetujui"


def test_a_step_of_each_kind_and_a_stage_through_the_page(app, staff, restore_region):
    restore_region(SLUG)
    client = staff("manager", SLUG)
    _start(client)
    prefix = "newstep-analysis"
    for kind in REGISTRY:
        response = client.post("/settings/sop/draft/steps/new", headers=HX, data={
            "key": "analysis", f"{prefix}-label": f"Uji {kind}", f"{prefix}-kind": kind,
            f"{prefix}-target": "informing", f"{prefix}-roles": ["case_officer"],
            f"{prefix}-legal_basis": "Pasal 7 ayat (5)"})
        assert response.status_code == 200, kind
        assert "Langkah ditambahkan ke draf." in response.get_data(as_text=True)
    steps = read_in_region(app, SLUG, lambda: [t for t in current_draft().definition["transitions"]
                                               if t["label"].startswith("Uji ")])
    assert sorted(t["kind"] for t in steps) == sorted(REGISTRY)

    stage = client.post("/settings/sop/draft/stages/new", headers=HX, data={
        "key": "", "newstage-label": "Menunggu telaah data", "newstage-after": "registered",
        "newstage-sla_hours": "24"})
    body = stage.get_data(as_text=True)
    assert stage.status_code == 200 and 'id="stage-menunggu_telaah_data"' in body
    assert "tidak dapat dicapai" in _item(body, "stage-menunggu_telaah_data")  # shown at the new stage


def test_problems_and_field_errors_show_at_the_step(app, staff, restore_region):
    restore_region(SLUG)
    client = staff("manager", SLUG)
    _start(client)
    prefix = "newstep-analysis"
    missing = client.post("/settings/sop/draft/steps/new", headers=HX, data={
        "key": "analysis", f"{prefix}-label": "Telaah oleh petugas data", f"{prefix}-kind": "forward",
        f"{prefix}-target": "informing", f"{prefix}-roles": ["case_officer"]})
    body = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "Dasar hukum wajib diisi untuk langkah baru." in body
    assert 'value="Telaah oleh petugas data"' in body  # nothing typed is lost
    unheld = client.post("/settings/sop/draft/steps/new", headers=HX, data={
        "key": "analysis", f"{prefix}-label": "Telaah oleh petugas data", f"{prefix}-kind": "forward",
        f"{prefix}-target": "informing", f"{prefix}-roles": ["data_officer"], f"{prefix}-legal_basis": "Pasal 7"})
    body = unheld.get_data(as_text=True)
    assert unheld.status_code == 200
    assert "tidak ada jabatan dengan peran" in _item(body, "step-telaah_oleh_petugas_data")
    assert "masalah harus diperbaiki sebelum diterbitkan" in body

    basis = "step-approve_referral"
    same = read_in_region(app, SLUG, lambda: next(t["legal_basis"] for t in current_draft().definition["transitions"]
                                                  if t["key"] == "approve_referral"))
    refused = client.post("/settings/sop/draft/steps", headers=HX, data={
        "key": "approve_referral", f"{basis}-roles": ["manager"], f"{basis}-legal_basis": same})
    assert refused.status_code == 422
    assert "isi dasar hukum yang baru, atau centang" in _item(refused.get_data(as_text=True), "step-approve_referral")
    confirmed = client.post("/settings/sop/draft/steps", headers=HX, data={
        "key": "approve_referral", f"{basis}-roles": ["manager"], f"{basis}-legal_basis": same,
        f"{basis}-confirm_basis": "y"})
    assert confirmed.status_code == 200
    changes = confirmed.get_data(as_text=True).split('id="changes"', 1)[1]
    assert "Kepala UPT" in changes and "Manajer" in changes  # the diff speaks the region's titles
    assert "Kepala Unit / Ketua / Penanggung Jawab" not in changes


def test_reorder_rename_and_remove_through_the_page(app, staff, restore_region):
    restore_region(SLUG)
    client = staff("manager", SLUG)
    _start(client)

    def analysis_steps():
        return read_in_region(app, SLUG, lambda: [t["key"] for t in current_draft().definition["transitions"]
                                                  if t["from"] == "analysis"])

    assert analysis_steps() == ["handle", "request_referral"]
    moved = client.post("/settings/sop/draft/steps/move", headers=HX, data={"key": "request_referral",
                                                                             "direction": "up"})
    assert moved.status_code == 200 and analysis_steps() == ["request_referral", "handle"]
    assert "urutan langkah" in moved.get_data(as_text=True)  # the diff says so
    client.post("/settings/sop/draft/stages/move", headers=HX, data={"key": "informing", "direction": "up"})
    keys = read_in_region(app, SLUG, lambda: [s["key"] for s in current_draft().definition["states"]])
    assert keys.index("informing") < keys.index("follow_up")
    renamed = client.post("/settings/sop/draft/steps/details", headers=HX, data={
        "key": "handle", "details-handle-label": "Tangani sendiri", "details-handle-kind": "handle",
        "details-handle-target": "informing", "details-handle-note": ""})
    assert renamed.status_code == 200 and "Tangani sendiri" in renamed.get_data(as_text=True)
    removed = client.post("/settings/sop/draft/steps/remove", headers=HX, data={"key": "handle"})
    assert removed.status_code == 200 and analysis_steps() == ["request_referral"]
    refused = client.post("/settings/sop/draft/stages/remove", headers=HX, data={"key": "follow_up"})
    assert refused.status_code == 422 and "perlu tahap tujuan lain" in refused.get_data(as_text=True)
    gone = client.post("/settings/sop/draft/stages/remove", headers=HX, data={
        "key": "follow_up", "remove-follow_up-redirect_to": "informing"})
    assert gone.status_code == 200 and 'id="stage-follow_up"' not in gone.get_data(as_text=True)
    assert "Draf lolos pemeriksaan." in gone.get_data(as_text=True)
    renamed_stage = client.post("/settings/sop/draft/stages", headers=HX, data={
        "key": "informing", "stage-informing-label": "Memberi tahu warga", "stage-informing-sla_hours": "48",
        "stage-informing-confirm_rename": "Memberi tahu warga"})  # a rename is confirmed (test_rename_confirmation)
    assert renamed_stage.status_code == 200 and "Memberi tahu warga" in renamed_stage.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/settings/sop/draft/steps/move", "/settings/sop/draft/steps/remove"])
def test_an_unknown_step_is_refused_in_words(staff, restore_region, path):
    restore_region(SLUG)
    client = staff("manager", SLUG)
    _start(client)
    response = client.post(path, headers=HX, data={"key": "teleport", "direction": "up"})
    assert response.status_code == 422 and "tidak ada dalam draf" in response.get_data(as_text=True)


def test_a_section_form_loads_when_opened_and_without_scripts_by_link(staff, restore_region):
    restore_region(SLUG)
    client = staff("manager", SLUG)
    _start(client)
    editor = client.get("/settings/sop/draft").get_data(as_text=True)
    assert 'name="after-request_referral-legal_basis"' not in editor  # not rendered until opened
    assert 'hx-get="/settings/sop/draft/form?place=after:request_referral"' in editor
    fragment = client.get("/settings/sop/draft/form?place=after:request_referral", headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert 'name="after-request_referral-legal_basis"' in body and "Kepala UPT" in body  # roles by local title
    assert client.get("/settings/sop/draft/form?place=after:teleport", headers=HX).status_code == 404
    plain = client.get("/settings/sop/draft/form?place=newstep:analysis")
    assert plain.status_code == 302 and "open=newstep" in plain.headers["Location"]
    opened = client.get("/settings/sop/draft?open=newstep:analysis").get_data(as_text=True)
    assert 'name="newstep-analysis-label"' in opened
    kinds = re.findall(r'<option[^>]*value="(\w+)"', opened.split('name="newstep-analysis-kind"', 1)[1]
                       .split("</select>", 1)[0])
    assert kinds == list(REGISTRY)  # every kind of the registry is offered


def test_a_yaml_syntax_error_on_import_names_its_line_next_to_the_format_link(staff):
    from io import BytesIO

    client = staff("manager", SLUG)
    bad = "format: 1\nregion:\n  code: \"13.76\"\n slug: payakumbuh\n"
    response = client.post("/settings/transfer/preview", data={"file": (BytesIO(bad.encode()), "rusak.yaml")},
                           content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "baris 4" in body and "YAML tidak sah" in body
    assert 'href="/settings/format"' in body
