"""attachments: files on a case or a citizen (stored outside the database under random keys)

Revision ID: g4a0c0de0024
Revises: g3a0c0de0023
Create Date: 2026-12-07 02:00:00

Written by hand.
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'g4a0c0de0024'
down_revision = 'g3a0c0de0023'
branch_labels = None
depends_on = None

KINDS = ("ktp", "kk", "photo", "partner_reply", "other")


def upgrade():
    op.create_table(
        'attachments',
        sa.Column('case_id', sa.Uuid(), nullable=True),
        sa.Column('citizen_id', sa.Uuid(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('filename', sa.String(length=120), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('storage_key', sa.String(length=120), nullable=False),
        sa.Column('uploaded_by', sa.Uuid(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('deleted_by', sa.Uuid(), nullable=True),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name='ck_attachments_kind'),
        sa.CheckConstraint('(case_id IS NULL) <> (citizen_id IS NULL)', name='ck_attachments_one_owner'),
        sa.ForeignKeyConstraint(['tenant_id', 'case_id'], ['cases.tenant_id', 'cases.id'],
                                name='fk_attachments_tenant_id_case_id_cases'),
        sa.ForeignKeyConstraint(['tenant_id', 'citizen_id'], ['citizens.tenant_id', 'citizens.id'],
                                name='fk_attachments_tenant_id_citizen_id_citizens'),
        sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name='fk_attachments_uploaded_by_users'),
        sa.ForeignKeyConstraint(['deleted_by'], ['users.id'], name='fk_attachments_deleted_by_users'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_attachments_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name='pk_attachments'),
        sa.UniqueConstraint('tenant_id', 'storage_key', name='uq_attachments_tenant_id_storage_key'),
    )
    op.create_index('ix_attachments_case', 'attachments', ['tenant_id', 'case_id'])
    op.create_index('ix_attachments_citizen', 'attachments', ['tenant_id', 'citizen_id'])
    enable_tenant_rls(op, 'attachments')


def downgrade():
    disable_tenant_rls(op, 'attachments')
    op.drop_index('ix_attachments_citizen', table_name='attachments')
    op.drop_index('ix_attachments_case', table_name='attachments')
    op.drop_table('attachments')
