"""The national administrator sees and rescues a region: its chart, SOP and staff read-only,
its managers' invitations (the link shown while pending), activation with a checklist, and
its former subdomains. Attackers first: region managers and auditors cannot use these routes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.invitations import Invitation
from app.extensions import db
from app.platform.models import PlatformAuditEvent
from app.tenancy.models import Tenant, TenantAlias
from tests.helpers.platform import make_region, unique_slug
from tests.helpers.platform_rescue import RESCUE_ROUTES

#: Contributed to tests/unit/test_cross_tenant_routes.py (platform routes: region staff 404, auditors 403 on writes).
CROSS_TENANT = dict(RESCUE_ROUTES)
PLATFORM_ROUTES = set(RESCUE_ROUTES)

LINK = re.compile(r'value="(http://[^"]+/invite/[^"]+)"')


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


def _invite(admin, tid, email, name="Manajer Kedua", **extra):
    return admin.post(f"/console/regions/{tid}/managers", data={"name": name, "email": email, **extra})


def _open_invitation(app, tid, email) -> Invitation:
    with app.app_context():
        return db.session.scalar(select(Invitation).where(Invitation.tenant_id == tid, Invitation.email == email,
                                                          Invitation.revoked_at.is_(None)))


def _link(admin, tid, email) -> str:
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    block = page.split(f"&lt;{email}&gt;", 1)[1].split("</li>", 1)[0]
    found = LINK.search(block)
    return found.group(1) if found else ""


def _events(app, tid, action) -> list[PlatformAuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(PlatformAuditEvent).where(
            PlatformAuditEvent.tenant_id == tid, PlatformAuditEvent.action == action)))


# --- attackers ------------------------------------------------------------------------

def test_a_region_manager_cannot_use_the_rescue_routes(app, staff, region_ids):
    manager = staff("manager", "cianjur")
    tid = region_ids["cianjur"]
    for path in (f"/console/regions/{tid}/chart", f"/console/regions/{tid}/staff"):
        assert manager.get(path).status_code == 404
    response = manager.post(f"/console/regions/{tid}/managers", data={"name": "X", "email": "x@uji.test"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Invitation).where(Invitation.email == "x@uji.test")) is None


def test_auditor_reads_but_cannot_invite_and_never_sees_a_link(app, admin, auditor):
    tid, _slug = make_region(app, status="onboarding")
    email = f"{unique_slug('m')}@uji.test"
    assert _invite(admin, tid, email).status_code == 302
    assert _link(admin, tid, email).startswith("http://")
    page = auditor.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert email in page and "/invite/" not in page and "Kirim ulang" not in page
    assert _invite(auditor, tid, f"{unique_slug('a')}@uji.test").status_code == 403
    inv = _open_invitation(app, tid, email)
    for action in ("resend", "revoke"):
        assert auditor.post(f"/console/regions/{tid}/invitations/{inv.id}/{action}").status_code == 403
    assert _open_invitation(app, tid, email).revoked_at is None


def test_another_regions_invitation_or_alias_is_404(app, admin, region_ids):
    tid, _slug = make_region(app)
    email = f"{unique_slug('m')}@uji.test"
    _invite(admin, tid, email)
    inv = _open_invitation(app, tid, email)
    other = region_ids["bekasi"]
    assert admin.post(f"/console/regions/{other}/invitations/{inv.id}/revoke").status_code == 404
    with app.app_context():
        alias = TenantAlias(old_slug=unique_slug("lama"), tenant_id=tid)
        db.session.add(alias)
        db.session.commit()
        alias_id = alias.id
    assert admin.post(f"/console/regions/{other}/aliases/{alias_id}/remove").status_code == 404


def test_a_revoked_link_is_dead(app, admin, region_client):
    tid, slug = make_region(app, status="onboarding")
    email = f"{unique_slug('m')}@uji.test"
    _invite(admin, tid, email)
    link = _link(admin, tid, email)
    path = link.split(".slrt.test", 1)[1]
    assert region_client(slug).get(path).status_code == 200
    inv = _open_invitation(app, tid, email)
    assert admin.post(f"/console/regions/{tid}/invitations/{inv.id}/revoke").status_code == 302
    assert region_client(slug).get(path).status_code == 404
    assert _link(admin, tid, email) == ""
    assert _events(app, tid, "region_manager.revoke")


# --- invitations ------------------------------------------------------------------------

def test_resend_keeps_the_link_and_a_used_link_is_never_shown(app, admin, region_client):
    tid, slug = make_region(app, status="onboarding")
    email = f"{unique_slug('m')}@uji.test"
    _invite(admin, tid, email, name="Rina Manajer")
    link = _link(admin, tid, email)
    inv = _open_invitation(app, tid, email)
    assert admin.post(f"/console/regions/{tid}/invitations/{inv.id}/resend").status_code == 302
    assert _link(admin, tid, email) == link and _events(app, tid, "region_manager.resend")
    path = link.split(".slrt.test", 1)[1]
    accepted = region_client(slug).post(path, data={"name": "Rina Manajer", "password": "sandi-rina-2026-aman",
                                                    "confirm": "sandi-rina-2026-aman"})
    assert accepted.status_code == 302
    assert _link(admin, tid, email) == ""  # used: never shown again
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert "diterima" in page
    again = admin.post(f"/console/regions/{tid}/invitations/{inv.id}/resend", follow_redirects=True)
    assert "sudah diterima" in again.get_data(as_text=True)


def test_replace_kills_the_old_link_and_shows_the_new_one(app, admin, region_client):
    tid, slug = make_region(app, status="onboarding")
    wrong, right = f"{unique_slug('salah')}@uji.test", f"{unique_slug('benar')}@uji.test"
    _invite(admin, tid, wrong)
    old = _link(admin, tid, wrong).split(".slrt.test", 1)[1]
    inv = _open_invitation(app, tid, wrong)
    response = admin.post(f"/console/regions/{tid}/invitations/{inv.id}/replace",
                          data={"replace-name": "Manajer Benar", "replace-email": right})
    assert response.status_code == 302
    assert region_client(slug).get(old).status_code == 404
    new = _link(admin, tid, right)
    assert region_client(slug).get(new.split(".slrt.test", 1)[1]).status_code == 200
    assert _events(app, tid, "region_manager.replace")[0].detail["before"] == wrong


def test_an_existing_account_is_named_and_confirmed_and_joins_with_its_own_password(app, admin, region_client):
    tid, slug = make_region(app, status="onboarding")
    email = "manager@bekasi.demo"
    first = _invite(admin, tid, email)
    page = first.get_data(as_text=True)
    assert first.status_code == 422 and "sudah terdaftar di SLRT Cloud" in page
    assert _open_invitation(app, tid, email) is None
    assert _invite(admin, tid, email, existing_ok=email).status_code == 302
    path = _link(admin, tid, email).split(".slrt.test", 1)[1]
    wrong = region_client(slug).post(path, data={"password": "bukan-sandinya-2026"})
    assert wrong.status_code == 422 and "Kata sandi salah" in wrong.get_data(as_text=True)


def test_a_deactivated_account_or_a_second_open_invitation_is_refused(app, admin):
    from app.accounts.models import User

    tid, _slug = make_region(app)
    email = f"{unique_slug('m')}@uji.test"
    assert _invite(admin, tid, email).status_code == 302
    again = _invite(admin, tid, email)
    assert again.status_code == 422 and "Sudah ada undangan terbuka" in again.get_data(as_text=True)
    with app.app_context():
        user = User(email=f"{unique_slug('mati')}@uji.test", name="Akun Mati", active=False)
        user.set_password("sandi-lama-yang-panjang")
        db.session.add(user)
        db.session.commit()
        dead = user.email
    refused = _invite(admin, tid, dead, existing_ok=dead)
    assert refused.status_code == 422 and "dinonaktifkan" in refused.get_data(as_text=True)


def test_the_wizard_invitation_link_stays_on_the_region_page(app, admin):
    from tests.helpers.platform import WIZARD_URL, blank_data

    with app.app_context():
        data = blank_data(manager_email=f"{unique_slug('awal')}@uji.test")
    response = admin.post(WIZARD_URL, data={**data.hidden(), "step": "4"}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        tid = db.session.scalar(select(Tenant.id).where(Tenant.slug == data.slug))
    assert _link(admin, tid, data.manager_email).startswith(f"http://{data.slug}.slrt.test/invite/")
