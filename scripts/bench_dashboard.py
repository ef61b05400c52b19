"""Benchmark: a year of casework for one region and for all five, and a register extract
whose households receive programs; then dashboard response times, rollup rebuild times,
report build times and peak memory. Not a test.

    .venv/bin/python scripts/bench_dashboard.py [--cases 2000] [--households 100000] [--receive-share 0.6]
                                                [--regions palembang] [--skip-generate]
    .venv/bin/python scripts/bench_dashboard.py --regions all

Runs on the configured database (DATABASE_URL, else the SQLite file in instance/ or
INSTANCE_PATH), which must be migrated and seeded (`make db`); use a scratch database,
the generated cases stay. Cases are made through the real operations (`open_case`,
`take_step`) on a simulated clock spread over the last 365 days, so the rollups are kept
by the live listener, as in production. Households (with members, the extract's program flags
and participation records) are written in bulk, as a register import writes them, and the
program rollups rebuilt, as when an import is confirmed. Then, per region measured:

* dashboard GET (whole region this year, this month, one district) through the app, as its
  manager: median and worst of several requests;
* what the same figures would cost counted from the raw tables (a rollup rebuild), and the
  program receipt rollups' rebuild (what confirming a register import costs);
* one participation approved: the households' rollups kept current on flush;
* monthly and yearly report, PDF and Excel: build time, then peak Python memory
  (tracemalloc, in a second untimed pass);
* the national summary (one row per region).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from app import create_app
from app.casework.models import Case, CaseEvent
from app.dashboard.rebuild import compute_from_raw
from app.dashboard.sample import CaseworkSampler, Clock
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant

REGIONS = ("bekasi", "cianjur", "batubara", "payakumbuh", "palembang")
STATEMENTS = {"n": 0}


def generate_households(slug: str, households: int, share: float, seed: int) -> None:
    """`households` households in `slug`'s register extract, `share` of them receiving programs."""
    from app.dashboard.sample_households import sample_households

    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    started = time.perf_counter()
    with tenant_context(tenant):
        written = sample_households(random.Random(seed), households, receive_share=share)
        db.session.commit()
    print(f"  {slug}: {written['households']} rumah tangga, {written['members']} anggota, "
          f"{written['participations']} kepesertaan dibuat dalam {time.perf_counter() - started:.1f} s "
          f"(termasuk hitung ulang rollup program)")


def generate(slug: str, cases: int, seed: int) -> tuple[int, float]:
    """A year of cases in `slug`, committed in batches; returns (events written, seconds)."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    now = datetime.now(UTC)
    rng = random.Random(seed)
    started = time.perf_counter()
    with tenant_context(tenant):
        before = db.session.scalar(select(func.count()).select_from(CaseEvent)) or 0
        sampler = CaseworkSampler(rng, register_share=0.6)
        moments = sorted(now - timedelta(days=365) + timedelta(seconds=rng.uniform(0, 364 * 86400))
                         for _ in range(cases))
        for n, moment in enumerate(moments, start=1):
            clock = Clock(moment)
            case = sampler.open(clock)
            if case is not None:
                sampler.walk(case, clock, until=now - timedelta(minutes=1))
            if n % 200 == 0:
                db.session.commit()
                print(f"  {slug}: {n}/{cases} kasus", end="\r", flush=True)
        db.session.commit()
        after = db.session.scalar(select(func.count()).select_from(CaseEvent)) or 0
    return after - before, time.perf_counter() - started


def timed_requests(client, host: str, path: str, times: int = 7) -> tuple[float, float, int]:
    """(median, worst) seconds over `times` requests after a first warm-up, and SQL statements per request."""
    samples = []
    for _ in range(times):
        STATEMENTS["n"] = 0
        started = time.perf_counter()
        response = client.get(path, base_url=host)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples[1:]), max(samples[1:]), STATEMENTS["n"]


def peak_memory(build) -> float:
    tracemalloc.start()
    try:
        build()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def signed_in(app, slug: str):
    """A test client signed in as the region's demo manager, and its base URL.

    Over https when the settings ask for it (FORCE_HTTPS redirects plain requests, a secure
    session cookie is never sent back over http: either way every page answered 302 before).
    Stops with the reason when the sign-in does not hold.
    """
    secure = app.config.get("FORCE_HTTPS") or app.config.get("SESSION_COOKIE_SECURE")
    host = f"{'https' if secure else 'http'}://{slug}.{app.config['BASE_DOMAIN']}"
    client = app.test_client()
    email = f"manager@{slug}.demo"
    client.post("/login", base_url=host, data={"email": email, "password": app.config["DEMO_PASSWORD"]})
    probe = client.get("/dashboard/", base_url=host)
    if probe.status_code != 200:
        raise SystemExit(f"{email} cannot open the dashboard (HTTP {probe.status_code} → "
                         f"{probe.headers.get('Location', '')}): seed the demo accounts (`flask demo seed`) with "
                         "the same DEMO_PASSWORD, and keep BASE_DOMAIN as when they were made")
    return client, host


def bench_region(app, slug: str) -> None:
    """Dashboard requests as the region's manager, then the report timings."""
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_context(tenant):
            n_cases = db.session.scalar(select(func.count()).select_from(Case))
            n_events = db.session.scalar(select(func.count()).select_from(CaseEvent))
            district = db.session.scalar(select(Case.district_code).group_by(Case.district_code)
                                         .order_by(func.count().desc()).limit(1))
        print(f"\n== {tenant.name}: {n_cases} kasus, {n_events} peristiwa ==")
    # Requests run outside any app context, each in its own (as under gunicorn).
    client, host = signed_in(app, slug)
    today = datetime.now(UTC).date()
    year_ago = (today - timedelta(days=364)).isoformat()
    for label, path in (("dasbor 12 bulan", f"/dashboard/?from={year_ago}&to={today.isoformat()}"),
                        ("dasbor bulan ini", "/dashboard/"),
                        ("dasbor 12 bulan, 1 kecamatan",
                         f"/dashboard/?from={year_ago}&to={today}&district={district}")):
        median, worst, statements = timed_requests(client, host, path)
        print(f"  {label:<32} median {median * 1000:7.1f} ms   terburuk {worst * 1000:7.1f} ms   "
              f"{statements} SQL/permintaan")
    with app.app_context():
        report_timings(slug)


def report_timings(slug: str) -> None:
    """A rebuild from raw data, and the monthly and yearly reports in both formats."""
    from app.dashboard.lists import prelist_rows, referral_rows
    from app.dashboard.periods import Period
    from app.reports.contents import report_contents
    from app.reports.office import region_facts, region_report_pdf
    from app.reports.workbook import region_workbook

    today = datetime.now(UTC).date()
    with tenant_context(db.session.scalar(select(Tenant).where(Tenant.slug == slug))) as tenant:
        started = time.perf_counter()
        compute_from_raw(db.session, tenant.id)
        print(f"  {'hitung ulang dari data mentah':<32} {time.perf_counter() - started:8.2f} s "
              "(yang dihindari dasbor dengan rollup)")
        program_timings(tenant)
        last_month = Period.month((today.replace(day=1) - timedelta(days=1)).year,
                                  (today.replace(day=1) - timedelta(days=1)).month)
        for kind, period in (("bulanan", last_month), ("tahunan", Period(today - timedelta(days=364), today))):
            for fmt in ("pdf", "xlsx"):
                def build(period=period, fmt=fmt, kind=kind):
                    contents = report_contents(tenant, period)
                    if fmt == "pdf":
                        return region_report_pdf(tenant, "monthly" if kind == "bulanan" else "yearly", contents,
                                                 prelist_rows(period), referral_rows(period), "Bench", "-", today)
                    out = BytesIO()
                    region_workbook(out, region_facts(tenant, "monthly", contents, "Bench", "-"), contents,
                                    prelist_rows(period), referral_rows(period))
                    return out.getvalue()

                started = time.perf_counter()
                size = len(build())
                seconds = time.perf_counter() - started
                print(f"  laporan {kind} {fmt:<4} {seconds:8.2f} s  {size / 1024:8.0f} KiB  "
                      f"puncak memori {peak_memory(build):6.1f} MiB")


def program_timings(tenant) -> None:
    """The program receipt rollups: a full rebuild (a confirmed import), reading them, one approval."""
    from sqlalchemy import delete

    from app.dashboard.models import HouseholdPrograms
    from app.dashboard.program_access import Receipts
    from app.dashboard.program_rollups import rebuild_program_rollups
    from app.programs.models import Participation

    started = time.perf_counter()
    known = rebuild_program_rollups(tenant.id)
    db.session.commit()
    print(f"  {'rollup program: hitung ulang':<32} {time.perf_counter() - started:8.2f} s "
          f"({known} rumah tangga dikenal, tak ada yang berubah: impor berikutnya yang mirip)")
    db.session.execute(delete(HouseholdPrograms).where(HouseholdPrograms.tenant_id == tenant.id))
    started = time.perf_counter()
    rebuild_program_rollups(tenant.id)
    db.session.commit()
    print(f"  {'rollup program: dari kosong':<32} {time.perf_counter() - started:8.2f} s "
          "(impor pertama: setiap rumah tangga ditulis)")
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        receipts = Receipts.read()
        samples.append(time.perf_counter() - started)
    totals = receipts.totals()
    print(f"  {'rollup program: baca + olah':<32} {statistics.median(samples) * 1000:8.1f} ms "
          f"(median; {totals['households_receiving']} dari {totals['households']} menerima program, "
          f"{totals['receiving_3plus']} menerima 3+)")
    record = db.session.scalars(select(Participation).where(Participation.status == "pending")).first()
    if record is None:
        return
    started = time.perf_counter()
    record.status, record.stage = "approved", len(record.chain)
    db.session.flush()
    print(f"  {'satu kepesertaan disetujui':<32} {(time.perf_counter() - started) * 1000:8.1f} ms "
          "(rollup rumah tangganya ikut diperbarui)")
    db.session.rollback()


def bench_national(app) -> None:
    from app.dashboard.national import national_columns, national_summary, national_total
    from app.dashboard.periods import Period
    from app.reports.activity import national_report_pdf

    today = datetime.now(UTC).date()
    period = Period(today - timedelta(days=364), today)

    def build():
        rows = national_summary(period)
        return national_report_pdf(period.label(), national_columns(), rows, national_total(rows), "Bench", "-")

    started = time.perf_counter()
    build()
    print(f"\n== Ringkasan nasional 12 bulan (PDF): {time.perf_counter() - started:.2f} s, "
          f"puncak memori {peak_memory(build):.1f} MiB ==")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="kasus per daerah dalam setahun")
    parser.add_argument("--households", type=int, default=100_000, help="rumah tangga di data register per daerah")
    parser.add_argument("--receive-share", type=float, default=0.6, help="bagian rumah tangga yang menerima program")
    parser.add_argument("--regions", default="palembang", help="satu subdomain, atau 'all'")
    parser.add_argument("--skip-generate", action="store_true", help="pakai data yang sudah ada")
    args = parser.parse_args()
    slugs = REGIONS if args.regions == "all" else (args.regions,)
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "REDIS_URL": None,
                      "REPORTS_DIR": tempfile.mkdtemp(prefix="bench-reports-")})
    with app.app_context():
        print(f"Basis data: {db.engine.url.render_as_string(hide_password=True)}")
        if not args.skip_generate:
            for i, slug in enumerate(slugs):
                events, seconds = generate(slug, args.cases, seed=i)
                print(f"  {slug}: {args.cases} kasus, {events} peristiwa dibuat dalam {seconds:.0f} s "
                      f"({seconds / max(events, 1) * 1000:.1f} ms per peristiwa, termasuk rollup)")
                if args.households:
                    generate_households(slug, args.households, args.receive_share, seed=i)
        owner_url = app.config.get("MIGRATION_DATABASE_URI")
        if db.engine.dialect.name == "postgresql" and owner_url:
            # A live database has statistics (autovacuum); rows bulk-written a second ago do not yet.
            from sqlalchemy import create_engine, text

            with create_engine(owner_url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text("ANALYZE"))
        from sqlalchemy import event

        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: STATEMENTS.__setitem__(
            "n", STATEMENTS["n"] + 1))
    for slug in slugs:
        bench_region(app, slug)
    with app.app_context():
        bench_national(app)


if __name__ == "__main__":
    main()
