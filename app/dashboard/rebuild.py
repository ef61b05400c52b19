"""Recomputing a region's rollups from the raw tables: `flask dashboard rebuild`.

Used after imports and migrations, and by the test that checks the live counters
against the raw data. Reads cases in chunks, so memory stays bounded by the number of
distinct counters, not by the number of cases.
"""
from __future__ import annotations

from collections import Counter
from datetime import UTC

import click
from flask.cli import AppGroup
from sqlalchemy import delete, select

from app.dashboard.facts import SopCache, all_case_ids, load_histories
from app.dashboard.metrics import prelist_key, prelist_stage
from app.dashboard.models import CaseRollup, CaseRollupMonth, CitizenProgram
from app.dashboard.program_rollups import rebuild_program_rollups
from app.dashboard.rollups import upsert_counters, upsert_programs, zone
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

dashboard_cli = AppGroup("dashboard", help="Ringkasan dasbor (rollup) per daerah.")


def compute_from_raw(session, tenant_id, tz: str | None = None) -> tuple[Counter, dict]:
    """(counters, programs) of a region as the raw tables say they should be."""
    tz = tz or zone()
    counters: Counter = Counter()
    programs: dict = {}
    sops = SopCache(session)
    for ids in all_case_ids(session, tenant_id):
        for history in load_histories(session, tenant_id, ids, sops).values():
            counters.update(history.deltas(zone=tz))
            for citizen, partner, level, district, at, served in history.programs():
                key = (citizen, partner)
                first = programs.get(key)
                if first is None or at < first[2]:
                    programs[key] = [level, district, at, first[3] if first else None]
                if served and (programs[key][3] is None or at < programs[key][3]):
                    programs[key][3] = at
    stmt = select(DataUpdate.created_at, DataUpdate.district_code, DataUpdate.status, DataUpdate.result).where(
        DataUpdate.tenant_id == tenant_id, DataUpdate.kind == UpdateKind.NEW_HOUSEHOLD)
    for created_at, district, status, result in session.execute(stmt):
        counters[prelist_key(created_at, district, prelist_stage(status, result), tz)] += 1
    return Counter({k: v for k, v in counters.items() if v}), programs


def rebuild_region(tenant: Tenant) -> int:
    """Replace the region's rollups (casework and program receipt) with ones computed from raw data;
    returns the number of casework counters.

    Flushes only; the caller commits.
    """
    with tenant_context(tenant):
        session = db.session
        counters, programs = compute_from_raw(session, tenant.id)
        for model in (CaseRollup, CaseRollupMonth):
            session.execute(delete(model).where(model.tenant_id == tenant.id)
                            .execution_options(synchronize_session=False))
        session.execute(delete(CitizenProgram).where(CitizenProgram.tenant_id == tenant.id)
                        .execution_options(synchronize_session=False))
        connection = session.connection()
        upsert_counters(connection, tenant.id, counters)
        rows = [(citizen, partner, level, district, at, False) for (citizen, partner), (level, district, at, _s)
                in sorted(programs.items(), key=lambda item: item[1][2])]
        upsert_programs(connection, tenant.id, rows)
        served = [(citizen, partner, level, district, served_at, True) for (citizen, partner), (level, district, _a,
                  served_at) in programs.items() if served_at is not None]
        upsert_programs(connection, tenant.id, served)
        rebuild_program_rollups(tenant.id)
        return len(counters)


@dashboard_cli.command("rebuild")
@click.option("--region", "slugs", multiple=True, help="Subdomain daerah (boleh berulang); tanpa ini semua daerah.")
def rebuild_command(slugs: tuple[str, ...]) -> None:
    """Hitung ulang ringkasan dasbor dari data kasus mentah."""
    stmt = select(Tenant).order_by(Tenant.slug)
    if slugs:
        stmt = stmt.where(Tenant.slug.in_(slugs))
    tenants = db.session.scalars(stmt).all()
    missing = set(slugs) - {t.slug for t in tenants}
    if missing:
        raise click.ClickException(f"Daerah tidak dikenal: {', '.join(sorted(missing))}")
    for tenant in tenants:
        count = rebuild_region(tenant)
        db.session.commit()
        click.echo(f"{tenant.slug}: {count} penghitung dihitung ulang")


@dashboard_cli.command("sample")
@click.option("--region", "slug", required=True, help="Subdomain daerah.")
@click.option("--cases", default=300, show_default=True, help="Jumlah kasus contoh dalam 365 hari terakhir.")
@click.option("--households", default=0, show_default=True,
              help="Rumah tangga contoh di data register, 60% menerima program (dengan kepesertaan tercatat).")
@click.option("--seed", default=1, show_default=True)
def sample_command(slug: str, cases: int, households: int, seed: int) -> None:
    """Buat kasus contoh setahun terakhir dan rumah tangga penerima program (untuk demo dan uji beban; bukan
    untuk produksi)."""
    import os
    import random
    from datetime import datetime, timedelta

    from app.dashboard.sample import CaseworkSampler, Clock

    if os.environ.get("SLRT_ENV") == "production":
        raise click.ClickException("Data contoh tidak boleh dibuat di produksi (SLRT_ENV=production).")
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"Daerah tidak dikenal: {slug}")
    rng, now = random.Random(seed), datetime.now(UTC)
    with tenant_context(tenant):
        sampler = CaseworkSampler(rng)
        for n in range(1, cases + 1):
            clock = Clock(now - timedelta(days=rng.uniform(1, 365)))
            case = sampler.open(clock)
            if case is not None:
                sampler.walk(case, clock, until=now - timedelta(minutes=1))
            if n % 200 == 0:
                db.session.commit()
        db.session.commit()
        if households:
            from app.dashboard.sample_households import sample_households

            written = sample_households(rng, households)
            db.session.commit()
            click.echo(f"{slug}: {written['households']} rumah tangga contoh, {written['participations']} "
                       "kepesertaan tercatat")
    click.echo(f"{slug}: {cases} kasus contoh dibuat")
