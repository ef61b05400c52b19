"""monitoring and evaluation: annual activity plans and budgets, their realisation, and the
evaluating office's notes on the year

Revision ID: j4a0c0de0054
Revises: j3a0c0de0053
Create Date: 2026-12-08 06:00:00

Written by hand.
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'j4a0c0de0054'
down_revision = 'j3a0c0de0053'
branch_labels = None
depends_on = None

TABLES = ('activity_plans', 'plan_activities', 'budget_lines', 'budget_spending', 'evaluation_notes')


def _tenant_columns(table: str) -> list:
    return [
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{table}_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{table}'),
    ]


def upgrade():
    op.create_table(
        'activity_plans',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('owner_key', sa.String(length=60), nullable=False),
        sa.Column('owner_unit_id', sa.Uuid(), nullable=True),
        sa.Column('owner_district_code', sa.String(length=16), nullable=True),
        sa.Column('owner_name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Uuid(), nullable=True),
        *_tenant_columns('activity_plans'),
        sa.ForeignKeyConstraint(['tenant_id', 'owner_unit_id'], ['org_units.tenant_id', 'org_units.id'],
                                name='fk_activity_plans_tenant_id_org_units'),
        sa.ForeignKeyConstraint(['owner_district_code'], ['districts.code'],
                                name='fk_activity_plans_owner_district_code_districts'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name='fk_activity_plans_created_by_users'),
        sa.UniqueConstraint('tenant_id', 'year', 'owner_key', name='uq_activity_plans_owner_year'),
    )
    op.create_table(
        'plan_activities',
        sa.Column('plan_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('target', sa.Integer(), nullable=False),
        sa.Column('target_unit', sa.String(length=40), nullable=False),
        sa.Column('months', sa.String(length=40), nullable=False),
        sa.Column('responsible', sa.String(length=200), nullable=False),
        sa.Column('achieved', sa.Integer(), nullable=False),
        sa.Column('achieved_on', sa.Date(), nullable=True),
        sa.Column('achieved_note', sa.Text(), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        *_tenant_columns('plan_activities'),
        sa.ForeignKeyConstraint(['tenant_id', 'plan_id'], ['activity_plans.tenant_id', 'activity_plans.id'],
                                name='fk_plan_activities_tenant_id_activity_plans'),
    )
    op.create_index('ix_plan_activities_plan_id', 'plan_activities', ['plan_id'])
    op.create_table(
        'budget_lines',
        sa.Column('plan_id', sa.Uuid(), nullable=False),
        sa.Column('account', sa.String(length=200), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        *_tenant_columns('budget_lines'),
        sa.ForeignKeyConstraint(['tenant_id', 'plan_id'], ['activity_plans.tenant_id', 'activity_plans.id'],
                                name='fk_budget_lines_tenant_id_activity_plans'),
        sa.CheckConstraint("source IN ('apbd', 'apbn', 'lainnya')", name='ck_budget_lines_source'),
    )
    op.create_index('ix_budget_lines_plan_id', 'budget_lines', ['plan_id'])
    op.create_table(
        'budget_spending',
        sa.Column('line_id', sa.Uuid(), nullable=False),
        sa.Column('month', sa.SmallInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by', sa.Uuid(), nullable=True),
        *_tenant_columns('budget_spending'),
        sa.ForeignKeyConstraint(['tenant_id', 'line_id'], ['budget_lines.tenant_id', 'budget_lines.id'],
                                name='fk_budget_spending_tenant_id_budget_lines'),
        sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name='fk_budget_spending_recorded_by_users'),
        sa.UniqueConstraint('tenant_id', 'line_id', 'month', name='uq_budget_spending_month'),
    )
    op.create_index('ix_budget_spending_line_id', 'budget_spending', ['line_id'])
    op.create_table(
        'evaluation_notes',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('author_name', sa.String(length=200), nullable=False),
        sa.Column('author_title', sa.String(length=200), nullable=False),
        sa.Column('office', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Uuid(), nullable=True),
        *_tenant_columns('evaluation_notes'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name='fk_evaluation_notes_created_by_users'),
    )
    op.create_index('ix_evaluation_notes_year', 'evaluation_notes', ['year'])
    for table in TABLES:
        enable_tenant_rls(op, table)


def downgrade():
    for table in TABLES:
        disable_tenant_rls(op, table)
    op.drop_index('ix_evaluation_notes_year', table_name='evaluation_notes')
    op.drop_table('evaluation_notes')
    op.drop_index('ix_budget_spending_line_id', table_name='budget_spending')
    op.drop_table('budget_spending')
    op.drop_index('ix_budget_lines_plan_id', table_name='budget_lines')
    op.drop_table('budget_lines')
    op.drop_index('ix_plan_activities_plan_id', table_name='plan_activities')
    op.drop_table('plan_activities')
    op.drop_table('activity_plans')
