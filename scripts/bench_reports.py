"""Benchmark (not a test): the report as offices file it, for a year of a big region.

    .venv/bin/python scripts/bench_reports.py [--cases 10000] [--households 100000] [--bulk 0]
                                              [--region palembang] [--skip-generate --instance DIR]

Without DATABASE_URL a fresh SQLite file under /tmp is migrated and seeded; with it, the
configured database is used as it is (migrated and seeded: `make db`; use a scratch one, the
generated data stays). A year of casework is made through the real operations
(`scripts/bench_dashboard.generate`) and a register extract with participation records
(`generate_households`). Then the yearly report (the last 12 months) and last month's
report, PDF and Excel: rows in the appendices, people served, gathering time, build time,
file size, and peak Python memory (tracemalloc, in a second untimed pass) and the process's
peak RSS.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def amplify(tenant, count: int, seed: int = 5) -> None:
    """`count` more complaints in the last 12 months, written in bulk (Core inserts of rows cloned from the
    ones the real operations made): a citizen each, half of them in the register extract (some with a
    disability), 40% referred, and a new-household proposal for most of the others. What the report reads
    from raw tables grows with them (people served, the appendices, the recorded tables); the rollup-based
    figures do not (they are per day, not per case)."""
    import random
    import uuid
    from datetime import date

    from sqlalchemy import insert, select

    from app.casework.models import Case, Partner, Referral
    from app.citizens.models import Citizen, RegisterEntry
    from app.citizens.register import current_import_id
    from app.extensions import db
    from app.reference.models import District, Village
    from app.tenancy.models import utcnow
    from app.verval.models import DataUpdate

    rng = random.Random(seed)
    cases, citizens, referrals, updates, entries = (m.__table__ for m in (Case, Citizen, Referral, DataUpdate,
                                                                          RegisterEntry))
    mine = [t.c.tenant_id == tenant.id for t in (cases, referrals, updates)]
    case0 = dict(db.session.execute(select(cases).where(mine[0], cases.c.citizen_id.is_not(None)).limit(1))
                 .mappings().one())
    referral0 = dict(db.session.execute(select(referrals).where(mine[1]).limit(1)).mappings().one())
    update0 = dict(db.session.execute(select(updates).where(mine[2], updates.c.kind == "new_household").limit(1))
                   .mappings().one())
    partners = db.session.scalars(select(Partner.id)).all()
    villages = db.session.scalars(select(Village.code).join(District, District.code == Village.district_code)
                                  .where(District.regency_code == tenant.region_code)).all()
    import_id = current_import_id()
    now, started = utcnow(), time.perf_counter()
    areas = ("pendidikan", "kesehatan", "kependudukan", "sosial", "ekonomi_dan_usaha", "pelayanan_dasar_lainnya")
    kinds = ("none",) * 7 + ("physical", "sensory", "intellectual", "mental", "multiple", "")
    for start in range(0, count, 2000):
        rows: dict[str, list] = {"citizens": [], "cases": [], "entries": [], "referrals": [], "updates": []}
        for n in range(start, min(count, start + 2000)):
            village = rng.choice(villages)
            birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 80 * 365))
            sex = rng.choice("LP")
            nik, kk = f"9{n:015d}", f"8{n:015d}"  # outside every real region's codes: no clash with made ones
            at = now - timedelta(seconds=rng.uniform(60, 364 * 86400))
            citizen_id, case_id, registered = uuid.uuid4(), uuid.uuid4(), rng.random() < 0.5
            rows["citizens"].append(dict(tenant_id=tenant.id, id=citizen_id, nik=nik, kk_number=kk, name=f"Warga {n}",
                                         birth_date=birth, sex=sex, address="Jl. Bench", village_code=village,
                                         phone="", created_at=at, updated_at=at))
            rows["cases"].append({**case0, "id": case_id, "ticket": f"BENCH-{n:08d}", "intake_token": uuid.uuid4().hex,
                                  "citizen_id": citizen_id, "created_at": at, "state_entered_at": at,
                                  "district_code": village.rsplit(".", 1)[0], "village_code": village,
                                  "service_area": rng.choice(areas), "in_register": registered, "due_at": None,
                                  "closed_at": None, "merged_into_id": None})
            if registered and import_id is not None:
                rows["entries"].append(dict(tenant_id=tenant.id, id=uuid.uuid4(), nik=nik, kk_number=kk,
                                            name=f"Warga {n}", village_code=village, address="", import_id=import_id,
                                            relation_to_head="head", sex=sex, birth_date=birth, education="",
                                            occupation="", disability=rng.choice(kinds), pregnant=False,
                                            programs="", digest=""))
            if rng.random() < 0.4:
                rows["referrals"].append({**referral0, "id": uuid.uuid4(), "case_id": case_id,
                                          "partner_id": rng.choice(partners), "requested_at": at + timedelta(hours=5)})
            elif not registered:
                rows["updates"].append({**update0, "id": uuid.uuid4(), "case_id": case_id, "citizen_id": citizen_id,
                                        "kk_number": kk, "nik": nik, "created_at": at, "district_code":
                                        village.rsplit(".", 1)[0], "village_code": village,
                                        "status": rng.choice(("pending", "approved", "rejected")), "result": ""})
        for table, key in ((citizens, "citizens"), (cases, "cases"), (entries, "entries"), (referrals, "referrals"),
                           (updates, "updates")):
            if rows[key]:
                db.session.execute(insert(table), rows[key])
        db.session.commit()
    print(f"  {count} pengaduan tambahan ditulis langsung dalam {time.perf_counter() - started:.0f} s")


def peak_mib(build) -> float:
    tracemalloc.start()
    try:
        build()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def rows_in(chunks) -> int:
    return sum(len(chunk) for chunk in chunks)


def measure(tenant, label: str, kind: str, period) -> None:
    from app.dashboard.lists import prelist_rows, referral_rows
    from app.dashboard.periods import today
    from app.reports.contents import report_contents
    from app.reports.office import region_facts, region_report_pdf
    from app.reports.workbook import region_workbook

    started = time.perf_counter()
    contents = report_contents(tenant, period)
    gathered = time.perf_counter() - started
    proposals, referrals = rows_in(prelist_rows(period)), rows_in(referral_rows(period))
    print(f"\n{label} ({period.label()}): {contents.people.total} warga dilayani, "
          f"{contents.figures.totals['received']} pengaduan, lampiran {proposals} usulan + {referrals} rujukan; "
          f"isi dikumpulkan dalam {gathered:.2f} s")
    for fmt in ("pdf", "xlsx"):
        def build(fmt=fmt):
            contents = report_contents(tenant, period)
            if fmt == "pdf":
                return region_report_pdf(tenant, kind, contents, prelist_rows(period), referral_rows(period),
                                         "Bench", "-", today())
            out = BytesIO()
            region_workbook(out, region_facts(tenant, kind, contents, "Bench", "-"), contents,
                            prelist_rows(period), referral_rows(period))
            return out.getvalue()

        started = time.perf_counter()
        size = len(build())
        seconds = time.perf_counter() - started
        print(f"  {fmt:<4} {seconds:7.2f} s  {size / 2**20:6.2f} MB  puncak memori Python {peak_mib(build):6.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="kasus dalam setahun")
    parser.add_argument("--households", type=int, default=100_000, help="rumah tangga di data register")
    parser.add_argument("--bulk", type=int, default=0, help="pengaduan tambahan ditulis langsung (tanpa operasi)")
    parser.add_argument("--region", default="palembang")
    parser.add_argument("--skip-generate", action="store_true", help="pakai data yang sudah ada")
    parser.add_argument("--instance", default="", help="folder SQLite dari jalan sebelumnya (dengan --skip-generate)")
    args = parser.parse_args()
    fresh = not os.environ.get("DATABASE_URL") and not args.instance
    if fresh:
        os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="slrt-bench-reports-")
    elif args.instance:
        os.environ["INSTANCE_PATH"] = args.instance
    from bench_dashboard import generate, generate_households
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.dashboard.periods import Period, today
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "REDIS_URL": None,
                      "DEMO_PASSWORD": "bench-password-1"})
    with app.app_context():
        if fresh:
            from app.cli import seed_all

            upgrade(revision="heads")
            seed_all("bench-password-1")
        print(f"Basis data: {db.engine.url.render_as_string(hide_password=True)}")
        if not args.skip_generate:
            events, seconds = generate(args.region, args.cases, seed=1)
            print(f"  {args.region}: {args.cases} kasus, {events} peristiwa dalam {seconds:.0f} s")
            if args.households:
                generate_households(args.region, args.households, 0.6, seed=1)
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == args.region))
        with tenant_context(tenant):
            if args.bulk:
                amplify(tenant, args.bulk)
            now = today()
            last = now.replace(day=1) - timedelta(days=1)
            measure(tenant, "Laporan tahunan (12 bulan)", "yearly", Period(now - timedelta(days=364), now))
            measure(tenant, "Laporan bulanan", "monthly", Period.month(last.year, last.month))
    print(f"\nPuncak RSS proses: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
