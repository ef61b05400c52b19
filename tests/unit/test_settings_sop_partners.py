"""Partners, terminology and the configuration history over HTTP."""
import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.casework.models import Partner, Referral
from app.extensions import db
from app.org.models import OrgUnit
from app.tenancy.models import Tenant
from tests.factories import make_case
from tests.helpers.regions import read_in_region

SLUG = "bekasi"


def _form(name, **extra):
    return {"name": name, "level": "province", "kind": "ngo", "contact": "0751-123", "service_areas": ["kesehatan"],
            **extra}


def _partner(app, name):
    return read_in_region(app, SLUG, lambda: db.session.scalar(select(Partner).where(Partner.name == name)))


def test_add_edit_retire_reactivate_delete(app, staff):
    client = staff("manager", SLUG)
    name = f"Yayasan Uji {uuid.uuid4().hex[:6]}"
    assert client.post("/settings/partners/new", data=_form(name)).status_code == 302
    partner = _partner(app, name)
    assert (partner.level, partner.kind, partner.service_areas) == ("province", "ngo", "kesehatan")
    assert name in client.get("/settings/partners/").get_data(as_text=True)

    edited = client.post(f"/settings/partners/{partner.id}",
                         data=_form(name, service_areas=["kesehatan", "sosial"], contact="Jl. Uji 1"))
    assert edited.status_code == 302
    assert _partner(app, name).service_areas == "kesehatan,sosial"

    client.post(f"/settings/partners/{partner.id}/retire")
    assert _partner(app, name).retired_at is not None
    assert f"<strong>{name}</strong>" not in client.get("/settings/partners/").get_data(as_text=True)
    assert f"<strong>{name}</strong>" in client.get("/settings/partners/?status=retired").get_data(as_text=True)
    client.post(f"/settings/partners/{partner.id}/reactivate")
    assert _partner(app, name).retired_at is None

    page = client.get(f"/settings/partners/{partner.id}").get_data(as_text=True)
    assert "masih dapat dihapus" in page
    assert client.post(f"/settings/partners/{partner.id}/delete").status_code == 302
    assert _partner(app, name) is None

    history = client.get("/settings/history?kind=partner").get_data(as_text=True)
    for title in ("Lembaga mitra ditambahkan", "Lembaga mitra diubah", "Lembaga mitra dinonaktifkan",
                  "Lembaga mitra diaktifkan kembali", "Lembaga mitra dihapus"):
        assert title in history
    assert "Kesehatan → Kesehatan, Sosial" in history  # before → after, in words


def test_duplicate_name_is_refused_at_the_field_with_typed_values_kept(app, staff):
    client = staff("manager", SLUG)
    existing = read_in_region(app, SLUG, lambda: db.session.scalars(select(Partner)).first().name)
    response = client.post("/settings/partners/new", data=_form(existing.upper(), contact="Kontak yang diketik"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "sudah ada di daftar" in page and "Kontak yang diketik" in page
    assert client.post("/settings/partners/new", data=_form("", level="nowhere")).status_code == 422


def test_a_partner_in_use_is_retired_not_deleted(app, staff):
    def refer():
        partner = Partner(name=f"Dipakai {uuid.uuid4().hex[:6]}", level="regency", kind="opd")
        db.session.add(partner)
        db.session.flush()
        case = make_case(SLUG)
        db.session.add(Referral(case_id=case.id, partner_id=partner.id, reason="uji"))
        db.session.commit()
        return partner.id

    partner_id = read_in_region(app, SLUG, refer)
    client = staff("unit_head", SLUG)
    page = client.get(f"/settings/partners/{partner_id}").get_data(as_text=True)
    assert "tidak dapat dihapus" in page and f"/settings/partners/{partner_id}/delete" not in page
    response = client.post(f"/settings/partners/{partner_id}/delete")
    assert response.status_code == 409
    assert read_in_region(app, SLUG, lambda: db.session.scalar(select(Partner).where(Partner.id == partner_id)))
    client.post(f"/settings/partners/{partner_id}/retire")


def test_terms_and_unit_names(app, staff, restore_region):
    restore_region("payakumbuh")
    client = staff("manager", "payakumbuh")
    page = client.get("/settings/terms").get_data(as_text=True)
    assert 'value="Daftar Penerima Manfaat SLRT"' in page
    units = read_in_region(app, "payakumbuh", lambda: db.session.scalars(
        select(OrgUnit).where(OrgUnit.retired_at.is_(None)).order_by(OrgUnit.sort_order)).all())
    data = {"service_name": "UPT-PSPK Payakumbuh", "service_full_name": "", "welfare_register": "DPM SLRT",
            "secretariat": "UPT-PSPK", "coordination_team": "", "welfare_center": "PUSKESOS"}
    for i, unit in enumerate(units):
        data[f"units-{i}-key"] = unit.key
        data[f"units-{i}-name"] = "Bagian Depan (uji)" if unit.key == "front_office" else unit.name
    assert client.post("/settings/terms", data=data).status_code == 302
    region = read_in_region(app, "payakumbuh",
                            lambda: db.session.scalar(select(Tenant).where(Tenant.slug == "payakumbuh")))
    assert region.service_name == "UPT-PSPK Payakumbuh" and region.term("welfare_register", "") == "DPM SLRT"
    assert "coordination_team" not in region.terminology  # emptied: the default word again
    assert "UPT-PSPK Payakumbuh" in client.get("/settings/procedure").get_data(as_text=True)  # the header uses it
    history = client.get("/settings/history").get_data(as_text=True)
    assert "Nama layanan dan istilah diubah" in history and "UPT-PSPK → UPT-PSPK Payakumbuh" in history
    assert "Bagian Depan (uji)" in history

    data["service_name"] = ""
    data["units-0-name"] = ""
    refused = client.post("/settings/terms", data=data)
    assert refused.status_code == 422
    assert "Nama layanan wajib diisi." in refused.get_data(as_text=True)
    assert "Nama unit wajib diisi." in refused.get_data(as_text=True)


def test_history_shows_only_this_regions_configuration(app, staff):
    client = staff("manager", "cianjur")
    name = f"Mitra Cianjur {uuid.uuid4().hex[:6]}"
    client.post("/settings/partners/new", data=_form(name))
    partner_id = read_in_region(app, "cianjur",
                                lambda: db.session.scalar(select(Partner.id).where(Partner.name == name)))
    client.post(f"/settings/partners/{partner_id}/delete")
    page = client.get("/settings/history").get_data(as_text=True)
    assert "Lembaga mitra ditambahkan" in page
    bekasi_names = read_in_region(app, SLUG, lambda: [e.detail.get("name") for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "config.partner.create"))])
    assert not any(n and n in page for n in bekasi_names)
    assert "case.open" not in page
    assert client.get("/settings/history?kind=nonsense&page=99").status_code == 200
