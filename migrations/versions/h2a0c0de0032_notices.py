"""in-app notices and members' email choices per notice kind

Revision ID: h2a0c0de0032
Revises: h1a0c0de0031
Create Date: 2026-12-07 01:40:00

Written by hand.
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'h2a0c0de0032'
down_revision = 'h1a0c0de0031'
branch_labels = None
depends_on = None

KINDS = "kind IN ('case_waiting', 'referral_approved', 'referral_returned', 'sla_passed', 'invitation_accepted')"


def _owned(name):
    return [
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{name}_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{name}'),
    ]


def upgrade():
    op.create_table(
        'notices',
        sa.Column('recipient_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('case_id', sa.Uuid(), nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('dedupe', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        *_owned('notices'),
        sa.CheckConstraint(KINDS, name='ck_notices_kind'),
        sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name='fk_notices_recipient_id_users'),
        sa.ForeignKeyConstraint(['tenant_id', 'case_id'], ['cases.tenant_id', 'cases.id'],
                                name='fk_notices_tenant_id_case_id_cases'),
        sa.UniqueConstraint('tenant_id', 'recipient_id', 'dedupe', name='uq_notices_tenant_id_recipient_id_dedupe'),
    )
    op.create_index('ix_notices_recipient_unread', 'notices', ['tenant_id', 'recipient_id', 'read_at'])
    op.create_table(
        'notice_preferences',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('email', sa.Boolean(), nullable=False),
        *_owned('notice_preferences'),
        sa.CheckConstraint(KINDS, name='ck_notice_preferences_kind'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_notice_preferences_user_id_users'),
        sa.UniqueConstraint('tenant_id', 'user_id', 'kind', name='uq_notice_preferences_tenant_id_user_id_kind'),
    )
    for table in ('notices', 'notice_preferences'):
        enable_tenant_rls(op, table)


def downgrade():
    for table in ('notice_preferences', 'notices'):
        disable_tenant_rls(op, table)
        op.drop_table(table)
