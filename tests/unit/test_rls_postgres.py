"""Row-level security, checked in PostgreSQL itself (skipped on SQLite)."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import QueuePool

from app.extensions import db

pytestmark = pytest.mark.postgres


def test_app_role_cannot_bypass_rls(app_ctx):
    row = db.session.execute(text(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )).one()
    assert row == (False, False)
    owned = db.session.execute(text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
    )).scalar()
    assert owned == 0, "the application role must own no tables"


def test_every_tenant_table_in_pg_class_has_forced_rls_and_policy(app_ctx):
    tables = db.session.execute(text(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
        "  (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        # Tenant-owned tables have tenant_id in their primary key; platform tables that merely
        # point at a region (invitations, aliases, platform audit) don't, and have no RLS.
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped "
        "JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p' AND a.attnum = ANY(pk.conkey) "
        "WHERE n.nspname = 'public' AND c.relkind = 'r'"
    )).all()
    assert len(tables) >= 15
    missing = [name for name, rls, forced, policies in tables if not (rls and forced and policies)]
    assert missing == [], f"tenant-owned tables without forced RLS + policy: {missing}"


def test_raw_sql_without_tenant_setting_returns_no_rows(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        for table in ("org_units", "positions", "memberships"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    engine.dispose()


def test_alternating_tenants_on_one_connection_do_not_leak(app, region_ids):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=QueuePool,
                           pool_size=1, max_overflow=0)
    seen = {}
    for _ in range(3):
        for slug, tid in region_ids.items():
            with engine.begin() as conn:
                conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tid)})
                ids = set(conn.execute(text("SELECT DISTINCT tenant_id FROM positions")).scalars())
                assert ids == {tid}, slug
                seen[slug] = True
            with engine.connect() as conn:  # the next transaction starts with no tenant
                assert conn.execute(text("SELECT count(*) FROM positions")).scalar() == 0
    assert engine.pool.checkedout() == 0 and len(seen) == len(region_ids)
    engine.dispose()


def test_insert_for_another_tenant_is_refused_by_policy(app, region_ids):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, false)"), {"t": str(region_ids["bekasi"])})
        with pytest.raises(Exception) as err:
            conn.execute(text(
                "INSERT INTO org_units (tenant_id, id, key, name, kind, legal_basis, service_areas, sort_order) "
                "VALUES (:t, gen_random_uuid(), 'x', 'x', 'field', '', '', 0)"), {"t": str(region_ids["cianjur"])})
        assert "row-level security" in str(err.value)
        conn.rollback()
    engine.dispose()


def test_policies_compare_uuids_so_indexes_apply(app_ctx):
    quals = db.session.execute(text(
        "SELECT tablename, qual FROM pg_policies WHERE policyname = 'tenant_isolation'")).all()
    # The old form cast the column, `(tenant_id)::text = …`, which no index can serve.
    assert quals and all("(tenant_id)::text" not in qual and "::uuid" in qual for _t, qual in quals), quals
