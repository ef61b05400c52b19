"""api: per-region API tokens (hashed), webhooks and their delivery log

Revision ID: h4a0c0de0034
Revises: h3a0c0de0033
Create Date: 2026-12-07 01:40:00

Written by hand.
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'h4a0c0de0034'
down_revision = 'h3a0c0de0033'
branch_labels = None
depends_on = None

TABLES = ('api_tokens', 'api_webhooks', 'api_webhook_deliveries')


def _keys(table):
    return (sa.Column('tenant_id', sa.Uuid(), nullable=False), sa.Column('id', sa.Uuid(), nullable=False),
            sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{table}_tenant_id_tenants'),
            sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{table}'))


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('prefix', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        *_keys('api_tokens'),
        sa.CheckConstraint("scope IN ('read', 'write')", name='ck_api_tokens_scope'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name='fk_api_tokens_created_by_users'),
        sa.UniqueConstraint('tenant_id', 'token_hash', name='uq_api_tokens_tenant_id_token_hash'),
    )
    op.create_table(
        'api_webhooks',
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        *_keys('api_webhooks'),
    )
    op.create_table(
        'api_webhook_deliveries',
        sa.Column('webhook_id', sa.Uuid(), nullable=False),
        sa.Column('event_id', sa.Uuid(), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        *_keys('api_webhook_deliveries'),
        sa.ForeignKeyConstraint(['tenant_id', 'webhook_id'], ['api_webhooks.tenant_id', 'api_webhooks.id'],
                                name='fk_api_webhook_deliveries_tenant_id_webhook_id_api_webhooks'),
        sa.UniqueConstraint('tenant_id', 'webhook_id', 'event_id',
                            name='uq_api_webhook_deliveries_tenant_id_webhook_id_event_id'),
    )
    op.create_index('ix_api_webhook_deliveries_webhook_id', 'api_webhook_deliveries', ['webhook_id'])
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_tenant_rls(op, table)
    op.drop_index('ix_api_webhook_deliveries_webhook_id', table_name='api_webhook_deliveries')
    for table in reversed(TABLES):
        op.drop_table(table)
