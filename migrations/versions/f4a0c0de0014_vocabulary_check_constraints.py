"""one vocabulary: CHECK constraints keep coded columns to their enums

The columns stay String (no data migration); each gets `CHECK (column IN (…))` named as the
models name it (`ck_<table>_<column>`). The codes below are those of the enums at this
revision (`app/*/vocabulary.py`, `TenantStatus`): a migration records a fixed state, so a new
member of an enum needs a new migration (tests/unit/test_vocabulary.py fails until it exists).

Revision ID: f4a0c0de0014
Revises: f3a0c0de0013
Create Date: 2026-12-07 01:00:00
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f4a0c0de0014'
down_revision = 'f3a0c0de0013'
branch_labels = None
depends_on = None

JOB = ("queued", "running", "done", "failed")
CHECKS = {
    "tenants": {"status": ("onboarding", "active", "suspended")},
    "sop_versions": {"status": ("draft", "published", "superseded")},
    "partners": {"level": ("regency", "province", "central", "non_government"),
                 "kind": ("opd", "vertical", "ministry", "ngo", "csr")},
    "referrals": {"status": ("requested", "returned", "approved", "sent", "answered", "completed"),
                  "outcome": ("served", "not_served", "redirected", "")},
    "prelist_proposals": {"status": ("proposed", "verified", "rejected")},
    "positions": {"area_level": ("district", "village")},
    "report_jobs": {"status": JOB},
    "platform_report_jobs": {"status": JOB},
    "register_import_jobs": {"status": JOB},
}


def _condition(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


def _sqlite_rebuilds(change):
    """SQLite adds a CHECK by rebuilding the table (batch mode); dropping the old `tenants` would
    trip every foreign key pointing at it, so enforcement is paused for the rebuild and the
    keys are checked as a whole afterwards."""
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
        for table, columns in CHECKS.items():
            with op.batch_alter_table(table) as batch:
                for column, codes in columns.items():
                    batch.create_check_constraint(op.f(f"ck_{table}_{column}"), _condition(column, codes))
    _sqlite_rebuilds(change)


def downgrade():
    def change():
        for table, columns in CHECKS.items():
            with op.batch_alter_table(table) as batch:
                for column in columns:
                    batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
    _sqlite_rebuilds(change)
