"""The console reads a region's chart, SOP and staff (audited), activates it with a checklist,
removes former subdomains, and the wizard names what an uploaded template brings."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.platform.models import PlatformAuditEvent
from app.platform.readiness import region_readiness
from app.tenancy.models import Tenant, TenantAlias
from tests.helpers.platform import WIZARD_URL, blank_data, make_region, unique_slug


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


def _count(app, tid, action) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PlatformAuditEvent).where(
            PlatformAuditEvent.tenant_id == tid, PlatformAuditEvent.action == action))


# --- read-only views -------------------------------------------------------------------

def test_chart_sop_and_staff_are_readable_and_each_view_is_audited(app, admin, auditor, region_ids):
    tid = region_ids["palembang"]
    for client in (admin, auditor):
        chart = client.get(f"/console/regions/{tid}/chart")
        assert chart.status_code == 200 and "Manajer" in chart.get_data(as_text=True)
        assert "Hanya baca" in chart.get_data(as_text=True)
        sop = client.get(f"/console/regions/{tid}/sop").get_data(as_text=True)
        assert "Riwayat versi" in sop and "Versi 1" in sop and "Jalur masuk" in sop
        staff = client.get(f"/console/regions/{tid}/staff").get_data(as_text=True)
        assert "manager@palembang.demo" in staff
    for action in ("region_read.chart", "region_read.sop", "region_read.staff"):
        assert _count(app, tid, action) >= 2


def test_an_old_sop_version_is_shown_as_old_and_an_unknown_one_is_said(admin, region_ids):
    tid = region_ids["bekasi"]
    page = admin.get(f"/console/regions/{tid}/sop?version=1").get_data(as_text=True)
    assert "Versi 1" in page
    missing = admin.get(f"/console/regions/{tid}/sop?version=9999").get_data(as_text=True)
    assert "Versi ini tidak ada." in missing


def test_the_views_show_only_that_region(admin, region_ids):
    page = admin.get(f"/console/regions/{region_ids['bekasi']}/staff").get_data(as_text=True)
    assert "manager@bekasi.demo" in page and "manager@cianjur.demo" not in page


# --- activation checklist --------------------------------------------------------------

def test_readiness_names_unstaffed_posts_and_uncovered_places(app):
    empty, _slug = make_region(app, status="onboarding")
    staffed, _slug2 = make_region(app, status="onboarding", accounts=True)
    with app.app_context():
        bare = region_readiness(db.session.get(Tenant, empty))
        assert not bare.ok and any("Belum ada petugas aktif" in p for p in bare.problems)
        seeded = region_readiness(db.session.get(Tenant, staffed))
        checks = {c.key: c for c in seeded.checks}
        assert checks["staffed"].ok and checks["channels"].ok
        assert any("kecamatan tanpa" in p or "kelurahan/desa tanpa" in p for p in checks["coverage"].problems)


def test_activation_asks_for_confirmation_and_a_reason_while_staff_are_missing(app, admin):
    tid, _slug = make_region(app, status="onboarding")
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert "Daftar periksa sebelum tayang" in page and "Belum ada petugas aktif" in page
    unconfirmed = admin.post(f"/console/regions/{tid}/activate", data={"reason": "Segera dilengkapi"})
    assert unconfirmed.status_code == 422 and 'id="confirm-error"' in unconfirmed.get_data(as_text=True)
    no_reason = admin.post(f"/console/regions/{tid}/activate", data={"confirm": "y"})
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Tenant, tid).status == "onboarding"
    reason = "Manajer melengkapi staf minggu ini"
    done = admin.post(f"/console/regions/{tid}/activate", data={"confirm": "y", "reason": reason})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Tenant, tid).status == "active"
        event = db.session.scalar(select(PlatformAuditEvent).where(PlatformAuditEvent.tenant_id == tid,
                                                                   PlatformAuditEvent.action == "region.activate"))
        assert event.detail["override"] == "Manajer melengkapi staf minggu ini" and event.detail["problems"]
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert "diaktifkan meski daftar periksa belum lengkap" in page


def test_auditor_sees_the_checklist_but_cannot_activate(app, auditor):
    tid, _slug = make_region(app, status="onboarding")
    page = auditor.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert "Aktifkan (tayang)" not in page
    assert auditor.post(f"/console/regions/{tid}/activate", data={"confirm": "y", "reason": "x"}).status_code == 403


# --- former subdomains -----------------------------------------------------------------

def test_a_removed_alias_stops_redirecting_and_is_audited(app, admin, region_client):
    tid, old = make_region(app)
    new = unique_slug("baru")
    assert admin.post(f"/console/regions/{tid}/subdomain", data={"slug": new}).status_code == 302
    assert region_client(old).get("/").status_code == 301
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert f"Hapus {old}" in page and "hx-confirm" in page
    with app.app_context():
        alias_id = db.session.scalar(select(TenantAlias.id).where(TenantAlias.old_slug == old))
    assert admin.post(f"/console/regions/{tid}/aliases/{alias_id}/remove").status_code == 302
    assert region_client(old).get("/").status_code == 404
    assert _count(app, tid, "region.alias_remove") == 1


def test_rename_asks_for_confirmation(app, admin):
    tid, _slug = make_region(app)
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    tag = re.search(r'<form[^>]*action="/console/regions/[^"]+/subdomain"[^>]*>', page).group(0)
    assert "hx-confirm" in tag and "masuk lagi" in tag


# --- the wizard ----------------------------------------------------------------------------

def test_the_wizard_does_not_prefill_the_national_regulation(app, admin):
    with app.app_context():
        data = blank_data(slug="", service_name="", regulation_title="", regulation_short="")
    response = admin.post(WIZARD_URL, data={**data.hidden(), "step": "2"}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'aria-current="step">Layanan' in page
    typed = page.split('name="regulation_title"', 1)[1].split("</textarea>")[0]
    assert "Peraturan Menteri Sosial Nomor 15" not in typed


def test_an_upload_of_another_region_says_so_and_lists_its_names(app, admin):
    from app.tenants.export import export_region, to_yaml

    with app.app_context():
        payakumbuh = db.session.scalar(select(Tenant).where(Tenant.slug == "payakumbuh"))
        from app.tenancy.context import tenant_context

        with tenant_context(payakumbuh):
            text = to_yaml(export_region(payakumbuh))
        data = blank_data(start="upload", slug="", service_name="", regulation_title="", regulation_short="")
        before = db.session.scalar(select(func.count()).select_from(Tenant))
    response = admin.post(WIZARD_URL, data={**data.hidden(), "step": "2",
                                            "template_file": (io.BytesIO(text.encode()), "payakumbuh.yaml")},
                          content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Berkas ini adalah templat Kota Payakumbuh" in page
    assert "UPT-PSPK" in page and "<mark>" in page
    assert "Peraturan Walikota Payakumbuh" not in page.split('name="regulation_title"', 1)[1].split("</textarea>")[0]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tenant)) == before
