"""Invitations never take over an existing account (audit finding: account takeover).

An invitation for an email that already has an account joins that account: the person
proves it with their existing password; its password, name and active flag never change.
"""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from app.accounts.invitations import Invitation
from app.accounts.models import Membership, User
from app.accounts.outbox import OutboundEmail
from app.accounts.staff import invite_staff, reactivate_member
from app.audit.models import AuditEvent
from app.extensions import db
from app.org.models import Position
from app.platform.models import PlatformAuditEvent
from app.platform.operations import deactivate_platform_user
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.conftest import DEMO_PASSWORD
from tests.factories import tenant
from tests.helpers.platform import WIZARD_URL as WIZARD
from tests.helpers.platform import blank_data, unique_slug

ATTACKER_PASSWORD = "punya-penyusup-2026"
KEPT = ("name", "password_hash", "active", "platform_role")


@pytest.fixture()
def keep(app):
    """`keep(email)` snapshots an account and puts it back afterwards, whatever the test did."""
    saved: dict[str, dict] = {}

    def snapshot(email: str) -> dict:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            saved[email] = {name: getattr(user, name) for name in KEPT}
        return saved[email]

    yield snapshot
    with app.app_context():
        for email, values in saved.items():
            user = db.session.scalar(select(User).where(User.email == email))
            for name, value in values.items():
                setattr(user, name, value)
            for invitation in db.session.scalars(select(Invitation).where(Invitation.email == email)):
                if invitation.is_open:
                    invitation.revoked_at = invitation.created_at
        db.session.commit()


def account(app, email: str) -> dict:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return {name: getattr(user, name) for name in KEPT}


def plain_post(app, slug: str) -> str:
    """Id of an active post of the region that has no work areas."""
    with app.app_context(), tenant_context(tenant(slug)):
        return str(db.session.scalar(select(Position.id).where(
            Position.area_level.is_(None), Position.retired_at.is_(None), Position.role != "manager")
            .order_by(Position.key)))


def invite_on_page(app, manager, email: str, slug: str = "bekasi", name: str = "Orang Undangan"):
    """The region manager invites `email` on the staff page (confirming an existing account)."""
    form = {"email": email, "name": name, "position_id": plain_post(app, slug)}
    response = manager.post("/settings/staff/invite", data={**form, "existing_ok": email})
    assert response.status_code == 200, response.status_code
    return re.search(r'class="invite-url">https?://[^/]+(/invite/[^<\s]+)<', response.get_data(as_text=True)).group(1)


def try_new_password(client, path: str, name: str = "Penyusup"):
    return client.post(path, data={"name": name, "password": ATTACKER_PASSWORD, "confirm": ATTACKER_PASSWORD})


def login_code(client, email: str, password: str) -> int:
    return client.post("/login", data={"email": email, "password": password}).status_code


def test_region_manager_cannot_take_over_the_national_administrator(app, staff, region_client, keep):
    before = keep("admin@platform.demo")
    console = region_client(None)
    console.login("admin@platform.demo")
    path = invite_on_page(app, staff("manager", "bekasi"), "admin@platform.demo")
    stranger = region_client("bekasi")
    assert stranger.get(path).status_code == 200
    response = try_new_password(stranger, path)
    assert response.status_code == 422 and "Kata sandi salah" in response.get_data(as_text=True)
    assert account(app, "admin@platform.demo") == before
    assert login_code(region_client(None), "admin@platform.demo", ATTACKER_PASSWORD) == 422
    assert login_code(region_client(None), "admin@platform.demo", DEMO_PASSWORD) == 302
    assert console.get("/console/").status_code == 200  # the open session is untouched
    assert stranger.get("/home").status_code == 302  # nobody got in at the region either


def test_deactivated_auditor_stays_out(app, staff, region_client):
    email = f"{unique_slug('auditor')}@kemensos.example.id"
    with app.app_context():
        auditor = User(email=email, name="Auditor Lama", platform_role="auditor", active=False)
        auditor.set_password(DEMO_PASSWORD)
        db.session.add(auditor)
        db.session.commit()
    before = account(app, email)
    path = invite_on_page(app, staff("manager", "bekasi"), email)
    assert try_new_password(region_client("bekasi"), path).status_code == 422
    # Even the right password does not bring a platform-deactivated account back.
    response = region_client("bekasi").post(path, data={"password": DEMO_PASSWORD})
    assert response.status_code == 422 and "dinonaktifkan" in response.get_data(as_text=True)
    assert account(app, email) == before
    with app.app_context(), tenant_context(tenant("bekasi")):
        user = db.session.scalar(select(User).where(User.email == email))
        assert db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is None
    assert login_code(region_client(None), email, ATTACKER_PASSWORD) == 422
    assert login_code(region_client(None), email, DEMO_PASSWORD) == 422


def _onboard(app, admin, email: str, **extra):
    with app.app_context():
        data = blank_data(manager_email=email, manager_name="Nama Pengganti")
    return data, admin.post(WIZARD, data={**data.hidden(), "step": "4", **extra},
                            content_type="multipart/form-data")


def test_wizard_says_when_the_manager_already_has_an_account(app, region_client):
    admin = region_client(None)
    admin.login("admin@platform.demo")
    data, response = _onboard(app, admin, "manager@cianjur.demo")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "sudah terdaftar" in page and "Kabupaten Cianjur" in page
    assert 'name="manager_existing_ok" value="manager@cianjur.demo"' in page
    with app.app_context():
        assert db.session.scalar(select(Tenant).where(Tenant.slug == data.slug)) is None  # nothing sent yet


def test_wizard_with_another_regions_manager_changes_nothing_of_them(app, region_client, keep):
    before = keep("manager@cianjur.demo")
    admin = region_client(None)
    admin.login("admin@platform.demo")
    data, response = _onboard(app, admin, "manager@cianjur.demo", manager_existing_ok="manager@cianjur.demo")
    assert response.status_code == 302
    flashed = admin.get(response.headers["Location"]).get_data(as_text=True)
    path = re.search(r"https?://[^/\s]+(/invite/[A-Za-z0-9_-]+)", flashed).group(1)
    newcomer = region_client(data.slug)
    assert try_new_password(newcomer, path, name="Nama Pengganti").status_code == 422
    assert account(app, "manager@cianjur.demo") == before
    assert login_code(region_client("cianjur"), "manager@cianjur.demo", DEMO_PASSWORD) == 302
    # The real manager joins the new region with the password they already have.
    assert region_client(data.slug).post(path, data={"password": DEMO_PASSWORD}).status_code == 302
    assert account(app, "manager@cianjur.demo") == before
    with app.app_context():
        region = db.session.scalar(select(Tenant).where(Tenant.slug == data.slug))
        with tenant_context(region):
            event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "config.staff.invitation_accept"))
            assert event.detail["account"] == "existing" and event.actor == "manager@cianjur.demo"


def test_region_reactivation_does_not_reopen_a_platform_deactivated_account(app):
    email = f"{unique_slug('ganda')}@kemensos.example.id"
    with app.app_context(), tenant_context(tenant("bekasi")):
        user = User(email=email, name="Auditor Berjabatan", platform_role="auditor")
        user.set_password(DEMO_PASSWORD)
        position = db.session.get(Position, (tenant("bekasi").id, uuid.UUID(plain_post(app, "bekasi"))))
        membership = Membership(user=user, position=position, active=False)
        db.session.add(membership)
        db.session.flush()
        admin = db.session.scalar(select(User).where(User.email == "admin@platform.demo"))
        deactivate_platform_user(user, by=admin)
        reactivate_member(membership)
        assert membership.active and user.active is False
        db.session.rollback()


def test_outbox_keeps_no_usable_invitation_link(app, region_client):
    email = f"{unique_slug('kotak')}@uji.id"
    with app.app_context(), tenant_context(tenant("bekasi")):
        position = db.session.get(Position, (tenant("bekasi").id, uuid.UUID(plain_post(app, "bekasi"))))
        _invitation, link = invite_staff(email=email, name="Kotak Surat", position=position)
        db.session.commit()
        rows = db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == email)).all()
    token = link.rsplit("/", 1)[1]
    client = region_client("bekasi")
    assert rows and client.get(f"/invite/{token}").status_code == 200
    for row in rows:
        stored = row.subject + "\n" + row.body
        assert token not in stored
        for candidate in re.findall(r"/invite/(\S+)", stored) + re.findall(r"[A-Za-z0-9_-]{20,}", stored):
            assert client.get(f"/invite/{candidate}").status_code == 404


def test_staff_of_another_region_joins_with_their_existing_password(app, staff, region_client):
    email = f"{unique_slug('dua')}@uji.id"
    with app.app_context(), tenant_context(tenant("cianjur")):
        user = User(email=email, name="Staf Cianjur")
        user.set_password(DEMO_PASSWORD)
        position = db.session.get(Position, (tenant("cianjur").id, uuid.UUID(plain_post(app, "cianjur"))))
        db.session.add(Membership(user=user, position=position))
        db.session.commit()
    before = account(app, email)
    manager = staff("manager", "bekasi")
    form = {"email": email, "name": "Nama Lain", "position_id": plain_post(app, "bekasi")}
    notice = manager.post("/settings/staff/invite", data=form).get_data(as_text=True)
    assert "sudah terdaftar di SLRT Cloud" in notice and "Cianjur" not in notice
    with app.app_context():
        assert db.session.scalar(select(Invitation).where(Invitation.email == email)) is None
    path = invite_on_page(app, manager, email)
    person = region_client("bekasi")
    page = person.get(path).get_data(as_text=True)
    assert 'name="confirm"' not in page and 'name="password"' in page
    wrong = person.post(path, data={"password": "bukan-sandinya-1"})
    assert wrong.status_code == 422 and "Kata sandi salah" in wrong.get_data(as_text=True)
    assert person.post(path, data={"password": DEMO_PASSWORD}).status_code == 302
    assert person.get("/home").status_code == 200
    assert account(app, email) == before
    assert login_code(region_client("cianjur"), email, DEMO_PASSWORD) == 302
    with app.app_context(), tenant_context(tenant("bekasi")):
        assert db.session.scalar(select(Membership).where(Membership.user_id == before_id(email))).active
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "config.staff.invitation_accept",
                                                           AuditEvent.detail["email"].as_string() == email))
        assert event is not None and event.detail["account"] == "existing"


def before_id(email: str):
    return db.session.scalar(select(User.id).where(User.email == email))


def test_a_new_email_sets_a_password_and_the_acceptance_is_audited(app, region_client):
    email = f"{unique_slug('baru')}@kemensos.example.id"
    admin = region_client(None)
    admin.login("admin@platform.demo")
    admin.post("/console/users", data={"name": "Auditor Baru", "email": email, "role": "auditor"})
    flashed = admin.get("/console/users").get_data(as_text=True)
    path = re.search(r"https?://[^/\s]+(/invite/[A-Za-z0-9_-]+)", flashed).group(1)
    response = region_client(None).post(path, data={"name": "Auditor Baru", "password": ATTACKER_PASSWORD,
                                                     "confirm": ATTACKER_PASSWORD})
    assert response.status_code == 302
    assert login_code(region_client(None), email, ATTACKER_PASSWORD) == 302
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == email))
        event = db.session.scalar(select(PlatformAuditEvent).where(
            PlatformAuditEvent.action == "platform_user.invitation_accept",
            PlatformAuditEvent.object_id == str(invitation.id)))
        assert event.detail["account"] == "new" and event.actor == email


def test_invitation_page_is_rate_limited_like_the_login(app):
    from app import create_app
    from app.extensions import limiter

    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
                          "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        client = limited.test_client()
        codes = [client.post("/invite/bukan-token", base_url="http://bekasi.slrt.test",
                             data={"password": "x"}).status_code for _ in range(4)]
    finally:
        limiter.reset()
        limiter.enabled = False
    assert codes[:3] == [404, 404, 404] and codes[3] == 429


def test_no_invitation_reopens_a_platform_deactivated_account(app, region_client):
    email = f"{unique_slug('tutup')}@kemensos.example.id"
    with app.app_context():
        user = User(email=email, name="Akun Ditutup", platform_role="auditor", active=False)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.commit()
    admin = region_client(None)
    admin.login("admin@platform.demo")
    again = admin.post("/console/users", data={"name": "X", "email": email, "role": "auditor"})
    assert again.status_code == 422 and "dinonaktifkan" in again.get_data(as_text=True)
    _data, wizard = _onboard(app, admin, email, manager_existing_ok=email)
    assert wizard.status_code == 422 and "dinonaktifkan di platform" in wizard.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invitation).where(Invitation.email == email)) is None
