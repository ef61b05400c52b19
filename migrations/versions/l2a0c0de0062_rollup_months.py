"""the rollups summed per month (case_rollup_months): what the comparison across regions and the
national trends read, a few rows per region and month whatever the number of cases

Revision ID: l2a0c0de0062
Revises: l1a0c0de0061
Create Date: 2026-12-08 00:30:00

Written by hand. Filled from the daily rollups, region by region (row-level security is forced
even for the owner on PostgreSQL); from then on kept with them in the same statement batch.
"""
import uuid
from datetime import date

import sqlalchemy as sa
from alembic import op

from app.tenancy.rls import disable_tenant_rls, enable_tenant_rls

revision = 'l2a0c0de0062'
down_revision = 'l1a0c0de0061'
branch_labels = None
depends_on = None

TABLE = 'case_rollup_months'
DIMENSIONS = ('partner_level', 'detail', 'bucket')
tenants = sa.table("tenants", sa.column("id", sa.Uuid()))
daily = sa.table("case_rollups", sa.column("tenant_id", sa.Uuid()), sa.column("day", sa.Date()),
                 sa.column("metric", sa.String()), sa.column("partner_level", sa.String()),
                 sa.column("detail", sa.String()), sa.column("bucket", sa.SmallInteger()),
                 sa.column("value", sa.Integer()))
months = sa.table(TABLE, sa.column("tenant_id", sa.Uuid()), sa.column("id", sa.Uuid()),
                  sa.column("month", sa.Date()), sa.column("metric", sa.String()),
                  sa.column("partner_level", sa.String()), sa.column("detail", sa.String()),
                  sa.column("bucket", sa.SmallInteger()), sa.column("value", sa.Integer()))


def upgrade():
    op.create_table(
        TABLE,
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('metric', sa.String(length=32), nullable=False),
        sa.Column('partner_level', sa.String(length=20), nullable=False),
        sa.Column('detail', sa.String(length=20), nullable=False),
        sa.Column('bucket', sa.SmallInteger(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('tenant_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=f'fk_{TABLE}_tenant_id_tenants'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{TABLE}'),
        sa.UniqueConstraint('tenant_id', 'month', 'metric', *DIMENSIONS, name='uq_case_rollup_months_key'),
    )
    op.create_index('ix_case_rollup_months_metric_month', TABLE, ['metric', 'month'])
    enable_tenant_rls(op, TABLE)
    _fill()


def _fill() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    month = sa.cast(sa.func.date_trunc("month", daily.c.day), sa.Date) if postgres \
        else sa.func.date(daily.c.day, "start of month")
    for (tenant_id,) in bind.execute(sa.select(tenants.c.id)).all():
        if postgres:
            bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        keys = [month.label("month"), daily.c.metric, *[daily.c[d] for d in DIMENSIONS]]
        rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "month": row.month, "metric": row.metric,
                 "value": int(row.total), **{d: row._mapping[d] for d in DIMENSIONS}}
                for row in bind.execute(sa.select(*keys, sa.func.sum(daily.c.value).label("total"))
                                        .where(daily.c.tenant_id == tenant_id).group_by(*keys))
                if row.total]
        for row in rows:
            if isinstance(row["month"], str):  # SQLite's date() answers text
                row["month"] = date.fromisoformat(row["month"])
        if rows:
            bind.execute(months.insert(), rows)
    if postgres:
        bind.execute(sa.text("SELECT set_config('app.tenant_id', '', true)"))


def downgrade():
    disable_tenant_rls(op, TABLE)
    op.drop_index('ix_case_rollup_months_metric_month', table_name=TABLE)
    op.drop_table(TABLE)
