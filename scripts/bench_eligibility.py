"""Benchmark: eligibility gaps for 100,000 households of a generated register extract. Not a test.

    .venv/bin/python scripts/bench_eligibility.py [--households 100000] [--region cianjur] [--words]

Runs on the configured database (DATABASE_URL for PostgreSQL, else the SQLite file in
instance/ or INSTANCE_PATH), which must be migrated and seeded (`make db`); a scratch
database is best. In the region's context it writes a new current register extract of
`--households` households (1–6 members, deciles 1–10, housing, some pregnant, disabled and
elderly members, some register program flags) with bulk inserts, makes sure the national
programs are in the catalogue, then times, over the whole extract:

* facts only: streaming every household with its members (`iter_household_facts`);
* gaps: the same plus every active program's criteria (`gap_counts`), the bulk form;
* with `--words`: `gaps()` per household, each condition evaluated and put into words
  (what a page shows), for comparison.

Wall and CPU time are both printed: on a busy machine the wall time includes waiting for
the CPU, and on PostgreSQL the database's own time is outside this process's CPU time.
Memory: the peak of Python allocations (tracemalloc, in a separate untimed pass, as
tracemalloc slows code down) and the process's peak resident size. Everything is rolled
back at the end.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from app import create_app
from app.accounts.models import Membership
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.extensions import db
from app.programs.catalogue import active_programs, seed_national_programs
from app.programs.eligibility import gap_counts, gaps
from app.programs.facts import iter_household_facts
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant

CHUNK = 5000
HOUSING = ["decent", "decent", "inadequate", "severely_damaged", ""]
FLAGS = ["", "", "", "pkh", "bpnt", "pkh,bpnt", "pbi_jk"]


def generate(tenant: Tenant, households: int, user_id, rng: random.Random) -> int:
    """A new current extract of `households` households; returns how many members it has."""
    villages = db.session.scalars(select(Village.code).join(District, District.code == Village.district_code)
                                  .where(District.regency_code == tenant.region_code).order_by(Village.code)).all()
    batch = RegisterImport(filename="bench.csv", row_count=0, household_count=households, imported_by=user_id,
                           status=ImportStatus.CURRENT, imported_at=datetime.now(UTC))
    db.session.add(batch)
    db.session.flush()
    house_table = RegisterHousehold.metadata.tables[RegisterHousehold.__tablename__]
    entry_table = RegisterEntry.metadata.tables[RegisterEntry.__tablename__]
    members, house_rows, entry_rows = 0, [], []
    for i in range(households):
        village = villages[i % len(villages)]
        district = village.replace(".", "")[:6]
        kk = f"{district}88{i:08d}"
        house_rows.append({"tenant_id": tenant.id, "id": uuid.uuid4(), "import_id": batch.id, "kk_number": kk,
                           "village_code": village, "address": f"Jl. Uji No. {i % 200}", "decile": rng.randint(1, 10),
                           "housing": rng.choice(HOUSING), "programs": rng.choice(FLAGS), "digest": ""})
        for m in range(rng.randint(1, 6)):
            born = date(rng.randint(1940, 1995) if m == 0 else rng.randint(1960, 2024), rng.randint(1, 12),
                        rng.randint(1, 28))
            entry_rows.append({
                "tenant_id": tenant.id, "id": uuid.uuid4(), "import_id": batch.id,
                "nik": f"{district}{members:010d}", "kk_number": kk, "name": f"Warga Uji {members}",
                "village_code": village, "address": "", "relation_to_head": "head" if m == 0 else "child",
                "sex": rng.choice("LP"), "birth_date": born, "education": rng.choice(["sd", "smp", "sma", ""]),
                "occupation": "", "disability": "physical" if rng.random() < 0.04 else "none",
                "pregnant": m == 1 and rng.random() < 0.05, "programs": "pip" if rng.random() < 0.05 else "",
                "digest": ""})
            members += 1
        if len(entry_rows) >= CHUNK:
            db.session.execute(insert(house_table), house_rows)
            db.session.execute(insert(entry_table), entry_rows)
            house_rows, entry_rows = [], []
    if house_rows:
        db.session.execute(insert(house_table), house_rows)
    if entry_rows:
        db.session.execute(insert(entry_table), entry_rows)
    batch.row_count = members
    db.session.flush()
    return members


def _timed(label: str, households: int, fn):
    """Wall time (what a person waits) and this process's CPU time (less disturbed by a busy machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {label}: {seconds:.2f} s wall ({households / seconds:,.0f} households/s), "
          f"{cpu:.2f} s CPU ({households / cpu:,.0f} households/s)")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--region", default="cianjur")
    parser.add_argument("--words", action="store_true", help="also time gaps() with every condition in words")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        region = db.session.scalar(select(Tenant).where(Tenant.slug == args.region))
        if region is None:
            sys.exit(f"region {args.region!r} not found: migrate and seed first (make db)")
        with tenant_context(region):
            user_id = db.session.scalars(select(Membership.user_id)).first()
            seed_national_programs()
            started = time.perf_counter()
            members = generate(region, args.households, user_id, random.Random(11))
            print(f"{db.engine.dialect.name}: {args.households:,} households, {members:,} members for {region.name} "
                  f"(generated in {time.perf_counter() - started:.1f} s)")
            programs = active_programs()
            print(f"  {len(programs)} active programs: {', '.join(p.code for p in programs)}")
            n = args.households
            _timed("facts only", n, lambda: sum(1 for _ in iter_household_facts()))
            found, _s = _timed("gaps (bulk)", n, lambda: Counter(
                code for _kk, codes in gap_counts(iter_household_facts(), programs) for code in codes))
            print("  gaps per program: " + ", ".join(f"{code} {count:,}" for code, count in found.most_common()))
            if args.words:
                _timed("gaps with words", n, lambda: sum(len(gaps(f, programs, {})) for f in iter_household_facts()))
            tracemalloc.start()
            for _ in gap_counts(iter_household_facts(), programs):
                pass
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  memory: Python peak {peak / 1e6:.0f} MB during gaps (tracemalloc), process peak RSS {rss:.0f} MB")
        db.session.rollback()


if __name__ == "__main__":
    main()
