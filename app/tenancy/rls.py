"""Row-level security on PostgreSQL, applied from migrations, and the two database roles.

Roles (created by `scripts/pg-setup`; neither owns a table, is superuser or has BYPASSRLS):

* the **app role** (`APP_DB_ROLE`, `DATABASE_URL`) serves every request. On every
  tenant-owned table RLS is enabled and *forced* with one policy, `tenant_isolation`: a row
  is visible and writable only when its `tenant_id` equals the transaction's
  `app.tenant_id`. No setting widens it.
* the **platform role** (`PLATFORM_DB_ROLE`, `PLATFORM_DATABASE_URL`) is used only by
  statements carrying the `all_tenants` execution option (platform console, national
  dashboard, auditor; see `app.tenancy.scoping`). It has SELECT on the tables and a second
  policy, `platform_read`, `FOR SELECT TO <platform role> USING (true)`. It cannot insert,
  update or delete: platform code that changes a region's rows does so in that region's
  tenant context, as the app role.

A read-only policy for one named role is preferred over `BYPASSRLS` on the platform
role: it exempts reading only, only on the tables that have it, and needs no superuser
on a managed database. `grant_platform_role` (run by `migrations/env.py` after every
upgrade, like `grant_app_role`) creates it on every table with RLS, so tables added
later are covered by construction.

Residual risk, accepted and documented: the app role sets `app.tenant_id` itself (it must,
once per transaction), so SQL that runs as the app role — i.e. code execution inside the
app, not a crafted request — could set it to another region's id and read or write that
region's rows. Nothing short of such code can: no request parameter reaches the setting,
and the former `app.all_tenants` switch no longer exists in any policy.

Tables that carry a `tenant_id` but are *platform* tables (no RLS, no ORM filter) say so in
their model with `__platform_table__ = "<why>"`; `tests/unit/test_tenant_schema.py` and
`tests/unit/test_rls_postgres.py` fail on any table with `tenant_id` that is neither
tenant-owned with RLS nor marked. A migration that creates a tenant-owned table calls
`enable_tenant_rls(op, name)`.
"""
from __future__ import annotations

import os

from sqlalchemy import Table, text

POLICY = "tenant_isolation"
PLATFORM_POLICY = "platform_read"


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
        f"USING (tenant_id = {CURRENT_TENANT}) "
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
    op.execute(f'DROP POLICY IF EXISTS {PLATFORM_POLICY} ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


def platform_tables(metadata) -> dict[str, str]:
    """Tables whose model is marked `__platform_table__ = "<reason>"`: name → reason."""
    from app.extensions import Model

    marked = {}
    for mapper in Model.registry.mappers:
        reason = getattr(mapper.class_, "__platform_table__", None)
        table = mapper.local_table
        if reason and isinstance(table, Table) and table.metadata is metadata:
            marked[table.name] = reason
    return marked


def tenant_policy_tables(connection) -> list[str]:
    """Public tables that carry the tenant policy (PostgreSQL)."""
    return list(connection.execute(text(
        "SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND p.polname = :p ORDER BY c.relname"), {"p": POLICY}).scalars())


def _role(name: str) -> str | None:
    role = os.environ.get(name)
    if role and not role.replace("_", "").isalnum():
        raise ValueError(f"{name} must be a plain role name: {role!r}")
    return role or None


def grant_app_role(connection) -> None:
    """Let the application role (APP_DB_ROLE) read and write, without owning anything.

    Run by `migrations/env.py` after every upgrade, so new tables are covered too.
    """
    role = _role("APP_DB_ROLE")
    if not role or connection.dialect.name != "postgresql":
        return
    connection.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    connection.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
    connection.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))


def grant_platform_role(connection) -> None:
    """Let the platform role (PLATFORM_DB_ROLE) read every table and every tenant's rows.

    SELECT only, on every table; on each table with the tenant policy, the read-only
    `platform_read` policy for that role (recreated, so a renamed role is followed).
    Run by `migrations/env.py` after every upgrade.
    """
    role = _role("PLATFORM_DB_ROLE")
    if not role or connection.dialect.name != "postgresql":
        return
    connection.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    connection.execute(text(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM "{role}"'))
    connection.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
    for table in tenant_policy_tables(connection):
        connection.execute(text(f'DROP POLICY IF EXISTS {PLATFORM_POLICY} ON "{table}"'))
        connection.execute(text(
            f'CREATE POLICY {PLATFORM_POLICY} ON "{table}" FOR SELECT TO "{role}" USING (true)'))
