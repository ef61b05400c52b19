"""screens that fit the people: the home visit on the case; complaints by a group

Revision ID: g5a0c0de0025
Revises: g4a0c0de0024
Create Date: 2026-12-07 01:30:00

Written by hand. `cases.home_visit` (JSON) keeps a facilitator's household notes. A case may
name a group with its contact person instead of a citizen (Palembang Pasal 4): `citizen_id`
becomes nullable and `ck_cases_one_party` keeps exactly one of the two. SQLite changes a
column's nullability only by rebuilding the table (batch mode); foreign keys are paused for
the rebuild and checked as a whole afterwards, as in f4a0c0de0014. The group kinds are those
of `GroupKind` at this revision.
"""
import sqlalchemy as sa
from alembic import op

revision = 'g5a0c0de0025'
down_revision = 'g4a0c0de0024'
branch_labels = None
depends_on = None

GROUP_KINDS = ("community", "association", "institution", "other")
ONE_PARTY = "(citizen_id IS NOT NULL AND group_name IS NULL) OR (citizen_id IS NULL AND group_name IS NOT NULL)"
GROUP_COLUMNS = (
    ("group_name", sa.String(200)), ("group_kind", sa.String(20)), ("group_contact_name", sa.String(200)),
    ("group_contact_phone", sa.String(20)), ("group_members", sa.Integer()),
)


def _kinds() -> str:
    return f"group_kind IN ({', '.join(repr(k) for k in GROUP_KINDS)})"


def _rebuilding(change):
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        change()
        return
    if bind.connection.dbapi_connection.in_transaction:  # the pragma is ignored inside a transaction
        bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        change()
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        assert not broken, f"foreign keys broken by the rebuild: {broken[:5]}"
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def upgrade():
    def change():
        with op.batch_alter_table("cases") as batch:
            batch.add_column(sa.Column("home_visit", sa.JSON(), nullable=True))
            for name, type_ in GROUP_COLUMNS:
                batch.add_column(sa.Column(name, type_, nullable=True))
            batch.alter_column("citizen_id", existing_type=sa.Uuid(), nullable=True)
            batch.create_check_constraint(op.f("ck_cases_group_kind"), _kinds())
            batch.create_check_constraint(op.f("ck_cases_one_party"), ONE_PARTY)
    _rebuilding(change)


def downgrade():
    groups = op.get_bind().exec_driver_sql("SELECT COUNT(*) FROM cases WHERE citizen_id IS NULL").scalar()
    if groups:  # a group's case has nowhere to go without these columns: refuse rather than lose it
        raise RuntimeError(f"{groups} group case(s) exist; downgrade refused")

    def change():
        with op.batch_alter_table("cases") as batch:
            batch.drop_constraint(op.f("ck_cases_one_party"), type_="check")
            batch.drop_constraint(op.f("ck_cases_group_kind"), type_="check")
            batch.alter_column("citizen_id", existing_type=sa.Uuid(), nullable=False)
            for name, _type in reversed(GROUP_COLUMNS):
                batch.drop_column(name)
            batch.drop_column("home_visit")
    _rebuilding(change)
