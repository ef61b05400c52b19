"""merge platform, case assignee and dashboard branches; uuid RLS policies

Revision ID: a776d70c113a
Revises: 73948579d731, b7e2c41d9a05, c3d8a1f0b6e2
Create Date: 2026-11-23 01:54:29.755684

"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import refresh_tenant_policy

# revision identifiers, used by Alembic.
revision = 'a776d70c113a'
down_revision = ('73948579d731', 'b7e2c41d9a05', 'c3d8a1f0b6e2')
branch_labels = None
depends_on = None


def upgrade():
    # Policies made before this revision compared tenant_id::text; the uuid comparison
    # lets the planner use the (tenant_id, …) indexes (see app/tenancy/rls.policy_sql).
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    tables = bind.execute(sa.text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = 'tenant_isolation' "
        "WHERE n.nspname = 'public'")).scalars().all()
    for table in tables:
        refresh_tenant_policy(op, table)


def downgrade():
    pass
