"""Outages that must not cost a user a 500: Redis down (rate limits fall back to memory, /healthz
stays 200 so a load balancer keeps the instance), a terminated database connection (pre-ping);
and /healthz's documented meaning (database down = 503).
"""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import limiter
from tests.conftest import DEMO_PASSWORD, host_for

CLOSED_REDIS = "redis://127.0.0.1:6390/0"  # nothing listens here
CLOSED_DATABASE = "postgresql+psycopg://slrt_app@127.0.0.1:5999/none"


@pytest.fixture()
def other_app(app):
    """`other_app(**overrides)`: a second app on the test database with some settings changed.

    The limiter is one object shared by every app in the process; it is bound back to the
    session's app afterwards so the other tests keep their settings.
    """
    made = []

    def make(**overrides):
        config = {key: value for key, value in app.config.items() if key.isupper()}
        made.append(create_app({**config, **overrides}))
        return made[-1]

    yield make
    limiter._storage_dead = False
    limiter.init_app(app)


def test_login_and_public_status_survive_a_redis_outage(other_app, caplog):
    broken = other_app(REDIS_URL=CLOSED_REDIS, RATELIMIT_STORAGE_URI=CLOSED_REDIS, RATELIMIT_ENABLED=True)
    client, base = broken.test_client(), host_for(broken, "cianjur")
    with caplog.at_level(logging.WARNING):
        login = client.post("/login", data={"email": "manager@cianjur.demo", "password": DEMO_PASSWORD},
                            base_url=base)
        status_page = client.get("/status", base_url=base)
        status_check = client.post("/status", data={"ticket": "X", "phone_last4": "0000"}, base_url=base)
    assert login.status_code == 302  # logged in, rate limit counted in memory
    assert status_page.status_code == 200 and status_check.status_code < 500
    assert any("in-memory" in record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING)


def test_healthz_with_redis_down_is_200_and_says_so(other_app):
    broken = other_app(REDIS_URL=CLOSED_REDIS, RATELIMIT_STORAGE_URI=CLOSED_REDIS)
    response = broken.test_client().get("/healthz", base_url=host_for(broken, None))
    body = response.get_json()
    assert response.status_code == 200
    assert (body["database"], body["redis"]) == ("ok", "down")


def test_healthz_with_the_database_down_is_503(other_app):
    broken = other_app(SQLALCHEMY_DATABASE_URI=CLOSED_DATABASE)
    response = broken.test_client().get("/healthz", base_url=host_for(broken, None))
    assert response.status_code == 503 and response.get_json()["database"] == "error"


def test_healthz_when_all_is_well(app):
    body = app.test_client().get("/healthz", base_url=host_for(app, None)).get_json()
    assert body["database"] == "ok" and body["redis"] in ("ok", "inline")


@pytest.mark.postgres
def test_a_terminated_database_connection_costs_no_user_a_500(app, staff):
    client = staff("manager", "cianjur")
    assert client.get("/register/").status_code == 200  # the pool now holds a connection of the app role
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])  # a role may end its own backends
    with killer.begin() as conn:
        killed = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()")).scalar()
    killer.dispose()
    assert killed >= 1
    assert client.get("/register/").status_code == 200
