"""register import jobs (the DTKS upload imported in the background)

Revision ID: e5a0c0de0005
Revises: e2a0c0de0002
Create Date: 2026-12-06 23:45:00

Written by hand.
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'e5a0c0de0005'
down_revision = 'e2a0c0de0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'register_import_jobs',
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.Column('import_id', sa.Uuid(), nullable=True),
        sa.Column('requested_by', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'import_id'], ['register_imports.tenant_id', 'register_imports.id'],
                                name='fk_register_import_jobs_tenant_id_import_id_register_imports'),
        sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name='fk_register_import_jobs_requested_by_users'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_register_import_jobs_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name='pk_register_import_jobs'),
    )
    enable_tenant_rls(op, 'register_import_jobs')


def downgrade():
    disable_tenant_rls(op, 'register_import_jobs')
    op.drop_table('register_import_jobs')
