"""partner portal: partner officers answer the referrals addressed to their organisation

Revision ID: h3a0c0de0033
Revises: h2a0c0de0032
Create Date: 2026-12-07 01:30:00

Written by hand. `partner_memberships` makes a user an officer of one partner of a region (never a
staff membership); `invitations.partner_id` invites one; `referrals.partner_answered_at` and
`partner_reminded_at` keep when the partner answered and when it was last reminded;
`tenants.partner_response_hours` is the region's response time for partners (default 72).
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'h3a0c0de0033'
down_revision = 'h2a0c0de0032'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_memberships',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('partner_id', sa.Uuid(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id', 'partner_id'], ['partners.tenant_id', 'partners.id'],
                                name='fk_partner_memberships_tenant_id_partner_id_partners'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_partner_memberships_user_id_users'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_partner_memberships_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name='pk_partner_memberships'),
        sa.UniqueConstraint('tenant_id', 'user_id', name='uq_partner_memberships_tenant_id_user_id'),
    )
    op.create_index('ix_partner_memberships_user_id', 'partner_memberships', ['user_id'])
    enable_tenant_rls(op, 'partner_memberships')
    with op.batch_alter_table('invitations') as batch:
        batch.add_column(sa.Column('partner_id', sa.Uuid(), nullable=True))
    with op.batch_alter_table('referrals') as batch:
        batch.add_column(sa.Column('partner_answered_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('partner_reminded_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('tenants') as batch:
        batch.add_column(sa.Column('partner_response_hours', sa.Integer(), nullable=False, server_default='72'))


def downgrade():
    with op.batch_alter_table('tenants') as batch:
        batch.drop_column('partner_response_hours')
    with op.batch_alter_table('referrals') as batch:
        batch.drop_column('partner_reminded_at')
        batch.drop_column('partner_answered_at')
    with op.batch_alter_table('invitations') as batch:
        batch.drop_column('partner_id')
    disable_tenant_rls(op, 'partner_memberships')
    op.drop_index('ix_partner_memberships_user_id', table_name='partner_memberships')
    op.drop_table('partner_memberships')
