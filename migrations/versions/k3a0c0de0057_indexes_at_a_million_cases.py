"""indexes measured at 1,000,000 cases: the cases a region closed since a date, and the rollups of a
metric over a period across every region

Revision ID: k3a0c0de0057
Revises: k2a0c0de0056
Create Date: 2026-12-07 18:20:00

Written by hand, from scripts/bench_national.py at 1,000,000 cases (region of 27,400 cases):
* the home page's "closed this month" read every case of the region through the primary key and
  filtered on closed_at (21.7 ms, 27,600 rows for 1,370); (tenant_id, closed_at) of the closed ones
  reads only those;
* the auditors' comparison sums a few metrics of the period over every region: a sequential scan of
  the whole rollup table (93.5 ms for one of its two sums); (metric, day) with the summed columns
  included is an index-only scan of the metric's rows in the period (32.4 ms). SQLite has no INCLUDE
  and gets (metric, day).
"""
import sqlalchemy as sa
from alembic import op

revision = 'k3a0c0de0057'
down_revision = 'k2a0c0de0056'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cases_closed_by_tenant', 'cases', ['tenant_id', 'closed_at'],
                    postgresql_where=sa.text('closed_at IS NOT NULL'), sqlite_where=sa.text('closed_at IS NOT NULL'))
    op.create_index('ix_case_rollups_metric_day_all_regions', 'case_rollups', ['metric', 'day'],
                    postgresql_include=['tenant_id', 'partner_level', 'bucket', 'detail', 'value'])


def downgrade():
    op.drop_index('ix_case_rollups_metric_day_all_regions', table_name='case_rollups')
    op.drop_index('ix_cases_closed_by_tenant', table_name='cases')
