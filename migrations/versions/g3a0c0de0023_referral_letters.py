"""referral letters: the region's letterhead, per-year letter counters, the letters, and members' NIP

Revision ID: g3a0c0de0023
Revises: g2a0c0de0022
Create Date: 2026-12-07 01:30:00

Written by hand. Letters are append-only, like the case timeline.
"""
import sqlalchemy as sa
from alembic import op

from app.audit.append_only import drop_append_only, make_append_only
from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'g3a0c0de0023'
down_revision = 'g2a0c0de0022'
branch_labels = None
depends_on = None

TABLES = ('letterheads', 'letter_counters', 'referral_letters')


def _owned(name):
    """The columns and constraints of every tenant-owned table."""
    return [
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{name}_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{name}'),
    ]


def upgrade():
    op.create_table(
        'letterheads',
        sa.Column('office_name', sa.String(length=200), nullable=False),
        sa.Column('address', sa.Text(), nullable=False),
        sa.Column('phone', sa.String(length=50), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('number_format', sa.String(length=100), nullable=False),
        sa.Column('logo_png', sa.LargeBinary(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.Uuid(), nullable=True),
        *_owned('letterheads'),
        sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name='fk_letterheads_updated_by_users'),
        sa.UniqueConstraint('tenant_id', name='uq_letterheads_tenant'),
    )
    op.create_table(
        'letter_counters',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        *_owned('letter_counters'),
        sa.UniqueConstraint('tenant_id', 'year', name='uq_letter_counters_tenant_id_year'),
    )
    op.create_table(
        'referral_letters',
        sa.Column('case_id', sa.Uuid(), nullable=False),
        sa.Column('referral_id', sa.Uuid(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('serial', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=120), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('partner_name', sa.String(length=200), nullable=False),
        sa.Column('partner_address', sa.Text(), nullable=False),
        sa.Column('approver_id', sa.Uuid(), nullable=True),
        sa.Column('approver_name', sa.String(length=200), nullable=False),
        sa.Column('approver_title', sa.String(length=200), nullable=False),
        sa.Column('approver_nip', sa.String(length=18), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        *_owned('referral_letters'),
        sa.ForeignKeyConstraint(['tenant_id', 'case_id'], ['cases.tenant_id', 'cases.id'],
                                name='fk_referral_letters_tenant_id_case_id_cases'),
        sa.ForeignKeyConstraint(['tenant_id', 'referral_id'], ['referrals.tenant_id', 'referrals.id'],
                                name='fk_referral_letters_tenant_id_referral_id_referrals'),
        sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name='fk_referral_letters_approver_id_users'),
        sa.UniqueConstraint('tenant_id', 'referral_id', name='uq_referral_letters_tenant_id_referral_id'),
        sa.UniqueConstraint('tenant_id', 'year', 'serial', name='uq_referral_letters_tenant_id_year_serial'),
        sa.UniqueConstraint('tenant_id', 'token', name='uq_referral_letters_tenant_id_token'),
    )
    op.create_index('ix_referral_letters_case_id', 'referral_letters', ['case_id'])
    for table in TABLES:
        enable_tenant_rls(op, table)
    make_append_only(op, 'referral_letters')
    with op.batch_alter_table('memberships') as batch_op:
        batch_op.add_column(sa.Column('nip', sa.String(length=18), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('memberships') as batch_op:
        batch_op.drop_column('nip')
    drop_append_only(op, 'referral_letters')
    for table in TABLES:
        disable_tenant_rls(op, table)
    op.drop_index('ix_referral_letters_case_id', table_name='referral_letters')
    for table in reversed(TABLES):
        op.drop_table(table)
