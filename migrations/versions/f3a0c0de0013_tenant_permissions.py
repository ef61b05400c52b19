"""who may do what outside the SOP, per region: tenants.permissions (empty = the defaults)

Revision ID: f3a0c0de0013
Revises: f2a0c0de0012
Create Date: 2026-12-09 10:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3a0c0de0013'
down_revision = 'f2a0c0de0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("permissions", sa.JSON(), nullable=False, server_default="{}"))


def downgrade():
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("permissions")
