"""One region's figures on the console (the comparison's drill-down), and who may reach the
console's new pages: national administrators and auditors read; auditors write nothing; region
staff of every role get 404; every view and download is in the platform audit log."""
from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from app.casework.models import Case
from app.extensions import db
from app.platform.models import PlatformAuditEvent
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.helpers.reports import SLUG, build_known_data

#: Platform routes with ids (tests/unit/test_cross_tenant_routes.py): region staff 404, auditors read.
CROSS_TENANT = {"platform.region_figures_page": ("GET", lambda: {"tenant_id": g.tenant.id})}
PLATFORM_ROUTES = set(CROSS_TENANT)
FEB = "period=month&month=2025-02"
PAGES = ["/console/compare", f"/console/compare?{FEB}&view=referrals", "/console/compare.xlsx",
         "/console/compare.csv", "/console/trends", "/console/?q=bek", "/console/?page=2"]
ROLES = ("manager", "intake_officer", "case_officer", "data_officer", "monitoring_officer", "supervisor",
         "facilitator", "unit_head", "patron")


@pytest.fixture(autouse=True)
def known(app):
    build_known_data(app)


@pytest.fixture()
def as_platform(region_client):
    def make(email):
        client = region_client(None)
        client.login(email)
        return client
    return make


def _region(app) -> Tenant:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        db.session.expunge(tenant)
        return tenant


def _events(app, action: str) -> list[PlatformAuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(PlatformAuditEvent).where(PlatformAuditEvent.action == action)
                                  .order_by(PlatformAuditEvent.at)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def test_region_figures_page_shows_stages_levels_and_trends_without_personal_data(app, as_platform):
    tenant = _region(app)
    with app.app_context(), tenant_context(db.session.get(Tenant, tenant.id)):
        people = [(c.citizen.nik, c.citizen.name) for c in db.session.scalars(select(Case)) if c.citizen]
    auditor = as_platform("auditor@platform.demo")
    response = auditor.get(f"/console/regions/{tenant.id}/figures?{FEB}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kepatuhan batas waktu (SLA) per tahap" in page and "Rujukan menurut tingkat lembaga" in page
    assert "Teregistrasi di Seksi Pengaduan" in page  # the stage in the region's own words
    assert page.count('class="chart trend-chart"') == 7 and "Maret 2024" in page  # twelve months up to Feb
    for nik, name in people:
        assert nik not in page and nik[:6] not in page and name not in page
    fragment = auditor.get(f"/console/regions/{tenant.id}/figures?period=year&year=2025",
                           headers={"HX-Request": "true", "HX-Target": "region-figures"}).get_data(as_text=True)
    assert "<html" not in fragment and "Tahun 2025" in fragment
    longest = auditor.get(f"/console/regions/{tenant.id}/figures?period=custom&start=2023-03-01&end=2026-02-28")
    assert longest.status_code == 200 and len(longest.data) <= 50 * 1024  # three years of months
    bad = auditor.get(f"/console/regions/{tenant.id}/figures?period=month&month=2025-00")
    assert bad.status_code == 422


def test_every_look_at_a_regions_figures_is_audited(app, as_platform):
    tenant = _region(app)
    before = {e.id for e in _events(app, "region_read.figures")}
    as_platform("auditor@platform.demo").get(f"/console/regions/{tenant.id}/figures?{FEB}")
    as_platform("admin@platform.demo").get(f"/console/regions/{tenant.id}/figures?period=year&year=2025")
    new = [e for e in _events(app, "region_read.figures") if e.id not in before]
    assert [(e.actor, e.tenant_id, e.detail["period"]) for e in new] == [
        ("auditor@platform.demo", tenant.id, {"period": "month", "month": "2025-02"}),
        ("admin@platform.demo", tenant.id, {"period": "year", "year": "2025"})]
    views = [e for e in _events(app, "auditor.view") if e.object_id == "platform.region_figures_page"]
    assert views and f"/console/regions/{tenant.id}/figures" in views[-1].detail["path"]


def test_unknown_region_is_404(as_platform):
    assert as_platform("admin@platform.demo").get(
        "/console/regions/00000000-0000-0000-0000-000000000000/figures").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_readers_open_the_pages_and_auditor_views_are_recorded(app, as_platform, path):
    assert as_platform("admin@platform.demo").get(path).status_code == 200
    before = {e.id for e in _events(app, "auditor.view")} | {e.id for e in _events(app, "auditor.download")}
    assert as_platform("auditor@platform.demo").get(path).status_code == 200
    new = [e for e in _events(app, "auditor.view") + _events(app, "auditor.download") if e.id not in before]
    assert len(new) == 1 and new[0].actor == "auditor@platform.demo" and new[0].detail["path"].startswith(
        path.split("?")[0])


@pytest.mark.parametrize("path", [*PAGES, "/console/regions/{id}/figures"])
def test_auditor_and_admin_cannot_post_to_read_pages(app, as_platform, path):
    path = path.format(id=_region(app).id)
    for email in ("auditor@platform.demo", "admin@platform.demo"):
        assert as_platform(email).post(path, data={}).status_code in (403, 405)


@pytest.mark.parametrize("role", ROLES)
def test_region_staff_of_every_role_get_404(app, staff, role):
    tenant = _region(app)
    member = staff(role, "bekasi")
    for path in [*PAGES, f"/console/regions/{tenant.id}/figures"]:
        response = member.get(path)
        assert response.status_code == 404, (role, path)


def test_console_needs_a_login_for_the_new_pages(app, region_client):
    tenant = _region(app)
    for path in [*PAGES, f"/console/regions/{tenant.id}/figures"]:
        response = region_client(None).get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
