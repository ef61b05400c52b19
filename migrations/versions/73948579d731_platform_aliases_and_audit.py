"""platform: former subdomains (tenant aliases) and the platform audit log

Revision ID: 73948579d731
Revises: 4f6cc91d59c6
Create Date: 2026-11-24 10:00:00

Written by hand (sibling revisions branch from the same head; a merge revision follows).
Both tables are platform tables (not tenant-owned): no row-level security. The platform
audit log is append-only, like the regions' audit log.
"""
import sqlalchemy as sa
from alembic import op

from app.audit.append_only import drop_append_only, make_append_only

revision = '73948579d731'
down_revision = '4f6cc91d59c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tenant_aliases',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('old_slug', sa.String(length=63), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tenant_aliases_tenant_id_tenants')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_aliases')),
        sa.UniqueConstraint('old_slug', name=op.f('uq_tenant_aliases_old_slug')),
    )
    op.create_index(op.f('ix_tenant_aliases_tenant_id'), 'tenant_aliases', ['tenant_id'], unique=False)

    op.create_table(
        'platform_audit_events',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=True),
        sa.Column('actor', sa.String(length=254), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=True),
        sa.Column('object_type', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.String(length=64), nullable=False),
        sa.Column('ip', sa.String(length=64), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_platform_audit_events_tenant_id_tenants')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_platform_audit_events_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_audit_events')),
    )
    op.create_index(op.f('ix_platform_audit_events_at'), 'platform_audit_events', ['at'], unique=False)
    op.create_index(op.f('ix_platform_audit_events_tenant_id'), 'platform_audit_events', ['tenant_id'],
                    unique=False)
    make_append_only(op, 'platform_audit_events')


def downgrade():
    drop_append_only(op, 'platform_audit_events')
    op.drop_index(op.f('ix_platform_audit_events_tenant_id'), table_name='platform_audit_events')
    op.drop_index(op.f('ix_platform_audit_events_at'), table_name='platform_audit_events')
    op.drop_table('platform_audit_events')
    op.drop_index(op.f('ix_tenant_aliases_tenant_id'), table_name='tenant_aliases')
    op.drop_table('tenant_aliases')
