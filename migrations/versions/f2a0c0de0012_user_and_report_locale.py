"""user interface language: users.locale, and the language a report job is written in

Revision ID: f2a0c0de0012
Revises: e6a0c0de0006
Create Date: 2026-12-08 10:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f2a0c0de0012'
down_revision = 'e6a0c0de0006'
branch_labels = None
depends_on = None

JOB_TABLES = ("report_jobs", "platform_report_jobs")


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
    for table in JOB_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("locale", sa.String(length=8), nullable=False, server_default="id"))


def downgrade():
    for table in JOB_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("locale")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
