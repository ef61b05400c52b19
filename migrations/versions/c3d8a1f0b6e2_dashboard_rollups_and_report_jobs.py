"""dashboard rollups, citizens' programs, report jobs (region and platform)

Revision ID: c3d8a1f0b6e2
Revises: 4f6cc91d59c6
Create Date: 2026-11-23 01:00:00

Written by hand (sibling revisions branch from the same head; a merge revision follows).
After upgrading a database that already has cases, run `flask dashboard rebuild` once.
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'c3d8a1f0b6e2'
down_revision = '4f6cc91d59c6'
branch_labels = None
depends_on = None

TENANT_TABLES = ("case_rollups", "citizen_programs", "report_jobs")
DIMENSIONS = ("district_code", "service_area", "channel", "state", "unit_id", "partner_level", "partner_id",
              "detail", "bucket")


def _tenant_columns(table: str) -> list:
    return [
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{table}_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{table}'),
    ]


def _job_columns(table: str) -> list:
    return [
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('format', sa.String(length=4), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('file_path', sa.String(length=300), nullable=False),
        sa.Column('requested_by', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=f'fk_{table}_requested_by_users'),
    ]


def upgrade():
    op.create_table(
        'case_rollups',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('metric', sa.String(length=32), nullable=False),
        sa.Column('district_code', sa.String(length=16), nullable=False),
        sa.Column('service_area', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=40), nullable=False),
        sa.Column('unit_id', sa.String(length=36), nullable=False),
        sa.Column('partner_level', sa.String(length=20), nullable=False),
        sa.Column('partner_id', sa.String(length=36), nullable=False),
        sa.Column('detail', sa.String(length=20), nullable=False),
        sa.Column('bucket', sa.SmallInteger(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        *_tenant_columns('case_rollups'),
        sa.UniqueConstraint('tenant_id', 'day', 'metric', *DIMENSIONS, name='uq_case_rollups_key'),
    )
    op.create_index('ix_case_rollups_metric_day', 'case_rollups', ['tenant_id', 'metric', 'day'], unique=False)

    op.create_table(
        'citizen_programs',
        sa.Column('citizen_id', sa.Uuid(), nullable=False),
        sa.Column('partner_id', sa.Uuid(), nullable=False),
        sa.Column('partner_level', sa.String(length=20), nullable=False),
        sa.Column('district_code', sa.String(length=16), nullable=False),
        sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('served_at', sa.DateTime(timezone=True), nullable=True),
        *_tenant_columns('citizen_programs'),
        sa.ForeignKeyConstraint(['tenant_id', 'citizen_id'], ['citizens.tenant_id', 'citizens.id'],
                                name='fk_citizen_programs_tenant_id_citizen_id_citizens'),
        sa.ForeignKeyConstraint(['tenant_id', 'partner_id'], ['partners.tenant_id', 'partners.id'],
                                name='fk_citizen_programs_tenant_id_partner_id_partners'),
        sa.UniqueConstraint('tenant_id', 'citizen_id', 'partner_id', name='uq_citizen_programs_citizen_partner'),
    )

    op.create_table('report_jobs', *_job_columns('report_jobs'), *_tenant_columns('report_jobs'))
    op.create_index('ix_report_jobs_requested_by', 'report_jobs', ['tenant_id', 'requested_by', 'created_at'],
                    unique=False)

    op.create_table(
        'platform_report_jobs',
        *_job_columns('platform_report_jobs'),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('region_id', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['region_id'], ['tenants.id'], name='fk_platform_report_jobs_region_id_tenants'),
        sa.PrimaryKeyConstraint('id', name='pk_platform_report_jobs'),
    )

    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)


def downgrade():
    for table in TENANT_TABLES:
        disable_tenant_rls(op, table)
    op.drop_table('platform_report_jobs')
    op.drop_index('ix_report_jobs_requested_by', table_name='report_jobs')
    op.drop_table('report_jobs')
    op.drop_table('citizen_programs')
    op.drop_index('ix_case_rollups_metric_day', table_name='case_rollups')
    op.drop_table('case_rollups')
