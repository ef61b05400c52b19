"""the report's lists in order: a region's referrals by request time, its proposals by kind and time

Revision ID: l1a0c0de0061
Revises: k3a0c0de0057
Create Date: 2026-12-07 21:00:00

Written by hand. The report's appendices read referrals and new-household proposals 500 at a time in
(time, id) order from where the last chunk ended. Without an index in that order every chunk sorted all
of the region's rows still to come: a yearly list of 27,387 referrals read in 4.74 s (the first chunk
156 ms, the last 33 ms), of 20,838 proposals in 2.91 s; with these, 0.40 s and 0.45 s, ~7 ms a chunk
(scripts/bench_reports.py --bulk 69000, SQLite).
"""
from alembic import op

revision = 'l1a0c0de0061'
down_revision = 'k3a0c0de0057'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_referrals_requested', 'referrals', ['tenant_id', 'requested_at', 'id'])
    op.create_index('ix_data_updates_kind_created', 'data_updates', ['tenant_id', 'kind', 'created_at', 'id'])


def downgrade():
    op.drop_index('ix_data_updates_kind_created', table_name='data_updates')
    op.drop_index('ix_referrals_requested', table_name='referrals')
