"""Benchmark: parse and import a generated register extract (DTKS) for one region.

    .venv/bin/python scripts/bench_register_import.py [--rows 100000] [--region payakumbuh] [--commit]

Runs on the configured database (DATABASE_URL, else the SQLite file in instance/), which
must be migrated and seeded (`make db`). Two passes over the same generated file: one
timed, one under tracemalloc for peak Python memory (tracemalloc slows code down, so it
is not timed). Both are rolled back unless --commit, which keeps the second import.
Not a test.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from app import create_app
from app.accounts.models import Membership, User
from app.citizens.dtks_import import import_register, parse_register_csv
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant


def generate(region_code: str, rows: int, out) -> None:
    """Write `rows` valid, distinct rows spread over the region's villages."""
    villages = db.session.scalars(
        select(Village.code).join(District, District.code == Village.district_code)
        .where(District.regency_code == region_code).order_by(Village.code)).all()
    out.write(b"nik,no_kk,nama,kode_wilayah,alamat\n")
    for i in range(rows):
        village = villages[i % len(villages)]
        district = village.replace(".", "")[:6]
        n = i // len(villages)
        birth = f"{1 + n % 28:02d}{1 + (n // 28) % 12:02d}{40 + (n // 336) % 60:02d}"
        nik = f"{district}{birth}{i % 10000:04d}"
        kk = f"{district}{i // 4:010d}"
        out.write(f"{nik},{kk},Warga Uji {i},{village},\"Jl. Uji No. {i % 200}, RT {i % 20:02d}\"\n".encode())
    out.seek(0)


def run_once(stream, region_code: str, user, filename: str) -> tuple[float, float]:
    stream.seek(0)
    started = time.perf_counter()
    rows = parse_register_csv(stream, region_code)
    parsed = time.perf_counter()
    import_register(rows, filename, user)
    db.session.flush()
    return parsed - started, time.perf_counter() - parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--region", default="payakumbuh")
    parser.add_argument("--commit", action="store_true", help="keep the imported rows")
    args = parser.parse_args()

    app = create_app()
    with app.app_context():
        region = db.session.scalar(select(Tenant).where(Tenant.slug == args.region))
        if region is None:
            sys.exit(f"region {args.region!r} not found: migrate and seed first (make db)")
        with tenant_context(region), tempfile.TemporaryFile() as stream:
            membership = db.session.scalars(select(Membership)).first()
            user = db.session.get(User, membership.user_id)
            generate(region.region_code, args.rows, stream)
            size = stream.seek(0, 2)
            print(f"{db.engine.dialect.name}: {args.rows} rows for {region.name} ({size / 1e6:.1f} MB CSV)")

            parse_s, import_s = run_once(stream, region.region_code, user, "bench.csv")
            db.session.rollback()
            total = parse_s + import_s
            print(f"parse  {parse_s:6.2f} s  {args.rows / parse_s:10,.0f} rows/s")
            print(f"import {import_s:6.2f} s  {args.rows / import_s:10,.0f} rows/s")
            print(f"total  {total:6.2f} s  {args.rows / total:10,.0f} rows/s")

            tracemalloc.start()
            run_once(stream, region.region_code, user, "bench.csv")
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"peak Python memory (tracemalloc, parse + import): {peak / 1e6:.1f} MB")
            if args.commit:
                db.session.commit()
                print("committed")
            else:
                db.session.rollback()


if __name__ == "__main__":
    main()
