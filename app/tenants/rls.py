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
    op.execute(policy_sql(table))


#: The tenant of the transaction as a uuid (NULL when unset), compared with the column's own
#: type so the planner can use the (tenant_id, …) indexes.
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def policy_sql(table: str) -> str:
    return (
        f'CREATE POLICY {POLICY} ON "{table}" '
        f"USING (tenant_id = {CURRENT_TENANT} OR current_setting('app.all_tenants', true) = 'on') "
        f"WITH CHECK (tenant_id = {CURRENT_TENANT})"
    )


def refresh_tenant_policy(op, table: str) -> None:
    """Replace the policy of `table` with the current `policy_sql` (no-op on SQLite)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
    op.execute(policy_sql(table))


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
