"""Shared fixtures: one migrated, seeded database per test session.

With no environment the tests run on a fresh SQLite file and inline jobs. With
DATABASE_URL (the application role: owns nothing, no BYPASSRLS) and
MIGRATION_DATABASE_URL (the owner) they run on PostgreSQL, so row-level security
is really in force. Tests create the data they change with unique names, so the
seeded regions stay as the templates made them.
"""
from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, make_url, select, text

from app import create_app
from config import TestConfig, _database_url

DEMO_PASSWORD = "test-demo-password"
REGIONS = ("bekasi", "cianjur", "batubara", "payakumbuh", "palembang")


def database_urls(tmp_root) -> tuple[str, str]:
    """(app URL, owner URL) for this run."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = tmp_root / "test.sqlite3"
        return f"sqlite:///{path}", f"sqlite:///{path}"
    return _database_url(url), _database_url(os.environ.get("MIGRATION_DATABASE_URL") or url)


def platform_database_url() -> str | None:
    """The platform role (read-only, every region) on PostgreSQL; None on SQLite (same engine)."""
    url = os.environ.get("PLATFORM_DATABASE_URL")
    return _database_url(url) if url and is_postgres() else None


def is_postgres() -> bool:
    return bool(os.environ.get("DATABASE_URL", "").startswith("postgres"))


def _reset_postgres(owner_url: str) -> None:
    engine = create_engine(owner_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _migrate(owner_url: str, tmp_root) -> None:
    from flask_migrate import upgrade

    owner_app = create_app({**_config(tmp_root), "SQLALCHEMY_DATABASE_URI": owner_url,
                            "MIGRATION_DATABASE_URI": owner_url})
    with owner_app.app_context():
        upgrade(revision="heads")
        from app.extensions import db
        db.engine.dispose()


def _config(tmp_root) -> dict:
    return {
        key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()
    } | {"DEMO_PASSWORD": DEMO_PASSWORD, "REDIS_URL": os.environ.get("REDIS_URL") or None,
         # read here, not at import: a parallel worker has its own Redis number (pytest_configure)
         "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
         "ATTACHMENTS_DIR": tmp_root / "attachments"}


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory):
    return tmp_path_factory.mktemp("slrt")


@pytest.fixture(scope="session")
def app(tmp_root):
    """The application bound to the test database, migrated and seeded once."""
    app_url, owner_url = database_urls(tmp_root)
    if is_postgres():
        _reset_postgres(owner_url)
    _migrate(owner_url, tmp_root)
    app = create_app({**_config(tmp_root), "SQLALCHEMY_DATABASE_URI": app_url,
                      "MIGRATION_DATABASE_URI": owner_url,
                      "PLATFORM_DATABASE_URI": platform_database_url()})
    with app.app_context():
        from app.cli import seed_all

        seed_all(DEMO_PASSWORD)
    yield app


@pytest.fixture()
def app_ctx(app):
    """An app context with a clean session; rolled back afterwards."""
    from app.extensions import db

    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture(scope="session")
def region_ids(app) -> dict[str, uuid.UUID]:
    from app.extensions import db
    from app.tenancy.models import Tenant

    with app.app_context():
        return {t.slug: t.id for t in db.session.scalars(select(Tenant))}


def host_for(app, slug: str | None) -> str:
    base = app.config["BASE_DOMAIN"]
    return f"http://{slug}.{base}" if slug else f"http://{base}"


class HostClient:
    """A test client pinned to one host (a region's subdomain or the apex)."""

    def __init__(self, app, slug: str | None):
        self.app = app
        self.base_url = host_for(app, slug)
        self.client = app.test_client()

    def get(self, path, **kw):
        return self.client.get(path, base_url=self.base_url, **kw)

    def post(self, path, **kw):
        return self.client.post(path, base_url=self.base_url, **kw)

    def login(self, email: str, password: str = DEMO_PASSWORD):
        response = self.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, f"login as {email} failed: {response.status_code}"
        return response


@pytest.fixture()
def region_client(app):
    """`region_client("bekasi")` → a client at bekasi.<base>; `region_client(None)` → the apex."""
    return lambda slug: HostClient(app, slug)


@pytest.fixture()
def staff(region_client):
    """`staff("manager", "cianjur")` → a client logged in as that demo account."""

    def make(role: str, slug: str):
        client = region_client(slug)
        client.login(f"{role}@{slug}.demo")
        return client

    return make


#: Environment variables naming a PostgreSQL database; a parallel worker gets its own copy.
_DATABASE_VARS = ("DATABASE_URL", "MIGRATION_DATABASE_URL", "PLATFORM_DATABASE_URL")
_PG_SETUP = Path(__file__).resolve().parent.parent / "scripts" / "pg-setup"


def pytest_configure(config):
    """Under pytest-xdist each worker after the first gets its own database and Redis number.

    The workers migrate and seed in parallel; sharing one database they would count each
    other's rows and one worker's reset would drop the other's schema. Worker gw0 keeps the
    configured database; gwN uses `<db>_gwN`, made by scripts/pg-setup (same roles), and
    Redis database (n + N) mod 16, emptied first, so no worker takes another's jobs.
    """
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not worker or worker == "gw0":
        return
    number = int(worker.removeprefix("gw"))
    if is_postgres():
        name = f"{make_url(os.environ['DATABASE_URL']).database}_{worker}"
        _make_worker_database(name)
        for var in _DATABASE_VARS:
            if os.environ.get(var):
                os.environ[var] = make_url(os.environ[var]).set(database=name).render_as_string(
                    hide_password=False)
    if os.environ.get("REDIS_URL"):
        from redis import Redis

        parts = urlsplit(os.environ["REDIS_URL"])
        db_number = (int(parts.path.strip("/") or 0) + number) % 16
        os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{db_number}"))
        Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=2).flushdb()


def _make_worker_database(name: str) -> None:
    """(Re)create a worker's database with scripts/pg-setup; its role statements may meet another's."""
    for attempt in range(5):
        done = subprocess.run([str(_PG_SETUP), name, "--recreate"], capture_output=True, text=True)
        if done.returncode == 0:
            return
        time.sleep(0.5 * (attempt + 1))
    raise pytest.UsageError(f"scripts/pg-setup {name} failed: {done.stderr.strip()}")


def pytest_sessionstart(session):
    """Under CI the production path is mandatory: no silent fallback to SQLite or inline jobs."""
    if os.environ.get("CI") != "true":
        return
    if not is_postgres():
        pytest.exit("CI must run on PostgreSQL: DATABASE_URL is not set", returncode=1)
    if not platform_database_url():
        pytest.exit("CI must run with the platform role: PLATFORM_DATABASE_URL is not set", returncode=1)
    if not os.environ.get("REDIS_URL"):
        pytest.exit("CI must run with Redis: REDIS_URL is not set", returncode=1)
    from redis import Redis

    try:
        Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=2).ping()
    except Exception as exc:
        pytest.exit(f"CI: Redis unreachable at {os.environ['REDIS_URL']}: {exc}", returncode=1)


def pytest_collection_modifyitems(config, items):
    if is_postgres():
        return
    skip = pytest.mark.skip(reason="PostgreSQL-only (row-level security): set DATABASE_URL to run")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
