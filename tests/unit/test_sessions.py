"""Server-side sessions: logout, password change, deactivation in one region, idle and absolute limits."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.accounts.models import Membership, User
from app.extensions import db
from app.tenancy.models import utcnow
from tests.conftest import DEMO_PASSWORD
from tests.helpers.org import NEW_PASSWORD, fresh_member, position_of
from tests.helpers.regions import in_region


def two_region_member(app) -> tuple[str, object]:
    """(email, Palembang membership id) of a new person holding posts in Bekasi and Palembang."""
    email = fresh_member(app, "bekasi", "case_officer")

    def second_post():
        user = db.session.scalar(select(User).where(User.email == email))
        membership = Membership(user=user, position=position_of("case_officer"))
        db.session.add(membership)
        db.session.flush()
        return membership.id

    return email, in_region(app, "palembang", second_post)


def logged_in(region_client, slug: str, email: str):
    client = region_client(slug)
    client.login(email)
    assert client.get("/home").status_code == 200
    return client


def session_rows(app, email: str):
    from app.accounts.models import UserSession

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)))


def shift_sessions(app, email: str, **ago: timedelta) -> None:
    """Move the open sessions of `email` back in time (column=how long ago), as if time had passed."""
    from app.accounts.models import UserSession

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        values = {column: utcnow() - delta for column, delta in ago.items()}
        db.session.execute(update(UserSession).where(UserSession.user_id == user_id).values(**values))
        db.session.commit()


def login_page_after_refusal(client) -> str:
    response = client.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_cookie_captured_before_logout_is_refused(app, region_client):
    email = fresh_member(app)
    client = logged_in(region_client, "cianjur", email)
    captured = client.client.get_cookie("session", domain="cianjur.slrt.test").value
    assert client.post("/logout").status_code == 302
    thief = region_client("cianjur")
    thief.client.set_cookie("session", captured, domain="cianjur.slrt.test")
    assert thief.get("/home").status_code == 302


def test_deactivation_in_one_region_keeps_the_other_regions_session(app, region_client):
    email, palembang_post = two_region_member(app)
    bekasi = logged_in(region_client, "bekasi", email)
    palembang = logged_in(region_client, "palembang", email)
    manager = region_client("palembang")
    manager.login("manager@palembang.demo")
    assert manager.post(f"/settings/staff/{palembang_post}/deactivate").status_code == 302
    assert palembang.get("/home").status_code == 302
    assert bekasi.get("/home").status_code == 200


def test_password_change_ends_every_other_session_and_keeps_this_one(app, region_client):
    email = fresh_member(app)
    mine = logged_in(region_client, "cianjur", email)
    other = logged_in(region_client, "cianjur", email)
    response = mine.post("/password", data={"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD,
                                            "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert mine.get("/home").status_code == 200
    assert "kata sandi" in login_page_after_refusal(other)
    region_client("cianjur").login(email, NEW_PASSWORD)


def test_password_change_needs_the_current_password_and_the_policy(app, region_client):
    email = fresh_member(app)
    mine = logged_in(region_client, "cianjur", email)
    assert mine.get("/password").status_code == 200
    wrong = mine.post("/password", data={"current_password": "bukan-ini", "new_password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and "Kata sandi saat ini salah." in wrong.get_data(as_text=True)
    weak = mine.post("/password", data={"current_password": DEMO_PASSWORD, "new_password": "password1234",
                                        "confirm": "password1234"})
    assert weak.status_code == 422 and "mudah ditebak" in weak.get_data(as_text=True)
    region_client("cianjur").login(email)  # nothing changed


def test_idle_session_is_refused_and_the_login_page_says_why(app, region_client):
    email = fresh_member(app)
    client = logged_in(region_client, "cianjur", email)
    shift_sessions(app, email, last_seen_at=timedelta(minutes=31))
    assert "tidak ada aktivitas selama 30 menit" in login_page_after_refusal(client)
    assert client.get("/home").status_code == 302
    assert {row.end_reason for row in session_rows(app, email)} == {"idle"}


def test_idle_limit_is_configurable(app, region_client, monkeypatch):
    email = fresh_member(app)
    client = logged_in(region_client, "cianjur", email)
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    shift_sessions(app, email, last_seen_at=timedelta(minutes=6))
    assert client.get("/home").status_code == 302


def test_absolute_lifetime_ends_even_an_active_session(app, region_client):
    email = fresh_member(app)
    client = logged_in(region_client, "cianjur", email)
    shift_sessions(app, email, created_at=timedelta(hours=12, minutes=1), last_seen_at=timedelta(minutes=1))
    assert "lebih dari 12 jam" in login_page_after_refusal(client)


def test_activity_is_recorded_at_most_once_a_minute(app, region_client):
    email = fresh_member(app)
    client = logged_in(region_client, "cianjur", email)
    shift_sessions(app, email, last_seen_at=timedelta(seconds=20))
    before = session_rows(app, email)[0].last_seen_at
    client.get("/home")
    assert session_rows(app, email)[0].last_seen_at == before
    shift_sessions(app, email, last_seen_at=timedelta(minutes=5))
    client.get("/home")
    assert session_rows(app, email)[0].last_seen_at > before


def test_platform_deactivation_ends_the_platform_session(app, region_client):
    with app.app_context():
        user = User(email=f"auditor-{utcnow().timestamp()}@uji.id", name="Auditor Uji", platform_role="auditor")
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.commit()
        email, user_id = user.email, user.id
    auditor = region_client(None)
    auditor.login(email)
    assert auditor.get("/console/").status_code == 200
    admin = region_client(None)
    admin.login("admin@platform.demo")
    assert admin.post(f"/console/users/{user_id}/deactivate").status_code == 302
    assert auditor.get("/console/").status_code == 302
