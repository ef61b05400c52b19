"""Renaming a stage of the SOP draft or a post of the org chart is confirmed on the server.

Without the confirmation field the server answers with a confirmation step (the old and the new
name, and what the rename affects: open cases in the stage, the post's holders and the cases
waiting for its role) and saves nothing; the same new name sent back confirmed is saved, and
the rename is in the configuration history.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.casework.sop_drafts import current_draft
from app.extensions import db
from app.org.models import Position
from tests.factories import make_case
from tests.helpers.platform import make_region
from tests.helpers.regions import in_region, read_in_region

HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def region(app):
    """A throwaway region from the blank structure, one demo account per post, two open cases just registered."""
    _tid, slug = make_region(app, accounts=True)
    in_region(app, slug, lambda: [make_case(slug) for _ in range(2)])
    return slug


def _stage_label(app, slug, key):
    return read_in_region(app, slug, lambda: next(
        s["label"] for s in current_draft().definition["states"] if s["key"] == key))


def _stage_form(key, label, sla="24", **extra):
    prefix = f"stage-{key}"
    return {"key": key, f"{prefix}-label": label, f"{prefix}-sla_hours": sla, f"{prefix}-legal_basis": "Pasal 1",
            **{f"{prefix}-{k}": v for k, v in extra.items()}}


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_a_stage_rename_asks_first_then_saves_and_is_in_the_history(app, region_client, region):
    client = region_client(region)
    client.login(f"manager@{region}.demo")
    assert client.post("/settings/sop/draft/start").status_code == 302
    old = _stage_label(app, region, "registered")

    asked = client.post("/settings/sop/draft/stages", headers=HX, data=_stage_form("registered", "Pendaftaran"))
    page = _text(asked)
    assert asked.status_code == 200 and "<html" not in page
    assert "Ubah nama tahap ini?" in page and f"<del>{old}</del>" in page and "<ins>Pendaftaran</ins>" in page
    assert "2 kasus terbuka sedang di tahap ini" in page and "halaman cek status pengaduan" in page
    assert re.search(r'name="stage-registered-confirm_rename"[^>]*value="Pendaftaran"', page) or \
        re.search(r'value="Pendaftaran"[^>]*name="stage-registered-confirm_rename"', page)
    assert "Ya, ubah nama tahap" in page
    assert _stage_label(app, region, "registered") == old  # nothing saved

    # A confirmation of another name confirms nothing: asked again, for the name now typed.
    other = client.post("/settings/sop/draft/stages", headers=HX,
                        data=_stage_form("registered", "Pendaftaran ulang", confirm_rename="Pendaftaran"))
    assert "Ubah nama tahap ini?" in _text(other) and _stage_label(app, region, "registered") == old

    done = client.post("/settings/sop/draft/stages", headers=HX,
                       data=_stage_form("registered", "Pendaftaran", confirm_rename="Pendaftaran"))
    assert done.status_code == 200 and "Tersimpan di draf." in _text(done)
    assert "Ubah nama tahap ini?" not in _text(done)
    assert _stage_label(app, region, "registered") == "Pendaftaran"

    history = _text(client.get("/settings/history?kind=sop"))
    assert "Draf SOP diubah" in history and f"nama: {old} → Pendaftaran" in history


def test_changing_a_stage_without_renaming_it_asks_nothing(app, region_client, region):
    client = region_client(region)
    client.login(f"manager@{region}.demo")
    client.post("/settings/sop/draft/start")
    label = _stage_label(app, region, "analysis")
    response = client.post("/settings/sop/draft/stages", headers=HX, data=_stage_form("analysis", label, sla="60"))
    assert response.status_code == 200 and "Ubah nama tahap ini?" not in _text(response)
    assert read_in_region(app, region, lambda: next(
        s for s in current_draft().definition["states"] if s["key"] == "analysis"))["sla_hours"] == 60


def test_a_stage_only_the_draft_has_is_renamed_without_asking(app, region_client, region):
    client = region_client(region)
    client.login(f"manager@{region}.demo")
    client.post("/settings/sop/draft/start")
    client.post("/settings/sop/draft/stages/new", headers=HX, data={
        "newstage-label": "Tahap Uji Baru", "newstage-after": "analysis", "newstage-sla_hours": "24"})
    key = read_in_region(app, region, lambda: next(
        s["key"] for s in current_draft().definition["states"] if s["label"] == "Tahap Uji Baru"))
    response = client.post("/settings/sop/draft/stages", headers=HX, data=_stage_form(key, "Tahap Uji Dinamai"))
    assert "Ubah nama tahap ini?" not in _text(response) and _stage_label(app, region, key) == "Tahap Uji Dinamai"


def test_without_scripts_the_confirmation_is_a_page_with_the_form_open(app, region_client, region):
    client = region_client(region)
    client.login(f"manager@{region}.demo")
    client.post("/settings/sop/draft/start")
    response = client.post("/settings/sop/draft/stages", data=_stage_form("informing", "Kabari warga"))
    page = _text(response)
    assert response.status_code == 200 and "<html" in page and "Ubah nama tahap ini?" in page
    assert re.search(r'<details class="edit" open>\s*<summary>Ubah nama tahap dan batas waktu', page)


def _post_form(position, **changes):
    return {"title": position.title, "role": position.role, "legal_basis": position.legal_basis or "Pasal 1",
            "ex_officio": position.ex_officio or "", "area_level": position.area_level or "", **changes}


def test_a_post_rename_asks_first_with_its_holders_then_saves_and_is_in_the_history(app, region_client, region):
    manager = region_client(region)
    manager.login(f"manager@{region}.demo")
    position = read_in_region(app, region, lambda: db.session.scalar(
        select(Position).where(Position.role == "case_officer", Position.retired_at.is_(None))))
    url = f"/settings/org/positions/{position.id}/edit"
    headers = {**HX, "HX-Target": f"unit-card-{position.unit_id}"}

    asked = manager.post(url, headers=headers, data=_post_form(position, title="Petugas Layanan dan Rujukan"))
    page = _text(asked)
    assert asked.status_code == 200 and "Ubah nama jabatan ini?" in page
    assert f"<del>{position.title}</del>" in page and "<ins>Petugas Layanan dan Rujukan</ins>" in page
    assert "Dipegang 1 orang:" in page and "Riwayat kasus dan surat rujukan yang sudah terbit" in page
    assert "Ya, ubah nama jabatan" in page and 'name="confirm_title"' in page
    assert read_in_region(app, region, lambda: db.session.get(Position, (position.tenant_id, position.id)).title) \
        == position.title

    done = manager.post(url, headers=headers, data=_post_form(position, title="Petugas Layanan dan Rujukan",
                                                              confirm_title="Petugas Layanan dan Rujukan"))
    assert done.status_code == 200 and "Ubah nama jabatan ini?" not in _text(done)
    assert read_in_region(app, region, lambda: db.session.get(Position, (position.tenant_id, position.id)).title) \
        == "Petugas Layanan dan Rujukan"
    event = read_in_region(app, region, lambda: db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "config.position.update")
        .order_by(AuditEvent.at.desc())).first())
    assert event.detail["before"]["title"] == position.title
    assert event.detail["after"]["title"] == "Petugas Layanan dan Rujukan"
    history = _text(manager.get("/settings/history?kind=position"))
    assert f"{position.title} → Petugas Layanan dan Rujukan" in history


def test_a_post_rename_says_how_many_open_cases_wait_for_its_role(app, region_client, region):
    manager = region_client(region)
    manager.login(f"manager@{region}.demo")
    position = read_in_region(app, region, lambda: db.session.scalar(
        select(Position).where(Position.role == "intake_officer", Position.retired_at.is_(None))))
    asked = manager.post(f"/settings/org/positions/{position.id}/edit",
                         data=_post_form(position, title="Petugas Penerima Pengaduan"))
    page = _text(asked)
    # The module's two cases are registered: they wait for the front office (other tests may add more).
    waiting = int(re.search(r"(\d+) kasus terbuka sedang menunggu peran ini", page).group(1))
    assert asked.status_code == 200 and "<html" in page and waiting >= 2


def test_editing_a_post_without_renaming_it_asks_nothing(app, region_client, region):
    manager = region_client(region)
    manager.login(f"manager@{region}.demo")
    position = read_in_region(app, region, lambda: db.session.scalar(
        select(Position).where(Position.role == "supervisor", Position.retired_at.is_(None))))
    response = manager.post(f"/settings/org/positions/{position.id}/edit",
                            data=_post_form(position, legal_basis="Pasal 9 ayat (2)"))
    assert response.status_code == 302
    assert read_in_region(app, region, lambda: db.session.get(
        Position, (position.tenant_id, position.id)).legal_basis) == "Pasal 9 ayat (2)"
