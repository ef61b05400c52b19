"""Errors and session expiry during an htmx request answer with a fragment or HX-Redirect, never a whole page."""
from __future__ import annotations

from flask import abort
from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.accounts.sessions import LOGOUT, end_sessions
from app.extensions import db
from tests.conftest import HostClient

HX = {"HX-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


def assert_fragment(response, status: int) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert "<html" not in body.lower() and "<body" not in body.lower()
    assert 'role="alert"' in body
    assert response.headers["HX-Retarget"] == "#page-message"
    assert response.headers["HX-Reswap"].startswith("innerHTML")
    return body


def test_htmx_404_is_a_fragment(staff):
    response = staff("case_officer", "bekasi").get("/cases/00000000-0000-4000-8000-000000000000", headers=HX)
    assert "Halaman tidak ditemukan" in assert_fragment(response, 404)


def test_htmx_403_is_a_fragment(staff):
    response = staff("facilitator", "cianjur").get("/settings/", headers=HX)
    assert "Akses ditolak" in assert_fragment(response, 403)


def test_htmx_409_is_a_fragment(app):
    probe = create_app({**app.config})

    @probe.route("/probe-conflict")
    def conflict():
        abort(409)

    response = HostClient(probe, "bekasi").get("/probe-conflict", headers=HX)
    assert "Data telah berubah" in assert_fragment(response, 409)


def test_boosted_navigation_still_gets_the_whole_page(staff):
    """A boosted link swaps the whole body, so it needs the page with its navigation."""
    response = staff("facilitator", "cianjur").get("/settings/", headers=BOOSTED)
    assert response.status_code == 403
    assert "<html" in response.get_data(as_text=True)


def test_plain_request_gets_the_whole_page(staff):
    response = staff("facilitator", "cianjur").get("/settings/")
    assert response.status_code == 403
    assert "<html" in response.get_data(as_text=True)


def _end_all_sessions(app, email: str) -> None:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        end_sessions(user_id, LOGOUT)
        db.session.commit()


def test_expired_session_during_htmx_redirects_to_login(app, region_client):
    client = region_client("payakumbuh")
    client.login("supervisor@payakumbuh.demo")
    assert client.get("/cases/", headers=HX).status_code == 200
    _end_all_sessions(app, "supervisor@payakumbuh.demo")
    for headers in (HX, BOOSTED):
        response = client.get("/cases/", headers=headers)
        body = response.get_data(as_text=True)
        assert "<html" not in body.lower()
        assert response.headers["HX-Redirect"].startswith("/login")
        assert response.status_code == 200  # htmx acts on HX-Redirect in any answer it swaps


def test_expired_session_without_htmx_still_redirects(app, region_client):
    client = region_client("payakumbuh")
    client.login("intake_officer@payakumbuh.demo")
    _end_all_sessions(app, "intake_officer@payakumbuh.demo")
    response = client.get("/cases/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert "HX-Redirect" not in response.headers
