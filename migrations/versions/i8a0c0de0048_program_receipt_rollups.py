"""program receipt rollups: what each known household receives, and households per district
and combination of programs (the dashboard's program access and overlap)

Revision ID: i8a0c0de0048
Revises: i6a0c0de0046
Create Date: 2026-12-07 04:00:00

Written by hand. After upgrading a database that already has a register extract or
participation records, run `flask dashboard rebuild` once.

The pre-list counters (`case_rollups`, metric `prelist`) are renamed to the stages of a
new-household data update (proposed → pending, verified → approved; rejected stays), region
by region (row-level security is forced even for the owner on PostgreSQL).
"""
import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'i8a0c0de0048'
down_revision = 'i6a0c0de0046'
branch_labels = None
depends_on = None

TABLES = ('household_programs', 'program_rollups')
STAGES_UP = {"proposed": "pending", "verified": "approved"}

rollups = sa.table("case_rollups", sa.column("tenant_id", sa.Uuid()), sa.column("metric", sa.String()),
                   sa.column("detail", sa.String()))
tenants = sa.table("tenants", sa.column("id", sa.Uuid()))


def _rename_prelist_stages(renames: dict) -> None:
    bind = op.get_bind()
    for (tenant_id,) in bind.execute(sa.select(tenants.c.id)).all():
        if bind.dialect.name == "postgresql":
            bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        for old, new in renames.items():
            bind.execute(rollups.update().where(rollups.c.tenant_id == tenant_id, rollups.c.metric == "prelist",
                                                rollups.c.detail == old).values(detail=new))
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))


def _tenant_columns(table: str) -> list:
    return [
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{table}_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{table}'),
    ]


def upgrade():
    op.create_table(
        'household_programs',
        sa.Column('kk_number', sa.String(length=16), nullable=False),
        sa.Column('district_code', sa.String(length=16), nullable=False),
        sa.Column('in_register', sa.Boolean(), nullable=False),
        sa.Column('receipts', sa.Text(), nullable=False),
        *_tenant_columns('household_programs'),
        sa.UniqueConstraint('tenant_id', 'kk_number', name='uq_household_programs_kk'),
    )
    op.create_table(
        'program_rollups',
        sa.Column('district_code', sa.String(length=16), nullable=False),
        sa.Column('in_register', sa.Boolean(), nullable=False),
        sa.Column('combo_key', sa.String(length=32), nullable=False),
        sa.Column('receipts', sa.Text(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        *_tenant_columns('program_rollups'),
        sa.UniqueConstraint('tenant_id', 'district_code', 'in_register', 'combo_key',
                            name='uq_program_rollups_key'),
    )
    for table in TABLES:
        enable_tenant_rls(op, table)
    _rename_prelist_stages(STAGES_UP)


def downgrade():
    _rename_prelist_stages({new: old for old, new in STAGES_UP.items()})
    for table in TABLES:
        disable_tenant_rls(op, table)
    op.drop_table('program_rollups')
    op.drop_table('household_programs')
