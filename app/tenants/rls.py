"""Row-level security on PostgreSQL, applied from migrations.

Every tenant-owned table gets RLS enabled and *forced* (so even the owner is bound)
and one policy: a row is visible and writable only when its `tenant_id` equals the
transaction's `app.tenant_id`; platform code may read across tenants by setting
`app.all_tenants` for one statement (see `app.tenants.scoping`).

A migration that creates a tenant-owned table calls `enable_tenant_rls(op, name)`;
`tests/unit/test_rls_postgres.py` fails on any tenant-owned table without a policy.
"""
from __future__ import annotations

POLICY = "tenant_isolation"


def enable_tenant_rls(op, table: str) -> None:
    """Enable + force RLS on `table` with the tenant policy (no-op on SQLite)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY {POLICY} ON "{table}" '
        "USING (tenant_id::text = current_setting('app.tenant_id', true) "
        "OR current_setting('app.all_tenants', true) = 'on') "
        "WITH CHECK (tenant_id::text = current_setting('app.tenant_id', true))"
    )


def disable_tenant_rls(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


def grant_app_role(connection) -> None:
    """Let the application role (APP_DB_ROLE) read and write, without owning anything.

    Run by `migrations/env.py` after every upgrade, so new tables are covered too.
    """
    import os

    from sqlalchemy import text

    role = os.environ.get("APP_DB_ROLE")
    if not role or connection.dialect.name != "postgresql":
        return
    connection.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    connection.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
    connection.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
