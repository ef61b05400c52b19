"""The data migration i2a0c0de0042 gives regions that existed before the catalogue their national programs."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

from app.extensions import db
from app.programs.catalogue import national_codes, seed_national_programs
from app.programs.models import Program
from app.tenancy.context import tenant_context
from tests.factories import tenant

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "i2a0c0de0042_seed_national_programs.py"


def _migration():
    spec = importlib.util.spec_from_file_location("seed_national_programs_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(step: str) -> None:
    """Run the migration's step on the session's own connection (rolled back by the fixture)."""
    migration = _migration()
    context = MigrationContext.configure(db.session.connection())
    with Operations.context(context):
        getattr(migration, step)()


def _codes(slug):
    with tenant_context(tenant(slug)):
        return {code: (level, partner) for code, level, partner in
                db.session.execute(select(Program.code, Program.level, Program.partner_id))}


def test_upgrade_adds_what_a_region_lacks_and_keeps_what_it_has(app_ctx):
    with tenant_context(tenant("payakumbuh")):
        seed_national_programs()
        pip = db.session.scalar(select(Program).where(Program.code == "PIP"))
        pip.code, pip.name = "PIP_LAMA", "PIP versi lama"  # as if the region had no PIP yet
        pkh = db.session.scalar(select(Program).where(Program.code == "PKH"))
        pkh.name = "PKH (nama daerah)"
        db.session.flush()
    _run("upgrade")
    found = _codes("payakumbuh")
    assert national_codes() <= set(found) and "PIP_LAMA" in found
    assert found["PIP"][0] == "national" and found["PIP"][1] is not None  # Dinas Pendidikan Kota Payakumbuh
    with tenant_context(tenant("payakumbuh")):
        assert db.session.scalar(select(Program.name).where(Program.code == "PKH")) == "PKH (nama daerah)"
    before = {slug: len(_codes(slug)) for slug in ("bekasi", "payakumbuh")}
    _run("upgrade")  # idempotent
    assert {slug: len(_codes(slug)) for slug in ("bekasi", "payakumbuh")} == before
    assert national_codes() <= set(_codes("bekasi"))


def test_downgrade_removes_only_national_programs_nothing_points_at(app_ctx):
    from app.programs.models import Need, Participation, Ranking

    with tenant_context(tenant("batubara")):
        seed_national_programs()
        db.session.add(Program(code="DAERAH_UJI", name="Program daerah uji", level="regional", description="Uji.",
                               legal_basis="Perbup uji", criteria=[], ranking=[]))
        db.session.flush()
    _run("downgrade")
    with tenant_context(tenant("batubara")):
        left = set(db.session.scalars(select(Program.id).where(Program.code.in_(national_codes()))))
        used = set()
        for model in (Participation, Need, Ranking):
            used |= set(db.session.scalars(select(model.program_id)))
        assert left <= used
        assert db.session.scalar(select(Program.id).where(Program.code == "DAERAH_UJI")) is not None
