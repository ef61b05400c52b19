"""'Lupa kata sandi': a single-use, expiring link by email that never tells whether an email exists."""
from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import Membership, User
from app.accounts.outbox import OutboundEmail
from app.accounts.password_reset import PasswordReset
from app.audit.models import AuditEvent
from app.extensions import db, limiter
from app.org.models import Position
from app.tenancy.context import current_tenant_id, tenant_context
from app.tenancy.models import utcnow
from tests.factories import tenant
from tests.helpers.reports import drain

OLD = "perahu-kertas-senja-77"
NEW = "gerobak-lampu-pagi-41"


def _new_staff(app) -> str:
    """A Bekasi officer of our own (a demo account's password must not change)."""
    email = f"lupa-{uuid.uuid4().hex[:10]}@uji.id"
    with app.app_context(), tenant_context(tenant("bekasi")):
        user = User(email=email, name="Petugas Pelupa")
        user.set_password(OLD)
        db.session.add(user)
        db.session.flush()
        position = db.session.scalar(select(Position).where(
            Position.area_level.is_(None), Position.retired_at.is_(None), Position.role != "manager")
            .order_by(Position.key))
        db.session.add(Membership(user_id=user.id, position_id=position.id))
        db.session.commit()
    return email


def _ask(app, client, email):
    response = client.post("/password/forgot", data={"email": email})
    drain(app)
    return response


def _link_in(smtp_server, email) -> str:
    [message] = smtp_server.to(email)
    assert message.get_body(("html",)) is not None
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/password/reset/[A-Za-z0-9_-]+)", text).group(1)


def _bekasi_reset():
    """A reset link of a Bekasi account, asked at Bekasi (for the cross-region route test)."""
    token = secrets.token_urlsafe(32)
    user = db.session.scalar(select(User).where(User.email == "manager@bekasi.demo"))
    db.session.add(PasswordReset(token_hash=hashlib.sha256(token.encode()).hexdigest(), user_id=user.id,
                                 tenant_id=current_tenant_id(), expires_at=utcnow() + timedelta(hours=1)))
    return {"token": token}


CROSS_TENANT = {"auth.reset_password_page": ("GET", _bekasi_reset)}


def test_the_login_page_links_to_forgotten_password(region_client):
    page = region_client("bekasi").get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page


def test_an_unknown_email_gets_the_same_answer_and_no_mail(app, smtp_server, region_client):
    known, unknown = _new_staff(app), f"tidak-ada-{uuid.uuid4().hex[:8]}@uji.id"
    client = region_client("bekasi")
    answers = [_ask(app, client, email) for email in (known, unknown)]
    assert [a.status_code for a in answers] == [200, 200]
    csrf = re.compile(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}")  # a fresh signed token on every page
    pages = [csrf.sub("CSRF", a.get_data(as_text=True).replace(email, "EMAIL"))
             for a, email in zip(answers, (known, unknown), strict=True)]
    assert pages[0] == pages[1]
    assert len(smtp_server.to(known)) == 1 and smtp_server.to(unknown) == []


def test_the_link_resets_once_ends_every_session_and_is_audited(app, smtp_server, region_client):
    email = _new_staff(app)
    elsewhere = region_client("bekasi")
    elsewhere.login(email, OLD)
    client = region_client("bekasi")
    _ask(app, client, email)
    path = _link_in(smtp_server, email)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert elsewhere.get("/home").status_code == 302  # the other session ended
    assert client.post("/login", data={"email": email, "password": OLD}).status_code == 422
    region_client("bekasi").login(email, NEW)
    assert client.get(path).status_code == 404  # used once
    assert client.post(path, data={"password": "lain-" + NEW, "confirm": "lain-" + NEW}).status_code == 404
    with app.app_context(), tenant_context(tenant("bekasi")):
        user = db.session.scalar(select(User).where(User.email == email))
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.password_reset",
                                                          AuditEvent.object_id == str(user.id)))


def test_a_weak_password_is_refused_at_the_field_and_the_link_still_works(app, smtp_server, region_client):
    email = _new_staff(app)
    client = region_client("bekasi")
    _ask(app, client, email)
    path = _link_in(smtp_server, email)
    weak = client.post(path, data={"password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422 and "mudah ditebak" in weak.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_the_link_expires(app, smtp_server, region_client):
    email = _new_staff(app)
    client = region_client("bekasi")
    _ask(app, client, email)
    path = _link_in(smtp_server, email)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == user.id))
        reset.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(path).status_code == 404


def test_the_link_works_only_where_it_was_asked_for(app, smtp_server, region_client):
    email = _new_staff(app)
    _ask(app, region_client("bekasi"), email)
    path = _link_in(smtp_server, email)
    assert region_client("cianjur").get(path).status_code == 404
    assert region_client(None).get(path).status_code == 404


def test_nothing_stored_holds_a_usable_link(app, smtp_server, region_client):
    email = _new_staff(app)
    client = region_client("bekasi")
    _ask(app, client, email)
    path = _link_in(smtp_server, email)
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        row = db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == email))
        user = db.session.scalar(select(User).where(User.email == email))
        reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == user.id))
        stored = "\n".join([row.subject, row.body, row.html or "", reset.token_hash])
    assert token not in stored
    for candidate in set(re.findall(r"[A-Za-z0-9_-]{20,}", stored)):
        assert client.get(f"/password/reset/{candidate}").status_code == 404
    assert client.get(path).status_code == 200


@pytest.fixture()
def limited_app(app):
    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                          "PASSWORD_RESET_RATE_LIMIT": "2 per hour"})
    yield limited
    limiter.reset()
    limiter.enabled = False


def test_asking_is_rate_limited_per_email_across_addresses(limited_app):
    client = limited_app.test_client()
    email = f"tidak-ada-{uuid.uuid4().hex[:8]}@uji.id"

    def ask(address, ip):
        return client.post("/password/forgot", base_url="http://bekasi.slrt.test",
                           environ_base={"REMOTE_ADDR": ip}, data={"email": address}).status_code

    assert [ask(email, f"10.7.0.{i}") for i in range(3)] == [200, 200, 429]
    assert ask(email.upper(), "10.7.1.1") == 429
    assert ask("orang-lain@uji.id", "10.7.0.9") == 200


def test_asking_is_rate_limited_per_address(limited_app):
    client = limited_app.test_client()
    codes = [client.post("/password/forgot", base_url="http://bekasi.slrt.test",
                         environ_base={"REMOTE_ADDR": "10.6.0.1"}, data={"email": f"orang{i}@uji.id"}).status_code
             for i in range(3)]
    assert codes == [200, 200, 429]
