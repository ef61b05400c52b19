"""The region dashboards and the console can read a replica (`app.tenancy.reads`); writes never do.

The "replica" here is the test database reached through a second URL (another engine, another
pool, read-only connections): enough to see which engine each statement goes to. Each engine's
statements are counted with `before_cursor_execute`.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.extensions import db
from app.org.models import OrgUnit
from app.tenancy.context import ALL_TENANTS, tenant_context
from app.tenancy.reads import PLATFORM_REPLICA_BIND, PRIMARY, REPLICA_BIND, read_from_replica
from config import ROOT
from tests.conftest import HostClient
from tests.factories import tenant

WRITES = ("INSERT", "UPDATE", "DELETE")
BOARD = "/dashboard/?from=2025-01-01&to=2025-12-31"


def _second_url(url: str, name: str) -> str:
    """The same database through another URL (SQLite: a pysqlite option; PostgreSQL: application_name)."""
    extra = {"application_name": name} if url.startswith("postgresql") else {"timeout": "7"}
    return make_url(url).update_query_dict(extra).render_as_string(hide_password=False)


def _replica_config(app, *, platform: bool = True, **overrides) -> dict:
    config = {**app.config, "REPLICA_DATABASE_URI": _second_url(app.config["SQLALCHEMY_DATABASE_URI"], "replica")}
    platform_url = app.config.get("PLATFORM_DATABASE_URI") or app.config["SQLALCHEMY_DATABASE_URI"]
    config["PLATFORM_REPLICA_DATABASE_URI"] = _second_url(platform_url, "platform_replica") if platform else None
    return config | overrides


@pytest.fixture(scope="module")
def replica_app(app):
    replica = create_app(_replica_config(app))
    yield replica
    with replica.app_context():
        for engine in db.engines.values():
            engine.dispose()


@dataclass
class Seen:
    """Statements per engine: `primary`, `replica`, `platform_replica` (the tenant setting left out)."""

    by_engine: dict[str, list[tuple[str, object]]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> list[str]:
        return [s for s, _params in self.by_engine.get(name, [])]

    def params(self, name: str) -> list[object]:
        return [p for _s, p in self.by_engine.get(name, [])]

    def selects(self, name: str) -> list[str]:
        return [s for s in self[name] if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    def writes(self, name: str) -> list[str]:
        return [s for s in self[name] if s.lstrip().upper().startswith(WRITES)]


@contextmanager
def seen_by_engine(flask_app, *, with_setting: bool = False) -> Iterator[Seen]:
    seen = Seen()
    with flask_app.app_context():
        engines = {"primary": db.engine, **{key: db.engines[key] for key in (REPLICA_BIND, PLATFORM_REPLICA_BIND)
                                            if key in db.engines}}
        if "platform" in db.engines:
            engines["platform"] = db.engines["platform"]
    listeners = []
    for name, engine in engines.items():
        def listener(_conn, _cursor, statement, params, *_rest, name=name):
            if with_setting or "set_config" not in statement:
                seen.by_engine.setdefault(name, []).append((statement, params))
        event.listen(engine, "before_cursor_execute", listener)
        listeners.append((engine, listener))
    try:
        yield seen
    finally:
        for engine, listener in listeners:
            event.remove(engine, "before_cursor_execute", listener)


def _client(flask_app, slug: str | None, email: str) -> HostClient:
    client = HostClient(flask_app, slug)
    client.login(email)
    return client


def _get(client: HostClient, path: str, **kw) -> Seen:
    """What one GET (after a warming one) sends to each engine."""
    client.get(path, **kw)
    with seen_by_engine(client.app) as seen:
        response = client.get(path, **kw)
    assert response.status_code == 200, (path, response.status_code)
    return seen


def _regions_named(params, region_ids: dict) -> set[str]:
    """The regions whose id is among a statement's parameters."""
    known = {form: slug for slug, rid in region_ids.items() for form in (str(rid), rid.hex)}
    values = params.values() if isinstance(params, dict) else params
    flat = [v for value in values for v in (value if isinstance(value, (list, tuple)) else (value,))]
    return {known[str(v)] for v in flat if str(v) in known}


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


# --- configuration -------------------------------------------------------------------------------


def test_replica_urls_are_read_from_the_environment_like_the_platform_url():
    code = ("from config import Config as C; "
            "print(C.REPLICA_DATABASE_URI); print(C.PLATFORM_REPLICA_DATABASE_URI)")
    env = {"PATH": "/usr/bin:/bin", "REPLICA_DATABASE_URL": "postgres://slrt_app@replica:5432/slrt",
           "PLATFORM_REPLICA_DATABASE_URL": "postgresql://slrt_platform@replica/slrt"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.split() == ["postgresql+psycopg://slrt_app@replica:5432/slrt",
                                   "postgresql+psycopg://slrt_platform@replica/slrt"]
    unset = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={"PATH": "/usr/bin:/bin"},
                           capture_output=True, text=True, timeout=60, check=True)
    assert unset.stdout.split() == ["None", "None"]


def test_each_replica_url_is_a_bind_of_its_own_and_unset_means_none(app, replica_app):
    binds = replica_app.config["SQLALCHEMY_BINDS"]
    assert binds[REPLICA_BIND] == replica_app.config["REPLICA_DATABASE_URI"]
    assert binds[PLATFORM_REPLICA_BIND] == replica_app.config["PLATFORM_REPLICA_DATABASE_URI"]
    assert REPLICA_BIND not in (app.config.get("SQLALCHEMY_BINDS") or {})  # the shared default untouched
    # a config copied from an app with replicas, the URLs unset: no replica binds, no engines
    bare = create_app({**replica_app.config, "REPLICA_DATABASE_URI": None, "PLATFORM_REPLICA_DATABASE_URI": None})
    assert REPLICA_BIND in replica_app.config["SQLALCHEMY_BINDS"]
    assert not {REPLICA_BIND, PLATFORM_REPLICA_BIND} & set(bare.config["SQLALCHEMY_BINDS"])
    with bare.app_context():
        assert not {REPLICA_BIND, PLATFORM_REPLICA_BIND} & set(db.engines)
        for engine in db.engines.values():
            engine.dispose()


# --- the region dashboard ------------------------------------------------------------------------


def test_dashboard_and_its_sections_read_the_replica(replica_app):
    manager = _client(replica_app, "bekasi", "manager@bekasi.demo")
    for path in (BOARD, "/dashboard/section?part=casework&from=2025-01-01&to=2025-12-31",
                 "/dashboard/section?part=access&from=2025-01-01&to=2025-12-31"):
        seen = _get(manager, path)
        figures = [s for s in seen.selects("replica") if "rollups" in s]
        assert figures, path  # the board's figures come from the replica ...
        assert not [s for s in seen.selects("primary") if "rollups" in s or "sop_versions" in s], path
        # ... while the login check (session, user, membership) read the primary, before the switch
        assert any("user_sessions" in s for s in seen.selects("primary")), path
        assert not [s for s in seen["replica"] if "user_sessions" in s or "memberships" in s], path
        assert not seen.writes("replica"), path


def test_writes_of_a_dashboard_request_go_to_the_primary(replica_app, monkeypatch):
    monkeypatch.setitem(replica_app.config, "SESSION_TOUCH_SECONDS", 0)  # every request records activity
    manager = _client(replica_app, "bekasi", "manager@bekasi.demo")
    seen = _get(manager, BOARD)
    assert seen.selects("replica")
    assert [s for s in seen.writes("primary") if s.startswith("UPDATE user_sessions")]
    assert not seen.writes("replica") and not seen.writes(PLATFORM_REPLICA_BIND)


def test_a_manager_of_bekasi_sees_bekasi_only_on_the_replica_path(app, replica_app, staff, region_ids):
    manager = _client(replica_app, "bekasi", "manager@bekasi.demo")
    seen = _get(manager, BOARD)
    named = [_regions_named(params, region_ids) for params in seen.params("replica")]
    assert set().union(*named) == {"bekasi"}  # the tenant criteria carry Bekasi's id, and no other
    criteria = [(s, p) for s, p in seen.by_engine["replica"] if re.search(r"tenant_id = (\?|%\()", s)]
    assert criteria and all(_regions_named(p, region_ids) == {"bekasi"} for _s, p in criteria)
    # the same board as the primary shows
    on_primary = staff("manager", "bekasi").get(BOARD).get_data(as_text=True)
    assert _main(manager.get(BOARD).get_data(as_text=True)) == _main(on_primary)


def test_pages_that_show_their_own_writes_and_posts_stay_on_the_primary(replica_app):
    manager = _client(replica_app, "bekasi", "manager@bekasi.demo")
    for path in ("/dashboard/reports", "/dashboard/reports/settings"):
        seen = _get(manager, path)
        assert not seen["replica"] and seen.selects("primary"), path
    with seen_by_engine(replica_app) as seen:
        refused = manager.post("/dashboard/reports", data={"kind": "nothing"})
    assert refused.status_code == 422 and not seen["replica"] and seen.selects("primary")


def test_casework_pages_send_nothing_to_the_replica(replica_app):
    officer = _client(replica_app, "bekasi", "case_officer@bekasi.demo")
    for path in ("/cases/", "/home"):
        seen = _get(officer, path)
        assert seen.selects("primary") and not seen["replica"] and not seen[PLATFORM_REPLICA_BIND], path


def test_without_a_replica_everything_reads_the_primary(app, staff):
    with app.app_context():
        assert not {REPLICA_BIND, PLATFORM_REPLICA_BIND} & set(db.engines)
    seen = _get(staff("manager", "bekasi"), BOARD)
    assert set(seen.by_engine) == {"primary"} and seen.selects("primary")
    with app.app_context(), seen_by_engine(app) as seen, tenant_context(tenant("bekasi")):
        read_from_replica()  # the switch alone changes nothing
        assert db.session.scalar(select(func.count()).select_from(OrgUnit)) > 0
        db.session.rollback()
    assert set(seen.by_engine) == {"primary"} and len(seen.selects("primary")) == 2  # the region, the count


# --- the console ---------------------------------------------------------------------------------


def test_console_reads_go_to_the_replicas_and_the_auditor_log_to_the_primary(app, replica_app, region_ids):
    auditor = _client(replica_app, None, "auditor@platform.demo")
    compare = _get(auditor, "/console/compare")
    assert compare.selects(PLATFORM_REPLICA_BIND)  # reads across regions: the platform role's replica
    assert [s for s in compare.writes("primary") if s.startswith("INSERT INTO platform_audit_events")]
    assert not compare.writes(REPLICA_BIND) and not compare.writes(PLATFORM_REPLICA_BIND)
    listing = _get(auditor, "/console/")
    assert listing.selects(REPLICA_BIND) or listing.selects(PLATFORM_REPLICA_BIND)
    assert not [s for s in listing.selects("primary") if "cases" in s or "audit_events" in s]
    # one region's figures: read inside that region, on the replica, with its criteria only
    figures = _get(auditor, f"/console/regions/{region_ids['bekasi']}/figures")
    assert figures.selects(REPLICA_BIND)
    named = set().union(*(_regions_named(p, region_ids) for p in figures.params(REPLICA_BIND)))
    assert named == {"bekasi"}
    path = f"/console/regions/{region_ids['bekasi']}/figures?period=year&year=2025"
    on_primary = _client(app, None, "auditor@platform.demo").get(path).get_data(as_text=True)
    assert _main(auditor.get(path).get_data(as_text=True)) == _main(on_primary)  # RLS sees Bekasi there too
    # a region's page is where its forms redirect: it reads the primary
    region = _get(auditor, f"/console/regions/{region_ids['bekasi']}")
    assert not region[REPLICA_BIND] and not region[PLATFORM_REPLICA_BIND]


def test_without_a_platform_replica_cross_region_reads_use_the_platform_engine(app):
    only_app_role = create_app(_replica_config(app, platform=False))
    try:
        auditor = _client(only_app_role, None, "auditor@platform.demo")
        seen = _get(auditor, "/console/compare")
        platform = "platform" if "platform" in seen.by_engine else "primary"
        assert seen.selects(platform) and not seen[PLATFORM_REPLICA_BIND]
        assert not [s for s in seen[REPLICA_BIND] if "case_rollups" in s]  # never the app role for all regions
    finally:
        with only_app_role.app_context():
            for engine in db.engines.values():
                engine.dispose()


# --- what the switch cannot do -------------------------------------------------------------------


@pytest.fixture()
def replica_ctx(replica_app):
    """Bekasi, in an app context of the replica app with the switch on; rolled back afterwards."""
    with replica_app.app_context(), tenant_context(tenant("bekasi")):
        read_from_replica()
        yield replica_app
        db.session.rollback()


def test_the_switch_cannot_be_used_to_write(replica_ctx):
    with seen_by_engine(replica_ctx) as seen:
        db.session.execute(update(OrgUnit).where(OrgUnit.name == "tidak-ada").values(name="dirusak"))
        db.session.execute(select(OrgUnit.id).with_for_update().limit(1)).all()  # a row lock: primary
        unit = db.session.scalars(select(OrgUnit).limit(1)).one()
        unit.name = unit.name + " (diubah)"  # a row read from the replica, changed and flushed
        db.session.flush()
        db.session.refresh(unit)  # the row as written: primary
    assert len([s for s in seen.writes("primary") if s.startswith("UPDATE org_units")]) == 2
    assert not seen.writes(REPLICA_BIND) and not seen.writes(PLATFORM_REPLICA_BIND)
    assert len(seen.selects(REPLICA_BIND)) == 1  # only the plain read
    assert len([s for s in seen.selects("primary") if "org_units" in s]) == 2  # FOR UPDATE, refresh


def test_a_write_forced_onto_a_replica_connection_is_refused_by_the_database(replica_ctx):
    for key in (REPLICA_BIND, PLATFORM_REPLICA_BIND):
        connection = db.session.connection(bind_arguments={"bind": db.engines[key]})
        with pytest.raises(DBAPIError, match=r"(?i)read.?only"):
            connection.execute(update(OrgUnit).where(OrgUnit.name == "tidak-ada").values(name="dirusak"))
        db.session.rollback()


def test_the_primary_option_and_textual_sql_keep_a_read_on_the_primary(replica_ctx):
    with seen_by_engine(replica_ctx) as seen:
        db.session.scalar(select(func.count()).select_from(OrgUnit).execution_options(**{PRIMARY: True}))
        db.session.execute(text("SELECT 1")).all()
    assert len(seen.selects("primary")) == 2 and not seen[REPLICA_BIND]
    with seen_by_engine(replica_ctx) as seen:
        db.session.scalar(select(func.count()).select_from(OrgUnit)
                          .execution_options(**{ALL_TENANTS: True, PRIMARY: True}))
    assert not seen[PLATFORM_REPLICA_BIND]


# --- PostgreSQL: the replica's transaction carries the region ------------------------------------


@pytest.mark.postgres
def test_the_replica_connection_carries_the_region_on_postgres(replica_ctx, region_ids):
    setting = select(func.current_setting("app.tenant_id"))
    assert db.session.scalar(select(func.current_setting("application_name"))) == "replica"
    assert db.session.scalar(setting) == str(region_ids["bekasi"])
    assert db.session.scalar(setting.execution_options(**{PRIMARY: True})) == str(region_ids["bekasi"])
    with tenant_context(tenant("cianjur")):  # the region changes mid-transaction: every connection follows
        assert db.session.scalar(setting) == str(region_ids["cianjur"])
        assert db.session.scalar(setting.execution_options(**{PRIMARY: True})) == str(region_ids["cianjur"])
    assert db.session.scalar(setting) == str(region_ids["bekasi"])
    assert db.session.scalar(select(func.current_setting("transaction_read_only"))) == "on"


@pytest.mark.postgres
def test_the_dashboard_replica_transaction_is_set_to_the_region_on_postgres(replica_app, region_ids):
    manager = _client(replica_app, "bekasi", "manager@bekasi.demo")
    manager.get(BOARD)
    with seen_by_engine(replica_app, with_setting=True) as seen:
        assert manager.get(BOARD).status_code == 200
    settings = [p for s, p in seen.by_engine[REPLICA_BIND] if "set_config" in s]
    assert settings and all(p["tid"] == str(region_ids["bekasi"]) for p in settings)


@pytest.mark.postgres
def test_cross_region_reads_use_the_platform_role_on_its_replica_on_postgres(app, replica_ctx):
    platform_role = make_url(app.config["PLATFORM_DATABASE_URI"]).username
    across = {ALL_TENANTS: True}
    assert db.session.scalar(select(func.current_user()).execution_options(**across)) == platform_role
    assert db.session.scalar(select(func.current_setting("application_name")).execution_options(**across)) \
        == "platform_replica"


