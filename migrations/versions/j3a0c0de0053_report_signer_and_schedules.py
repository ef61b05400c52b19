"""reports as offices file them: the signer of a region's reports, the reports it has built each
month, and scheduled report jobs (no requester, one per region, kind, format and period)

Revision ID: j3a0c0de0053
Revises: j2a0c0de0052
Create Date: 2026-12-07 06:00:00

Written by hand.
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'j3a0c0de0053'
down_revision = 'j2a0c0de0052'
branch_labels = None
depends_on = None

TABLES = ('report_settings', 'report_schedules')


def _tenant_columns(table: str) -> list:
    return [
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{table}_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{table}'),
    ]


def upgrade():
    op.create_table(
        'report_settings',
        sa.Column('signer_membership_id', sa.Uuid(), nullable=True),
        sa.Column('signer_name', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('signer_title', sa.String(length=200), nullable=False, server_default=''),
        sa.Column('signer_nip', sa.String(length=18), nullable=False, server_default=''),
        sa.Column('sign_place', sa.String(length=100), nullable=False, server_default=''),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.Uuid(), nullable=True),
        *_tenant_columns('report_settings'),
        sa.ForeignKeyConstraint(['tenant_id', 'signer_membership_id'], ['memberships.tenant_id', 'memberships.id'],
                                name='fk_report_settings_tenant_id_memberships'),
        sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name='fk_report_settings_updated_by_users'),
        sa.UniqueConstraint('tenant_id', name='uq_report_settings_tenant'),
    )
    op.create_table(
        'report_schedules',
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('format', sa.String(length=4), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Uuid(), nullable=True),
        *_tenant_columns('report_schedules'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name='fk_report_schedules_created_by_users'),
        sa.UniqueConstraint('tenant_id', 'kind', 'format', name='uq_report_schedules_kind'),
    )
    for table in TABLES:
        enable_tenant_rls(op, table)
    with op.batch_alter_table('report_jobs') as batch:
        batch.alter_column('requested_by', existing_type=sa.Uuid(), nullable=True)
        batch.add_column(sa.Column('schedule_key', sa.String(length=40), nullable=True))
        batch.create_unique_constraint('uq_report_jobs_schedule_key', ['tenant_id', 'schedule_key'])


def _delete_scheduled_jobs() -> None:
    """Region by region: row-level security is forced even for the owner on PostgreSQL."""
    bind = op.get_bind()
    jobs = sa.table("report_jobs", sa.column("tenant_id", sa.Uuid()), sa.column("requested_by", sa.Uuid()))
    tenants = sa.table("tenants", sa.column("id", sa.Uuid()))
    for (tenant_id,) in bind.execute(sa.select(tenants.c.id)).all():
        if bind.dialect.name == "postgresql":
            bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        bind.execute(jobs.delete().where(jobs.c.tenant_id == tenant_id, jobs.c.requested_by.is_(None)))
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))


def downgrade():
    _delete_scheduled_jobs()  # they have no requester, which the older schema requires
    with op.batch_alter_table('report_jobs') as batch:
        batch.drop_constraint('uq_report_jobs_schedule_key', type_='unique')
        batch.drop_column('schedule_key')
        batch.alter_column('requested_by', existing_type=sa.Uuid(), nullable=False)
    for table in TABLES:
        disable_tenant_rls(op, table)
    op.drop_table('report_schedules')
    op.drop_table('report_settings')
