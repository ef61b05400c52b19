"""case management: priority, follow-up date, closure (withdrawn / merged into), partner answers

Revision ID: g2a0c0de0022
Revises: g1a0c0de0021
Create Date: 2026-12-07 01:10:00

Written by hand. On SQLite the columns are added with a plain ADD COLUMN (its CHECK kept on
the column), never a batch table copy: copying `cases` would have to drop a table that case
events point at; the composite key of `merged_into_id` is enforced on PostgreSQL only.
The codes below are those of the enums at this revision (app/casework/vocabulary.py).
"""
import sqlalchemy as sa
from alembic import op

revision = 'g2a0c0de0022'
down_revision = 'g1a0c0de0021'
branch_labels = None
depends_on = None

PRIORITY = ("low", "normal", "high", "urgent")
CLOSURE = ("withdrawn", "merged", "")
ANSWER = ("accepted", "rejected", "partly", "")
FK = "fk_cases_tenant_id_cases"
INDEX = "ix_cases_follow_up_on"


def _in(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


#: table → [(column, SQLite column definition, SQLAlchemy column, CHECK codes or None)]
COLUMNS = {
    "cases": [
        ("closure", "VARCHAR(20) NOT NULL DEFAULT ''", sa.Column("closure", sa.String(20), nullable=False,
                                                                 server_default=""), CLOSURE),
        ("merged_into_id", "CHAR(32)", sa.Column("merged_into_id", sa.Uuid(), nullable=True), None),
        ("priority", "VARCHAR(10) NOT NULL DEFAULT 'normal'",
         sa.Column("priority", sa.String(10), nullable=False, server_default="normal"), PRIORITY),
        ("follow_up_on", "DATE", sa.Column("follow_up_on", sa.Date(), nullable=True), None),
    ],
    "referrals": [
        ("answer_result", "VARCHAR(20) NOT NULL DEFAULT ''",
         sa.Column("answer_result", sa.String(20), nullable=False, server_default=""), ANSWER),
        ("letter_number", "VARCHAR(100) NOT NULL DEFAULT ''",
         sa.Column("letter_number", sa.String(100), nullable=False, server_default=""), None),
        ("letter_date", "DATE", sa.Column("letter_date", sa.Date(), nullable=True), None),
    ],
}


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in COLUMNS.items():
        for name, sqlite_type, column, codes in columns:
            if sqlite:
                check = f" CONSTRAINT ck_{table}_{name} CHECK ({_in(name, codes)})" if codes else ""
                op.execute(f"ALTER TABLE {table} ADD COLUMN {name} {sqlite_type}{check}")
            else:
                op.add_column(table, column)
                if codes:
                    op.create_check_constraint(f"ck_{table}_{name}", table, _in(name, codes))
    if not sqlite:
        op.create_foreign_key(FK, "cases", "cases", ["tenant_id", "merged_into_id"], ["tenant_id", "id"])
    op.create_index(INDEX, "cases", ["follow_up_on"], unique=False)


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index(INDEX, table_name="cases")
    if not sqlite:
        op.drop_constraint(FK, "cases", type_="foreignkey")
    for table, columns in COLUMNS.items():
        for name, _sqlite_type, _column, codes in reversed(columns):
            if codes and not sqlite:
                op.drop_constraint(f"ck_{table}_{name}", table, type_="check")
            if sqlite and codes:
                continue  # SQLite cannot drop a column that carries a CHECK; it stays, unused
            op.drop_column(table, name)
