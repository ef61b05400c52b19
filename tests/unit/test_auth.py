"""Logging in: per region, per realm, and sessions that end when they must."""
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.conftest import DEMO_PASSWORD


def test_staff_login_lands_on_home(region_client):
    client = region_client("payakumbuh")
    response = client.login("manager@payakumbuh.demo")
    assert response.headers["Location"].endswith("/home")
    assert client.get("/home").status_code == 200


def test_wrong_password_keeps_email_and_says_so(region_client):
    response = region_client("bekasi").post(
        "/login", data={"email": "manager@bekasi.demo", "password": "salah"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Email atau kata sandi salah." in page
    assert 'value="manager@bekasi.demo"' in page


def test_invalid_email_is_reported_at_the_field(region_client):
    response = region_client("bekasi").post("/login", data={"email": "bukan-email", "password": "x"})
    assert response.status_code == 422
    assert "Format email tidak sah." in response.get_data(as_text=True)


def test_account_without_membership_is_refused_at_other_region(region_client):
    response = region_client("cianjur").post(
        "/login", data={"email": "manager@bekasi.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 422
    assert "Akun ini tidak terdaftar di Kabupaten Cianjur." in response.get_data(as_text=True)


def test_session_cookie_from_one_region_is_not_valid_at_another(app, region_client):
    bekasi = region_client("bekasi")
    bekasi.login("manager@bekasi.demo")
    cookie = bekasi.client.get_cookie("session", domain="bekasi.slrt.test")
    assert cookie is not None and cookie.domain in ("bekasi.slrt.test", "")
    # Even a copied cookie does not work: the session is bound to its realm.
    cianjur = region_client("cianjur")
    cianjur.client.set_cookie("session", cookie.value, domain="cianjur.slrt.test")
    response = cianjur.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_account_cannot_log_into_platform(region_client):
    response = region_client(None).post(
        "/login", data={"email": "manager@bekasi.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 422


def test_platform_login_and_console(region_client):
    client = region_client(None)
    assert client.login("admin@platform.demo").headers["Location"].endswith("/console/")
    page = client.get("/console/?q=palembang").get_data(as_text=True)  # 50 regions a page: search
    assert "Konsol nasional" in page and "Kota Palembang" in page


def test_platform_user_cannot_use_region_pages(region_client):
    client = region_client("bekasi")
    response = client.post("/login", data={"email": "admin@platform.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 422


def test_region_pages_need_login(region_client):
    response = region_client("bekasi").get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_console_is_not_served_at_region_hosts(staff):
    assert staff("manager", "bekasi").get("/console/").status_code == 404


def test_logout_ends_session(staff):
    client = staff("manager", "bekasi")
    assert client.post("/logout").status_code == 302
    assert client.get("/home").status_code == 302


def test_ending_a_users_sessions_logs_them_out_until_they_log_in_again(app, staff):
    from app.accounts.sessions import DEACTIVATED, end_sessions

    client = staff("intake_officer", "cianjur")
    assert client.get("/home").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "intake_officer@cianjur.demo"))
        end_sessions(user.id, DEACTIVATED)
        db.session.commit()
    assert client.get("/home").status_code == 302
    client.login("intake_officer@cianjur.demo")
    assert client.get("/home").status_code == 200


def test_open_redirect_is_refused(region_client):
    client = region_client("bekasi")
    response = client.post("/login?next=//evil.example.com/x",
                           data={"email": "manager@bekasi.demo", "password": DEMO_PASSWORD})
    assert response.headers["Location"].endswith("/home")


def test_login_is_rate_limited(app):
    from app import create_app
    from app.extensions import limiter

    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
                          "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        client = limited.test_client()
        codes = [client.post("/login", base_url="http://bekasi.slrt.test",
                             data={"email": "x@y.id", "password": "x"}).status_code for _ in range(4)]
    finally:
        # The limiter is one shared extension: switch it off again for the other tests.
        limiter.reset()
        limiter.enabled = False
    assert codes[:3] == [422, 422, 422] and codes[3] == 429
