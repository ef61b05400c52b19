"""the national programs (PKH, BPNT/Sembako, PBI-JK, PIP, RS-RTLH, ATENSI, BLT Dana Desa) in the
catalogue of every region that existed before the catalogue did

Revision ID: i2a0c0de0042
Revises: i1a0c0de0041
Create Date: 2026-12-07 03:00:00

Written by hand; data only. A region onboarded from now on gets the national programs from
`app.programs.catalogue.seed_national_programs()`; this does the same, once, for the regions
already there: each program of `app/programs/national.yaml` whose code the region lacks is
added (a region that has a program with that code keeps it as it is), with the first of the
region's partners (not retired) whose name contains one of the program's `partner` hints.
The file is read as it is when the migration runs: a database upgraded later gets the
national data of that day, which is what the seed function gives a new region too.

Rows are written region by region; on PostgreSQL with `app.tenant_id` set first, as
row-level security is forced on `programs` even for the owner running the migration. No
audit event is written (the audit log is the application's; the migration is in the
deployment's history). The downgrade deletes the national programs that nothing points at
(no participation, need or ranking), so a region's records are never orphaned.
"""
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

revision = 'i2a0c0de0042'
down_revision = 'i1a0c0de0041'
branch_labels = None
depends_on = None

NATIONAL_FILE = Path(__file__).resolve().parents[2] / "app" / "programs" / "national.yaml"

tenants = sa.table("tenants", sa.column("id", sa.Uuid()))
partners = sa.table("partners", sa.column("tenant_id", sa.Uuid()), sa.column("id", sa.Uuid()),
                    sa.column("name", sa.String()), sa.column("retired_at", sa.DateTime(timezone=True)))
programs = sa.table(
    "programs", sa.column("tenant_id", sa.Uuid()), sa.column("id", sa.Uuid()), sa.column("partner_id", sa.Uuid()),
    *(sa.column(c, sa.String()) for c in ("code", "name", "level", "register_flag")),
    *(sa.column(c, sa.Text()) for c in ("description", "legal_basis")),
    sa.column("member_level", sa.Boolean()), sa.column("active", sa.Boolean()),
    sa.column("criteria", sa.JSON()), sa.column("ranking", sa.JSON()), sa.column("sort_order", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)))


def _national() -> list[dict]:
    with NATIONAL_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["programs"]


def _regions(bind):
    """Every region's id, entering its context on PostgreSQL (RLS is forced for the owner too)."""
    for (tenant_id,) in bind.execute(sa.select(tenants.c.id)).all():
        if bind.dialect.name == "postgresql":
            bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
        yield tenant_id


def _partner(rows, hints):
    for hint in hints:
        for partner_id, name in rows:
            if hint.lower() in name.lower():
                return partner_id
    return None


def upgrade():
    bind = op.get_bind()
    national = _national()
    now = datetime.now(UTC)
    for tenant_id in _regions(bind):
        have = set(bind.execute(sa.select(programs.c.code).where(programs.c.tenant_id == tenant_id)).scalars())
        top = bind.execute(sa.select(sa.func.max(programs.c.sort_order))
                           .where(programs.c.tenant_id == tenant_id)).scalar()
        start = (top or 0) + 1 if have else 0
        found = bind.execute(sa.select(partners.c.id, partners.c.name).where(
            partners.c.tenant_id == tenant_id, partners.c.retired_at.is_(None)).order_by(partners.c.name)).all()
        rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "code": spec["code"], "name": spec["name"],
                 "level": "national", "partner_id": _partner(found, spec.get("partner", [])),
                 "description": spec["description"].strip(), "legal_basis": " ".join(spec["legal_basis"].split()),
                 "register_flag": spec.get("register_flag", ""), "member_level": bool(spec.get("member_level")),
                 "criteria": list(spec.get("criteria", [])), "ranking": list(spec.get("ranking", [])),
                 "active": True, "sort_order": start + order, "created_at": now, "updated_at": now}
                for order, spec in enumerate(national) if spec["code"] not in have]
        if rows:
            bind.execute(programs.insert(), rows)


def downgrade():
    bind = op.get_bind()
    codes = [spec["code"] for spec in _national()]
    referring = [sa.table(name, sa.column("tenant_id", sa.Uuid()), sa.column("program_id", sa.Uuid()))
                 for name in ("program_participations", "program_needs", "program_rankings")]
    for tenant_id in _regions(bind):
        taken: set = set()
        for table in referring:
            taken |= set(bind.execute(sa.select(table.c.program_id).where(table.c.tenant_id == tenant_id)).scalars())
        ids = bind.execute(sa.select(programs.c.id).where(
            programs.c.tenant_id == tenant_id, programs.c.level == "national", programs.c.code.in_(codes))).scalars()
        free = [pid for pid in ids if pid not in taken]
        if free:
            bind.execute(programs.delete().where(programs.c.tenant_id == tenant_id, programs.c.id.in_(free)))
