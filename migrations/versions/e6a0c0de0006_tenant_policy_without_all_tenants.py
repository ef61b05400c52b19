"""tenant policy without the app.all_tenants switch: platform reads use their own role

Revision ID: e6a0c0de0006
Revises: e5a0c0de0005
Create Date: 2026-12-06 23:55:00

The app role could lift row-level security by setting `app.all_tenants` itself. Every
tenant policy becomes `tenant_id = current tenant` (app/tenancy/rls.policy_sql); reads
across regions go to the platform role, whose read-only `platform_read` policy
`migrations/env.py` (re)creates after every upgrade (app/tenancy/rls.grant_platform_role).
"""
from alembic import op

from app.tenancy.rls import CURRENT_TENANT, POLICY, refresh_tenant_policy, tenant_policy_tables

# revision identifiers, used by Alembic.
revision = 'e6a0c0de0006'
down_revision = 'e5a0c0de0005'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in tenant_policy_tables(bind):
        refresh_tenant_policy(op, table)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in tenant_policy_tables(bind):  # the policy as it was (frozen here)
        op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        op.execute(
            f'CREATE POLICY {POLICY} ON "{table}" '
            f"USING (tenant_id = {CURRENT_TENANT} OR current_setting('app.all_tenants', true) = 'on') "
            f"WITH CHECK (tenant_id = {CURRENT_TENANT})")
