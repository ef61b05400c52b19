"""Login against attackers: equal work for unknown emails, per-account limits, safe `next`,
the password policy, the production secret key, and what the audit trail keeps."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import create_app
from app.accounts import models as account_models
from app.audit.models import AuditEvent
from app.extensions import db, limiter
from app.platform.models import PlatformAuditEvent
from app.tenancy.context import tenant_context
from config import Config
from tests.conftest import DEMO_PASSWORD
from tests.factories import tenant
from tests.helpers.org import fresh_member


class CountingHasher:
    """Wraps the password hasher and counts every verification it is asked to do."""

    def __init__(self, inner):
        self.inner, self.verified = inner, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def verify(self, hash_, password):
        self.verified.append(hash_)
        return self.inner.verify(hash_, password)


@pytest.fixture()
def hasher(monkeypatch):
    counting = CountingHasher(account_models._hasher)
    monkeypatch.setattr(account_models, "_hasher", counting)
    return counting


def test_unknown_email_costs_one_hash_verification_like_a_wrong_password(app, region_client, hasher):
    client = region_client("bekasi")
    unknown = client.post("/login", data={"email": "tidak-ada-orangnya@uji.id", "password": "apa-saja-12"})
    assert unknown.status_code == 422 and len(hasher.verified) == 1
    wrong = client.post("/login", data={"email": "manager@bekasi.demo", "password": "apa-saja-12"})
    assert wrong.status_code == 422 and len(hasher.verified) == 2
    assert unknown.get_data(as_text=True).count("Email atau kata sandi salah.") == 1
    assert "Email atau kata sandi salah." in wrong.get_data(as_text=True)


@pytest.fixture()
def limited_app(app):
    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                          "LOGIN_RATE_LIMIT": "100 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "3 per hour"})
    yield limited
    # The limiter is one shared extension: switch it off again for the other tests.
    limiter.reset()
    limiter.enabled = False


def _attempt(client, email, password, ip):
    return client.post("/login", base_url="http://bekasi.slrt.test", environ_base={"REMOTE_ADDR": ip},
                       data={"email": email, "password": password}).status_code


def test_one_account_is_limited_across_many_addresses(limited_app):
    client = limited_app.test_client()
    codes = [_attempt(client, "manager@bekasi.demo", "salah-salah-1", f"10.9.0.{i}") for i in range(4)]
    assert codes == [422, 422, 422, 429]
    assert _attempt(client, " Manager@Bekasi.demo", "salah-salah-1", "10.9.1.1") == 429
    assert _attempt(client, "intake_officer@bekasi.demo", "salah-salah-1", "10.9.0.1") == 422


def test_one_address_is_limited_across_many_accounts(app):
    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                          "LOGIN_RATE_LIMIT": "3 per minute"})
    try:
        client = limited.test_client()
        codes = [_attempt(client, f"orang{i}@uji.id", "x", "10.8.0.1") for i in range(4)]
    finally:
        limiter.reset()
        limiter.enabled = False
    assert codes == [422, 422, 422, 429]


SAFE_NEXT = ["/cases/", "/cases/?q=abc", "/home#bagian"]
UNSAFE_NEXT = [
    "//evil.example", "///evil.example", "/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "https://evil.example/", "http:evil.example",
    "javascript:alert(1)", "evil.example", " //evil.example", "%2F%2Fevil.example", "/%00/evil.example",
    "https:/evil.example", "\t//evil.example",
]


@pytest.mark.parametrize("target", SAFE_NEXT)
def test_next_to_a_path_on_this_host_is_followed(region_client, target):
    response = region_client("bekasi").post("/login", query_string={"next": target},
                                            data={"email": "manager@bekasi.demo", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_next_anywhere_else_lands_on_home(region_client, target):
    from urllib.parse import unquote

    response = region_client("bekasi").post("/login", query_string={"next": unquote(target)},
                                            data={"email": "manager@bekasi.demo", "password": DEMO_PASSWORD})
    # A NUL byte may be refused outright (400) before login runs; nothing ever redirects elsewhere.
    assert response.headers.get("Location", "/home") == "/home"


def test_password_policy_length_and_guessability(app_ctx):
    from app.accounts.passwords import password_problem

    assert "minimal 12 karakter" in password_problem("Pendek-1")
    assert "mudah ditebak" in password_problem("password1234")
    # zxcvbn's dictionaries are English: the region's and the person's own words are added.
    assert password_problem("bekasi123456") is None
    assert "mudah ditebak" in password_problem("bekasi123456", context=["Kota Bekasi"])
    assert "mudah ditebak" in password_problem("katasandi123")
    assert password_problem("Lembayung-senja-di-Kemuning-7") is None
    assert password_problem("Lembayung senja turun pelan di atas sawah Kemuning " * 2) is None  # > 72 chars
    assert "paling panjang 128" in password_problem("x7Q!" * 33)


def test_invitation_form_applies_the_policy(app):
    from app.blueprints.auth.forms import AcceptInvitationForm

    with app.test_request_context(method="POST"):
        form = AcceptInvitationForm(formdata=MultiDict({"name": "Uji", "password": "qwerty123456",
                                                        "confirm": "qwerty123456"}))
        assert not form.validate()
        assert "mudah ditebak" in " ".join(str(e) for e in form.password.errors)


def test_default_secret_key_is_refused_in_production(app):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({**app.config, "SLRT_ENV": "production", "SECRET_KEY": Config.SECRET_KEY})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({**app.config, "SLRT_ENV": "production", "SECRET_KEY": ""})
    create_app({**app.config, "SLRT_ENV": "production", "SECRET_KEY": "x" * 48})


def _region_events(app, slug, **where):
    with app.app_context(), tenant_context(tenant(slug)):
        query = select(AuditEvent).filter_by(**where).order_by(AuditEvent.at)
        return list(db.session.scalars(query))


def test_login_logout_and_failures_are_in_the_region_log(app, region_client):
    email = fresh_member(app, "batubara")
    client = region_client("batubara")
    assert client.post("/login", data={"email": email, "password": "salah-salah-1"}).status_code == 422
    client.login(email)
    client.post("/logout")
    failed = _region_events(app, "batubara", action="auth.login_failed")
    assert [e.detail["email"] for e in failed if e.detail.get("email") == email] == [email]
    assert [e.actor for e in _region_events(app, "batubara", action="auth.login", actor=email)] == [email]
    assert _region_events(app, "batubara", action="auth.logout", actor=email)


def test_unknown_email_failure_keeps_only_the_typed_email(app, region_client):
    typed = f"orang-asing-{id(app)}@uji.id"
    region_client("batubara").post("/login", data={"email": typed, "password": "salah-salah-1"})
    [event] = [e for e in _region_events(app, "batubara", action="auth.login_failed")
               if e.detail.get("email") == typed]
    assert event.user_id is None and event.actor == "" and set(event.detail) <= {"email", "reason"}


def test_platform_login_and_refused_console_pages_are_in_the_platform_log(app, region_client):
    auditor = region_client(None)
    auditor.login("auditor@platform.demo")
    assert auditor.get("/console/regions/new").status_code == 403
    with app.app_context():
        refused = db.session.scalars(select(PlatformAuditEvent).where(
            PlatformAuditEvent.action == "access.refused", PlatformAuditEvent.actor == "auditor@platform.demo")).all()
        logins = db.session.scalars(select(PlatformAuditEvent).where(
            PlatformAuditEvent.action == "auth.login", PlatformAuditEvent.actor == "auditor@platform.demo")).all()
    assert refused and refused[-1].detail["path"] == "/console/regions/new" and logins


def test_configuration_export_is_audited(app, staff):
    manager = staff("manager", "payakumbuh")
    assert manager.get("/settings/transfer/export").status_code == 200
    assert _region_events(app, "payakumbuh", action="config.export", actor="manager@payakumbuh.demo")


def test_password_change_is_audited(app, region_client):
    from tests.helpers.org import NEW_PASSWORD

    email = fresh_member(app, "batubara")
    client = region_client("batubara")
    client.login(email)
    client.post("/password", data={"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD})
    assert _region_events(app, "batubara", action="account.password_change", actor=email)
