"""Platform users: national administrators invite and deactivate administrators and auditors."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.invitations import Invitation
from app.accounts.models import User
from app.accounts.outbox import OutboundEmail
from app.extensions import db
from app.platform.models import PlatformAuditEvent
from tests.helpers.platform import unique_slug


@pytest.fixture()
def admin(region_client):
    client = region_client(None)
    client.login("admin@platform.demo")
    return client


#: Invitation links as shown once to the inviter (the outbox keeps none), by email.
LINKS: dict[str, str] = {}


def _invite(admin, role="auditor", **extra):
    email = f"{unique_slug('pengguna')}@kemensos.example.id"
    response = admin.post("/console/users", data={"name": "Pengguna Uji", "email": email, "role": role, **extra})
    if response.status_code == 302:
        flashed = admin.get(response.headers["Location"]).get_data(as_text=True)
        LINKS[email] = re.search(r"https?://[^/\s]+(/invite/[A-Za-z0-9_-]+)", flashed).group(1)
    return email, response


def _accept(app, region_client, email) -> None:
    with app.app_context():
        body = db.session.scalar(select(OutboundEmail.body).where(OutboundEmail.to == email))
    path = LINKS[email]
    assert path not in body
    response = region_client(None).post(path, data={"name": "Pengguna Uji", "password": "kata-sandi-uji-1",
                                                    "confirm": "kata-sandi-uji-1"})
    assert response.status_code == 302


def test_list_shows_platform_users(admin):
    page = admin.get("/console/users").get_data(as_text=True)
    assert "admin@platform.demo" in page and "auditor@platform.demo" in page
    assert "manager@bekasi.demo" not in page


def test_invite_an_auditor_who_then_logs_in_at_the_apex(app, admin, region_client):
    email, response = _invite(admin)
    assert response.status_code == 302
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == email))
        assert invitation.platform_role == "auditor" and invitation.tenant_id is None
        event = db.session.scalar(select(PlatformAuditEvent).where(PlatformAuditEvent.object_id == str(invitation.id)))
        assert event.action == "platform_user.invite" and event.tenant_id is None
    assert email in admin.get("/console/users").get_data(as_text=True)
    _accept(app, region_client, email)
    client = region_client(None)
    client.login(email, "kata-sandi-uji-1")
    assert client.get("/console/compare").status_code == 200
    assert client.get("/console/users").status_code == 403  # an auditor


def test_invite_checks_its_fields(admin):
    response = admin.post("/console/users", data={"name": "", "email": "bukan-email", "role": "auditor"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nama wajib diisi." in page and "Format email tidak sah." in page
    assert 'value="bukan-email"' in page
    response = admin.post("/console/users", data={"name": "X", "email": "x@kemensos.example.id", "role": "raja"})
    assert response.status_code == 422
    response = admin.post("/console/users", data={"name": "X", "email": "auditor@platform.demo", "role": "auditor"})
    assert response.status_code == 422 and "sudah menjadi pengguna platform" in response.get_data(as_text=True)


def test_deactivation_ends_sessions_and_login(app, admin, region_client):
    email, _ = _invite(admin, role="national_admin")
    _accept(app, region_client, email)
    other = region_client(None)
    other.login(email, "kata-sandi-uji-1")
    assert other.get("/console/").status_code == 200
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    assert admin.post(f"/console/users/{user_id}/deactivate").status_code == 302
    assert other.get("/console/").status_code == 302  # session ended
    refused = region_client(None).post("/login", data={"email": email, "password": "kata-sandi-uji-1"})
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.get(User, user_id).active is False
        assert db.session.scalar(select(PlatformAuditEvent.action).where(
            PlatformAuditEvent.object_id == str(user_id),
            PlatformAuditEvent.action == "platform_user.deactivate")) == "platform_user.deactivate"


def test_only_the_administrator_reopens_a_deactivated_platform_account(app, admin, region_client):
    email, _ = _invite(admin, role="auditor")
    _accept(app, region_client, email)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    assert admin.post(f"/console/users/{user_id}/deactivate").status_code == 302
    auditor = region_client(None)
    auditor.login("auditor@platform.demo")
    assert auditor.post(f"/console/users/{user_id}/reactivate").status_code == 403
    with app.app_context():
        assert db.session.get(User, user_id).active is False
    page = admin.post(f"/console/users/{user_id}/reactivate", follow_redirects=True).get_data(as_text=True)
    assert "aktif kembali" in page
    region_client(None).login(email, "kata-sandi-uji-1")  # their own, unchanged password
    with app.app_context():
        assert db.session.scalar(select(PlatformAuditEvent.action).where(
            PlatformAuditEvent.object_id == str(user_id),
            PlatformAuditEvent.action == "platform_user.reactivate")) == "platform_user.reactivate"


def test_no_one_deactivates_themselves(app, admin):
    with app.app_context():
        me = db.session.scalar(select(User.id).where(User.email == "admin@platform.demo"))
    page = admin.post(f"/console/users/{me}/deactivate", follow_redirects=True).get_data(as_text=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in page
    with app.app_context():
        assert db.session.get(User, me).active


def test_region_staff_are_not_platform_users(app, admin):
    with app.app_context():
        staff_id = db.session.scalar(select(User.id).where(User.email == "manager@bekasi.demo"))
    assert admin.post(f"/console/users/{staff_id}/deactivate").status_code == 404
