"""Row-level security, checked in PostgreSQL itself (skipped on SQLite)."""
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import QueuePool

from app.extensions import db
from app.tenancy.rls import PLATFORM_POLICY, POLICY, platform_tables

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


def _tables_with_tenant_id() -> dict[str, tuple]:
    """Every public table with a tenant_id column: name → (tenant_id in pk, rls, forced, policies)."""
    rows = db.session.execute(text(
        "SELECT c.relname, "
        "  EXISTS (SELECT 1 FROM pg_constraint pk WHERE pk.conrelid = c.oid AND pk.contype = 'p' "
        "          AND a.attnum = ANY(pk.conkey)), "
        "  c.relrowsecurity, c.relforcerowsecurity, "
        "  (SELECT array_agg(p.polname::text ORDER BY p.polname) FROM pg_policy p WHERE p.polrelid = c.oid) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped "
        "WHERE n.nspname = 'public' AND c.relkind = 'r'"
    )).all()
    return {name: tuple(rest) for name, *rest in rows}


def tenant_tables() -> list[str]:
    return sorted(name for name, (in_pk, *_r) in _tables_with_tenant_id().items() if in_pk)


def test_every_table_with_tenant_id_in_pg_class_has_rls_or_is_a_marked_platform_table(app_ctx):
    tables = _tables_with_tenant_id()
    owned = {name: rest for name, (in_pk, *rest) in tables.items() if in_pk}
    assert len(owned) >= 15
    missing = [name for name, (rls, forced, policies) in owned.items()
               if not (rls and forced and POLICY in (policies or []))]
    assert missing == [], f"tenant-owned tables without forced RLS + policy: {missing}"
    # a tenant_id outside the primary key: only on tables the code marks as platform tables
    platform = platform_tables(db.metadata)
    unmarked = sorted(name for name, (in_pk, *_r) in tables.items() if not in_pk and name not in platform)
    assert unmarked == [], f"tables with tenant_id, no RLS and no platform-table mark: {unmarked}"


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


def _engine(app, key):
    return create_engine(app.config[key])


def test_app_role_cannot_lift_rls_by_setting_all_tenants(app, app_ctx, region_ids):
    """Arbitrary SQL in one region's transaction, as the app role, still sees only that region."""
    engine = _engine(app, "SQLALCHEMY_DATABASE_URI")
    bekasi = region_ids["bekasi"]
    seen = {}
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(bekasi)})
        conn.execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
        for table in tenant_tables():
            seen[table] = set(conn.execute(text(f'SELECT DISTINCT tenant_id FROM "{table}"')).scalars())
    engine.dispose()
    assert seen["positions"] == {bekasi}  # the setting is there, and rows are read
    leaks = {table: ids for table, ids in seen.items() if ids - {bekasi}}
    assert leaks == {}, f"other regions' rows visible to the app role: {leaks}"


def test_platform_engine_reads_every_tenant(app, region_ids):
    engine = _engine(app, "PLATFORM_DATABASE_URI")
    with engine.connect() as conn:
        role = conn.execute(text(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        assert tuple(role) == (False, False)
        owned = conn.execute(text(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user")).scalar()
        assert owned == 0
        ids = set(conn.execute(text("SELECT DISTINCT tenant_id FROM positions")).scalars())
        assert ids >= set(region_ids.values())
    engine.dispose()


def test_platform_role_cannot_write_tenant_rows(app, region_ids):
    engine = _engine(app, "PLATFORM_DATABASE_URI")
    bekasi = str(region_ids["bekasi"])
    statements = [
        "INSERT INTO org_units (tenant_id, id, key, name, kind, legal_basis, service_areas, sort_order) "
        "VALUES (:t, gen_random_uuid(), 'x', 'x', 'field', '', '', 0)",
        "UPDATE org_units SET name = name WHERE tenant_id = :t",
        "DELETE FROM membership_areas WHERE tenant_id = :t",
    ]
    for sql in statements:
        with engine.connect() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, false)"), {"t": bekasi})
            with pytest.raises(Exception) as err:
                conn.execute(text(sql), {"t": bekasi})
            assert "permission denied" in str(err.value), sql
            conn.rollback()
    engine.dispose()


def test_policies_name_no_setting_but_the_tenant(app_ctx):
    quals = db.session.execute(text("SELECT tablename, qual, with_check FROM pg_policies "
                                    "WHERE policyname = :p"), {"p": POLICY}).all()
    assert quals and all("all_tenants" not in (q + (c or "")) for _t, q, c in quals), quals


def test_platform_read_policy_is_select_only_and_for_the_platform_role(app, app_ctx):
    engine = _engine(app, "PLATFORM_DATABASE_URI")
    with engine.connect() as conn:
        platform_role = conn.execute(text("SELECT current_user")).scalar()
    engine.dispose()
    rows = db.session.execute(text(
        "SELECT tablename, cmd, roles FROM pg_policies WHERE policyname = :p"), {"p": PLATFORM_POLICY}).all()
    assert {t for t, _c, _r in rows} == set(tenant_tables())
    assert all(cmd == "SELECT" and list(roles) == [platform_role] for _t, cmd, roles in rows), rows


def test_area_list_reference_check_sees_other_regions_rows(app, app_ctx):
    """`flask wilayah reload` refuses to drop a district another region's staff area still uses."""
    from app.accounts.models import MembershipArea
    from app.reference.loader import _every_region, _references
    from app.tenancy.context import ALL_TENANTS, tenant_context
    from app.tenancy.models import Tenant

    used = db.session.execute(select(MembershipArea.tenant_id, MembershipArea.district_code)
                              .execution_options(**{ALL_TENANTS: True})).first()
    assert used is not None, "the demo regions have supervisors and facilitators with areas"
    other = db.session.scalar(select(Tenant).where(Tenant.id != used.tenant_id).limit(1))
    with tenant_context(other):  # the check runs in another region's context
        problems = _references(_every_region(db.session.connection()), {"districts": {used.district_code}})
    assert any(f"{used.district_code} (districts)" in p and "membership_areas.district_code" in p
               for p in problems), problems
