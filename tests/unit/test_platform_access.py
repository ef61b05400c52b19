"""Who may use the platform console: national administrators do, auditors read, region staff don't.

Region staff never reach the console: at their region's host every console URL is a 404
(the console exists only on the apex), and at the apex they cannot open a session (no
platform role: the login answers 422 "not registered at the national console"); a region's
session cookie is host-only and bound to its realm, so even copied to the apex it is not a
login. Auditors get 403 on every write and on the administrator-only pages, and cannot log in
at a region (no membership), so a region's staff pages send them to a login that refuses them.
"""
from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.conftest import DEMO_PASSWORD


def _region_id():
    return {"tenant_id": g.tenant.id}


def _auditor_id():
    return {"user_id": db.session.scalar(select(User.id).where(User.email == "auditor@platform.demo"))}


#: Platform routes with ids (see tests/unit/test_cross_tenant_routes.py): a region's manager
#: at a region host gets 404; an auditor gets 403 on the writes.
CROSS_TENANT = {
    "platform.region": ("GET", _region_id),
    "platform.activate_region": ("POST", _region_id),
    "platform.suspend_region": ("POST", _region_id),
    "platform.rename_region": ("POST", _region_id),
    "platform.deactivate_user": ("POST", _auditor_id),
    "platform.reactivate_user": ("POST", _auditor_id),
}
PLATFORM_ROUTES = set(CROSS_TENANT)

READ_PAGES = ["/console/", "/console/compare", "/console/audit", "/console/audit.csv"]
ADMIN_PAGES = ["/console/regions/new", "/console/users"]
WRITES = ["/console/regions/new", "/console/users"]


@pytest.fixture()
def as_platform(region_client):
    def make(email):
        client = region_client(None)
        client.login(email)
        return client
    return make


@pytest.mark.parametrize("path", READ_PAGES + ADMIN_PAGES)
def test_national_admin_opens_every_page(as_platform, path):
    assert as_platform("admin@platform.demo").get(path).status_code == 200


@pytest.mark.parametrize("path", READ_PAGES)
def test_auditor_reads(as_platform, path):
    assert as_platform("auditor@platform.demo").get(path).status_code == 200


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_auditor_gets_403_on_administrator_pages(as_platform, path):
    assert as_platform("auditor@platform.demo").get(path).status_code == 403


@pytest.mark.parametrize("path", WRITES)
def test_auditor_gets_403_on_every_write(as_platform, path):
    assert as_platform("auditor@platform.demo").post(path, data={"step": "4"}).status_code == 403


def test_every_console_write_is_covered_here_or_by_the_cross_tenant_test(app):
    writes = {r.endpoint for r in app.url_map.iter_rules()
              if r.endpoint.startswith("platform.") and "POST" in r.methods}
    covered = {"platform.onboard", "platform.invite_user"} | {e for e, (m, _b) in CROSS_TENANT.items() if m == "POST"}
    assert writes <= covered


@pytest.mark.parametrize("path", READ_PAGES + ADMIN_PAGES)
def test_console_needs_a_login(region_client, path):
    response = region_client(None).get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", READ_PAGES + ADMIN_PAGES)
def test_region_staff_get_404_at_their_host(staff, path):
    assert staff("manager", "bekasi").get(path).status_code == 404


def test_region_staff_cannot_open_a_console_session(region_client, staff):
    response = region_client(None).post("/login", data={"email": "manager@bekasi.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 422
    assert "Akun ini tidak terdaftar di konsol nasional." in response.get_data(as_text=True)
    # A region's session cookie, copied to the apex, is no login there.
    member = staff("manager", "bekasi")
    cookie = member.client.get_cookie("session", domain="bekasi.slrt.test")
    apex = region_client(None)
    apex.client.set_cookie("session", cookie.value, domain="slrt.test")
    response = apex.get("/console/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_auditor_cannot_work_in_a_region(region_client, as_platform):
    refused = region_client("bekasi").post("/login", data={"email": "auditor@platform.demo",
                                                           "password": DEMO_PASSWORD})
    assert refused.status_code == 422
    auditor = as_platform("auditor@platform.demo")
    cookie = auditor.client.get_cookie("session", domain="slrt.test")
    region = region_client("bekasi")
    region.client.set_cookie("session", cookie.value, domain="bekasi.slrt.test")
    for path in ("/home", "/cases/", "/org/"):
        response = region.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_navigation_matches_the_role(as_platform):
    admin = as_platform("admin@platform.demo").get("/console/").get_data(as_text=True)
    auditor = as_platform("auditor@platform.demo").get("/console/").get_data(as_text=True)
    for label in ("Perbandingan", "Jejak audit"):
        assert label in admin and label in auditor
    assert 'href="/console/users"' in admin and 'href="/console/users"' not in auditor


# The console's rescue routes (issue 12): a region's chart, SOP and staff read-only, its
# managers' invitations, its former subdomains. Same rules: region staff 404, auditors 403 on writes.
from tests.helpers.platform_rescue import RESCUE_ROUTES  # noqa: E402

CROSS_TENANT.update(RESCUE_ROUTES)
PLATFORM_ROUTES |= set(RESCUE_ROUTES)
