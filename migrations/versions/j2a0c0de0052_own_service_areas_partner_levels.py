"""a region's own service areas (tenants.own_service_areas) and partner levels from the village up

Regions may add service areas of their own beyond the built-in six, each mapped to a built-in
one for national figures (`app.org.service_areas`); their own channels live in the SOP
definitions (JSON), so no column changes for them. `cases.channel` and `cases.service_area`
carry no CHECK that lists codes (they are validated in code against the region's list), so
there is nothing to relax. `partners.level` gains `village` and `district` (a Puskesos refers
to program managers at the village and district, Batu Bara Pasal 16 ayat (3) huruf c,
Palembang Pasal 16 huruf c): its CHECK is rebuilt with the new codes.

Revision ID: j2a0c0de0052
Revises: j1a0c0de0051
Create Date: 2026-12-08 09:00:00

Written by hand.
"""
import sqlalchemy as sa
from alembic import op

revision = 'j2a0c0de0052'
down_revision = 'j1a0c0de0051'
branch_labels = None
depends_on = None

OLD_LEVELS = ("regency", "province", "central", "non_government")
NEW_LEVELS = ("village", "district", *OLD_LEVELS)


def _condition(codes) -> str:
    return f"level IN ({', '.join(repr(c) for c in codes)})"


def _sqlite_rebuilds(change):
    """SQLite changes a CHECK by rebuilding the table (batch mode); dropping the old `partners` would
    trip the foreign keys pointing at it (referrals, rollups, programs), so enforcement is paused for
    the rebuild and the keys are checked as a whole afterwards (as in f4a0c0de0014)."""
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


def _levels(codes):
    def change():
        with op.batch_alter_table('partners') as batch:
            batch.drop_constraint(op.f('ck_partners_level'), type_='check')
            batch.create_check_constraint(op.f('ck_partners_level'), _condition(codes))
    return change


def upgrade():
    op.add_column('tenants', sa.Column('own_service_areas', sa.JSON(), nullable=False, server_default='[]'))
    _sqlite_rebuilds(_levels(NEW_LEVELS))


def downgrade():
    op.execute("UPDATE partners SET level = 'regency' WHERE level IN ('village', 'district')")
    _sqlite_rebuilds(_levels(OLD_LEVELS))
    with op.batch_alter_table('tenants') as batch:
        batch.drop_column('own_service_areas')
