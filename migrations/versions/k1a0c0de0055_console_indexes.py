"""indexes for the national console at scale: each region's newest audit event and its open cases

Revision ID: k1a0c0de0055
Revises: j4a0c0de0054
Create Date: 2026-12-07 15:00:00

Written by hand. Measured at 100,000 cases over 514 regions: the console's region list read
"last activity" as max(at) over every event of the page's 50 regions (300 ms); with
(tenant_id, at) it is one index probe per region.
"""
import sqlalchemy as sa
from alembic import op

revision = 'k1a0c0de0055'
down_revision = 'j4a0c0de0054'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_events_tenant_at', 'audit_events', ['tenant_id', 'at'])
    op.create_index('ix_cases_open_by_tenant', 'cases', ['tenant_id', 'due_at'],
                    postgresql_where=sa.text('closed_at IS NULL'), sqlite_where=sa.text('closed_at IS NULL'))


def downgrade():
    op.drop_index('ix_cases_open_by_tenant', table_name='cases')
    op.drop_index('ix_audit_events_tenant_at', table_name='audit_events')
