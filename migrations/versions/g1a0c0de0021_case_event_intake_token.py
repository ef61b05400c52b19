"""case events: the intake token of a complaint added to an open case (one addition per form)

Revision ID: g1a0c0de0021
Revises: f4a0c0de0014
Create Date: 2026-12-07 01:30:00

Written by hand. A second complaint of a person with an open case can be added to that case
instead of opening a new one; the intake form's one-time token is kept on the event it adds,
unique per region, so a double submit adds it once (as `cases.intake_token` does for a case).
"""
import sqlalchemy as sa
from alembic import op

revision = 'g1a0c0de0021'
down_revision = 'f4a0c0de0014'
branch_labels = None
depends_on = None

INDEX = "uq_case_events_intake_token"


def upgrade():
    op.add_column("case_events", sa.Column("intake_token", sa.String(64), nullable=True))
    op.create_index(INDEX, "case_events", ["tenant_id", "intake_token"], unique=True)


def downgrade():
    op.drop_index(INDEX, table_name="case_events")
    op.drop_column("case_events", "intake_token")
