"""Benchmark: rank 50,000 candidate households for a regional program, then export the ranking. Not a test.

    .venv/bin/python scripts/bench_ranking.py [--households 50000] [--region payakumbuh] [--commit]

Runs on the configured database (DATABASE_URL, else the SQLite file in instance/ or
INSTANCE_PATH), which must be migrated and seeded (`make db`); use a scratch database.
In the region's context it writes a new current register extract of `--households`
households (1–6 members each, deciles 1–10, some disabled members, some elderly heads) with
bulk inserts, adds a regional program whose criteria every household meets and three
weights, then times:

* compute + store: what the background job runs, `fill_ranking` (stream the households, check
  the criteria, score, sort with the tie-break rule, insert the entries in chunks), then the flush;
* the first page of the ranking's table;
* the exports: Excel (all candidates) and PDF (all candidates, and only the proposed);
* the decision (top N by quota).

Everything is rolled back at the end unless --commit.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update

from app import create_app
from app.accounts.models import Membership, User
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.extensions import db
from app.programs.models import Program
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant

CHUNK = 5000
BASIS = "Peraturan uji Pasal 1"


def _timed(label: str, fn):
    """Run `fn`, print wall-clock and this process's CPU seconds (the latter steadier on a busy machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.2f} s (CPU proses ini {time.process_time() - cpu:.2f} s)")
    return result, seconds


def generate_extract(tenant: Tenant, households: int, user_id, rng: random.Random) -> int:
    """A new current extract of `households` households; returns the number of members written."""
    villages = db.session.scalars(select(Village.code).join(District, District.code == Village.district_code)
                                  .where(District.regency_code == tenant.region_code).order_by(Village.code)).all()
    batch = RegisterImport(filename="bench.csv", row_count=0, household_count=households, imported_by=user_id,
                           status=ImportStatus.CURRENT, imported_at=datetime.now(UTC))
    db.session.add(batch)
    db.session.flush()
    house_table = RegisterHousehold.metadata.tables[RegisterHousehold.__tablename__]
    entry_table = RegisterEntry.metadata.tables[RegisterEntry.__tablename__]
    members_written, house_rows, entry_rows = 0, [], []
    for i in range(households):
        village = villages[i % len(villages)]
        district = village.replace(".", "")[:6]
        kk = f"{district}77{i:08d}"
        house_rows.append({"tenant_id": tenant.id, "id": uuid.uuid4(), "import_id": batch.id, "kk_number": kk,
                           "village_code": village, "address": f"Jl. Uji No. {i % 200}", "decile": rng.randint(1, 10),
                           "housing": "", "programs": "", "digest": ""})
        for m in range(rng.randint(1, 6)):
            head = m == 0
            born = date(rng.randint(1940, 1995) if head else rng.randint(1980, 2022), rng.randint(1, 12),
                        rng.randint(1, 28))
            entry_rows.append({
                "tenant_id": tenant.id, "id": uuid.uuid4(), "import_id": batch.id,
                "nik": f"{district}{len(entry_rows) + members_written:010d}",  # unique; not a real birth date
                "kk_number": kk, "name": f"Warga Uji {i}-{m}", "village_code": village, "address": "",
                "relation_to_head": "head" if head else "child", "sex": "P", "birth_date": born, "education": "sd",
                "occupation": "", "disability": "physical" if rng.random() < 0.05 else "none", "pregnant": False,
                "programs": "", "digest": ""})
        if len(house_rows) >= CHUNK:
            db.session.execute(insert(house_table), house_rows)
            db.session.execute(insert(entry_table), entry_rows)
            members_written += len(entry_rows)
            house_rows, entry_rows = [], []
    if house_rows:
        db.session.execute(insert(house_table), house_rows)
        db.session.execute(insert(entry_table), entry_rows)
        members_written += len(entry_rows)
    batch.row_count = members_written
    db.session.flush()
    return members_written


def bench_program() -> Program:
    program = Program(code=f"BENCH{uuid.uuid4().hex[:6].upper()}", name="Bantuan Daerah Uji Bench", level="regional",
                      criteria=[{"attribute": "in_register", "op": "eq", "value": True, "legal_basis": BASIS}],
                      ranking=[{"attribute": "decile", "op": "le", "value": 3, "points": 30, "legal_basis": BASIS},
                               {"attribute": "member_disability", "op": "in", "value": ["physical"], "points": 20,
                                "legal_basis": BASIS},
                               {"attribute": "elderly_head", "op": "eq", "value": True, "points": 10,
                                "legal_basis": BASIS}])
    db.session.add(program)
    db.session.flush()
    return program


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--region", default="payakumbuh")
    parser.add_argument("--quota", type=int, default=500)
    parser.add_argument("--commit", action="store_true", help="keep the generated extract and the ranking")
    args = parser.parse_args()

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "REDIS_URL": None})
    with app.test_request_context(), app.app_context():
        from app.jobs.vocabulary import JobStatus
        from app.programs.ranking import fill_ranking, request_ranking, weight_labels
        from app.programs.ranking_columns import RANKINGS
        from app.programs.ranking_decision import decide_ranking
        from app.programs.ranking_export import ranking_pdf, ranking_workbook
        from app.programs.ranking_views import page_of_entries, ranking_facts

        region = db.session.scalar(select(Tenant).where(Tenant.slug == args.region))
        if region is None:
            sys.exit(f"region {args.region!r} not found: migrate and seed first (make db)")
        print(f"{db.engine.dialect.name}: {args.households} rumah tangga di {region.name}")
        with tenant_context(region):
            user = db.session.scalar(select(User).where(User.email == f"manager@{args.region}.demo"))
            membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
            members, _s = _timed("membuat ekstrak data terpadu (bukan bagian dari pemeringkatan)",
                                 lambda: generate_extract(region, args.households, user.id, random.Random(1)))
            print(f"    {members} anggota keluarga")
            program = bench_program()

            # What the job does (`run_ranking` → `fill_ranking`), here without its commits.
            ranking = request_ranking(program, membership=membership, user=user, quota=args.quota)

            def compute():
                fill_ranking(ranking, program)
                db.session.flush()

            _r, compute_s = _timed("hitung + simpan peringkat", compute)
            db.session.execute(update(RANKINGS).where(RANKINGS.c.tenant_id == ranking.tenant_id,
                                                      RANKINGS.c.id == ranking.id)
                               .values(job_status=JobStatus.DONE, progress=100))  # as the job ends
            print(f"    {ranking.candidate_count} calon ({ranking.candidate_count / compute_s:,.0f} per detik)")
            _timed("halaman pertama tabel", lambda: list(page_of_entries(ranking, 1).items))
            facts, labels = ranking_facts(ranking), weight_labels(ranking.weights)
            xlsx, _s = _timed("ekspor Excel (semua calon)", lambda: ranking_workbook(facts, labels))
            print(f"    {len(xlsx.content) / 1e6:.1f} MB, {xlsx.rows} baris")
            proposed, _s = _timed(f"ekspor PDF (yang dicentang: {args.quota})",
                                  lambda: ranking_pdf(facts, labels, region, proposed_only=True))
            print(f"    {len(proposed.content) / 1e6:.1f} MB, {proposed.rows} baris")
            full, _s = _timed("ekspor PDF (semua calon, dibatasi)", lambda: ranking_pdf(facts, labels, region))
            print(f"    {len(full.content) / 1e6:.1f} MB, {full.rows} baris (terpotong: {full.capped})")
            _timed("keputusan (kuota teratas)", lambda: decide_ranking(
                ranking, decree_number="400/1/SK/2026", decree_date=date.today(), basis="quota", quota=args.quota,
                user=user))
            if args.commit:
                db.session.commit()
            else:
                db.session.rollback()


if __name__ == "__main__":
    main()
