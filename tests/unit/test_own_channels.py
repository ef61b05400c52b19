"""A region's own channels in the SOP draft editor: added, changed, refused at the field, published,
used for intake, and not taken out while open cases came in through them; own areas in the routing."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.casework.models import SopVersion
from app.casework.sop_drafts import current_draft
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import make_case, tenant
from tests.helpers.platform import make_region

NEW = "/settings/sop/draft/channels/own/new"


@pytest.fixture(scope="module")
def scratch(app):
    _tid, slug = make_region(app, accounts=True)
    return slug


def _draft(app, slug) -> dict:
    with app.app_context(), tenant_context(tenant(slug)):
        draft = current_draft()
        return dict(draft.definition) if draft else {}


def _entry(app, slug) -> str:
    with app.app_context(), tenant_context(tenant(slug)):
        version = db.session.scalar(select(SopVersion).order_by(SopVersion.number.desc()))
        return next(c["entry"] for c in version.definition["channels"] if c["key"] == "walk_in")


def _new(key, entry, **extra):
    data = {"new-channel-key": key, "new-channel-label": "Konsultasi Uji", "new-channel-maps_to": "walk_in",
            "new-channel-entry": entry, "new-channel-roles": ["intake_officer"],
            "new-channel-legal_basis": "Pasal 1 angka 32"}
    data.update({f"new-channel-{k}": v for k, v in extra.items()})
    return data


def test_manager_adds_changes_and_publishes_an_own_channel_then_removal_waits_for_open_cases(app, staff, scratch):
    client = staff("manager", scratch)
    assert client.post("/settings/sop/draft/start").status_code == 302
    entry = _entry(app, scratch)
    key = f"kon{uuid.uuid4().hex[:6]}"

    added = client.post(NEW, data=_new(key, entry))
    assert added.status_code == 302
    item = next(c for c in _draft(app, scratch)["channels"] if c["key"] == key)
    assert (item["maps_to"], item["entry"], item["role"], item["label"]) == ("walk_in", entry, "intake_officer",
                                                                             "Konsultasi Uji")
    page = client.get("/settings/sop/draft").get_data(as_text=True)
    assert "Jalur milik daerah" in page and "Konsultasi Uji" in page and "dihitung sebagai Datang langsung" in page

    changed = client.post("/settings/sop/draft/channels/own", data={
        "key": key, f"own-channel-{key}-label": "Konsultasi Keluarga", f"own-channel-{key}-maps_to": "walk_in",
        f"own-channel-{key}-entry": entry, f"own-channel-{key}-roles": ["intake_officer"],
        f"own-channel-{key}-legal_basis": "Pasal 1 angka 32"})
    assert changed.status_code == 302
    assert next(c for c in _draft(app, scratch)["channels"] if c["key"] == key)["label"] == "Konsultasi Keluarga"

    published = client.post("/settings/sop/draft/publish", data={
        "regulation": "Perbup Uji 1/2026", "note": "Jalur konsultasi", "confirm": "y"})
    assert published.status_code == 302, published.get_data(as_text=True)[:2000]
    intake = staff("intake_officer", scratch).get("/intake/").get_data(as_text=True)
    assert "Konsultasi Keluarga" in intake

    with app.app_context(), tenant_context(tenant(scratch)):
        case = make_case(scratch, channel=key)
        assert case.channel == key
        db.session.commit()
    client.post("/settings/sop/draft/start")
    refused = client.post("/settings/sop/draft/channels/own/remove", data={"key": key})
    assert refused.status_code == 422
    assert "1 kasus terbuka masuk melalui jalur ini" in refused.get_data(as_text=True)
    assert any(c["key"] == key for c in _draft(app, scratch)["channels"])
    history = client.get("/settings/history").get_data(as_text=True)
    assert "jalur milik daerah" in history


@pytest.mark.parametrize(("extra", "message"), [
    ({"key": "walk_in"}, "Kunci \u201cwalk_in\u201d sudah dipakai jalur bawaan; pilih kunci lain."),
    ({"key": "Jalur Baru"}, "Kunci hanya huruf kecil, angka dan garis bawah, paling banyak 20."),
    ({"maps_to": ""}, "Pilih jalur bawaan tempat jalur ini dihitung dalam angka nasional."),
    ({"maps_to": "drive_thru"}, "Pilih jalur bawaan tempat jalur ini dihitung dalam angka nasional."),
    ({"legal_basis": ""}, "Dasar hukum wajib diisi."),
])
def test_a_wrong_own_channel_is_refused_at_its_field(app, staff, scratch, extra, message):
    client = staff("manager", scratch)
    client.post("/settings/sop/draft/start")
    key = extra.pop("key", f"k{uuid.uuid4().hex[:6]}")
    response = client.post(NEW, data=_new(key, _entry(app, scratch), **extra))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert not any(c["key"] == key and "maps_to" in c for c in _draft(app, scratch)["channels"])


def test_own_channel_editing_needs_the_capability(app, staff, scratch):
    officer = staff("intake_officer", scratch)
    assert officer.post(NEW, data=_new("kx", "registered")).status_code == 403
    assert officer.post("/settings/sop/draft/channels/own/remove", data={"key": "kx"}).status_code == 403


def test_an_unknown_own_channel_key_is_refused_not_found_in_the_draft(app, staff, scratch):
    client = staff("manager", scratch)
    client.post("/settings/sop/draft/start")
    response = client.post("/settings/sop/draft/channels/own/remove", data={"key": "klink"})  # Batu Bara's
    assert response.status_code == 422
    assert "bukan jalur milik daerah di draf ini" in response.get_data(as_text=True)


def test_the_routing_form_has_a_line_for_each_own_area(app, staff, scratch):
    client = staff("manager", scratch)
    key = f"rt_{uuid.uuid4().hex[:6]}"
    client.post("/settings/service-areas", data={"new-area-key": key, "new-area-label": "Bidang Rute Uji",
                                                 "new-area-maps_to": "kesehatan", "new-area-legal_basis": "Pasal 9"})
    client.post("/settings/sop/draft/start")
    page = client.get("/settings/sop/draft").get_data(as_text=True)
    assert f'name="routing-{key}"' in page and "— seperti bidang Kesehatan —" in page
    with app.app_context(), tenant_context(tenant(scratch)):
        routing = dict(current_draft().definition["routing"])
        from app.casework.sop_drafts import back_office_units

        unit = back_office_units()[-1].key
    saved = client.post("/settings/sop/draft/routing", data={
        **{f"routing-{area}": u for area, u in routing.items() if not area.startswith("rt_")},
        f"routing-{key}": unit})
    assert saved.status_code == 302
    assert _draft(app, scratch)["routing"][key] == unit
    with app.app_context(), tenant_context(tenant(scratch)):
        from app.casework.sop_drafts import check_definition

        assert check_definition(current_draft().definition) == []
