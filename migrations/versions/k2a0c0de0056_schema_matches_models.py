"""the schema matches the models again: a plan's district code has the districts' length, and on
SQLite the cases' merged-into key is a real foreign key (it was PostgreSQL-only since g2)

Revision ID: k2a0c0de0056
Revises: k1a0c0de0055
Create Date: 2026-12-07 16:05:00

Written by hand; `flask db check` reported both on SQLite.
"""
import sqlalchemy as sa
from alembic import op

revision = 'k2a0c0de0056'
down_revision = 'k1a0c0de0055'
branch_labels = None
depends_on = None

FK = "fk_cases_tenant_id_merged_into_id_cases"


def upgrade():
    with op.batch_alter_table('activity_plans') as batch:
        batch.alter_column('owner_district_code', existing_type=sa.String(length=16), type_=sa.String(length=8),
                           existing_nullable=True)
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a constraint only by rebuilding the table
        with op.batch_alter_table('cases', recreate='always') as batch:
            batch.create_foreign_key(FK, 'cases', ['tenant_id', 'merged_into_id'], ['tenant_id', 'id'])


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('cases', recreate='always') as batch:
            batch.drop_constraint(FK, type_='foreignkey')
    with op.batch_alter_table('activity_plans') as batch:
        batch.alter_column('owner_district_code', existing_type=sa.String(length=8), type_=sa.String(length=16),
                           existing_nullable=True)
