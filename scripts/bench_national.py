#!/usr/bin/env python
"""Benchmark (not a test): national scale on PostgreSQL, the product against a bare baseline.

    .venv/bin/python scripts/bench_national.py [--cases 100000] [--db slrt_bench] [--keep]
        [--requests 200] [--concurrency 1,4] [--only "inbox page,home"] [--json out.json] [--in-process]

1. Builds its own database (scripts/pg-setup: owner, app and platform roles; the app connects as the
   non-owner app role, so row-level security is in force): the official area list, all 514 regions
   onboarded from the blank Permensos 15/2018 structure through the wizard's steps with one account per
   post, a pattern of a year's casework made through the real operations in one region
   (bench_dashboard's generators), copied in bulk as the owner into every region with a skewed size
   (a few regions 10-15× the rest) until `--cases` in total; rollups rebuilt by the app's own rebuild
   (checked equal to the live ones on the pattern first), ANALYZE. `--keep` reuses a built database.
2. Captures the SQL one request of each page sends (the real app, in this process), then serves the
   product (`app:create_app()`) and a bare Flask app running that SQL, as the same role with the same
   tenant setting, rendering the rows with a trivial template, each from gunicorn with the product's
   gunicorn.conf.py on 127.0.0.1, and measures them interleaved over HTTP: p50/p95 at each concurrency,
   SQL statements per request, response KB. `--in-process` drives both as WSGI apps in this process
   instead (test clients on a thread pool: c > 1 serialises on the GIL).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from national_bench import clone, dataset  # noqa: E402


def build(args, echo) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant

    started = time.perf_counter()
    app = dataset.make_app(args.wilayah)
    with app.app_context():
        upgrade(revision="heads")
        dataset.load_reference(app, echo)
        in_parallel("onboard", args, echo)
        echo(f"  regions onboarded at {time.perf_counter() - started:.0f} s")
        tenants = {t.id: (t.slug, t.region_code, t.ticket_prefix) for t in db.session.scalars(select(Tenant))}
        weights = dataset.region_weights(sorted(s for s, _c, _p in tenants.values()), args.seed)
        pattern = next(i for i, (s, _c, _p) in tenants.items() if s == max(weights, key=lambda slug: weights[slug]))
        pattern_slug = tenants[pattern][0]
        dataset.make_pattern(pattern_slug, args.pattern, args.households, args.seed, echo)
        check_rollups(app, pattern, echo)
        total = sum(weights.values())
        copies = {i: max(1, round(args.cases * weights[s] / total / args.pattern))
                  for i, (s, _c, _p) in tenants.items()}
        metadata = db.metadata
    owner = dataset.owner_engine(app)
    with owner.connect() as conn:
        forced = clone.unforce_rls(conn)
        try:
            copying = time.perf_counter()
            clone.prepare(conn, pattern, pattern_slug, tenants, copies)
            clone.clone(conn, metadata, pattern, echo)
            echo(f"  bulk copy in {time.perf_counter() - copying:.0f} s")
        finally:
            clone.force_rls(conn, forced)
    in_parallel("rebuild", args, echo)
    with owner.connect() as conn:
        from sqlalchemy import text

        conn.execute(text("ANALYZE"))
    echo(f"built in {time.perf_counter() - started:.0f} s")


def check_rollups(app, tenant_id, echo) -> None:
    """The live rollups of the pattern (kept by the operations' listener) equal the rebuilt ones."""
    from sqlalchemy import text

    from app.dashboard.rebuild import rebuild_region
    from app.extensions import db
    from app.tenancy.models import Tenant

    def snapshot():
        with dataset.owner_engine(app).connect() as conn:  # RLS is forced for the owner too
            conn.execute(text("SELECT set_config('app.tenant_id', :t, false)"), {"t": str(tenant_id)})
            days = sorted(tuple(r) for r in conn.execute(text(
                "SELECT day, metric, district_code, service_area, channel, state, unit_id::text, partner_level, "
                "partner_id::text, detail, bucket, value FROM case_rollups WHERE tenant_id = :t AND value <> 0"),
                {"t": tenant_id}))
            months = sorted(tuple(r) for r in conn.execute(text(
                "SELECT month, metric, partner_level, detail, bucket, value FROM case_rollup_months "
                "WHERE tenant_id = :t AND value <> 0"), {"t": tenant_id}))
            return days, months

    before = snapshot()
    tenant = db.session.get(Tenant, tenant_id)
    assert tenant is not None
    rebuild_region(tenant)
    db.session.commit()
    after = snapshot()
    echo(f"  rollups of the pattern: {len(before[0])} daily and {len(before[1])} monthly live, "
         f"{len(after[0])} and {len(after[1])} rebuilt, {'equal' if before == after else 'DIFFERENT'}")


def in_parallel(step: str, args, echo) -> None:
    """Run `step` (onboard, rebuild) over the regions in `--workers` processes of this script."""
    import subprocess

    started = time.perf_counter()
    base = [sys.executable, __file__, "--db", args.db, "--keep", "--wilayah", str(args.wilayah)]
    if args.regions:
        base += ["--regions", str(args.regions)]
    workers = [subprocess.Popen([*base, "--step", f"{step}:{i}/{args.workers}"]) for i in range(args.workers)]
    if any(w.wait() for w in workers):
        raise SystemExit(f"{step} failed in a worker")
    echo(f"  {step}: {args.workers} processes, {time.perf_counter() - started:.0f} s")


def run_step(args, echo) -> None:
    step, shard = args.step.split(":")
    part, parts = (int(x) for x in shard.split("/"))
    app = dataset.make_app(args.wilayah)
    with app.app_context():
        if step == "onboard":
            dataset.onboard_all(echo, args.regions, (part, parts))
        else:
            rebuild_all(app, echo, (part, parts))


def rebuild_all(app, echo, shard: tuple[int, int]) -> None:
    from sqlalchemy import select

    from app.dashboard.rebuild import rebuild_region
    from app.extensions import db
    from app.tenancy.models import Tenant

    started = time.perf_counter()
    with app.app_context():
        tenants = db.session.scalars(select(Tenant).order_by(Tenant.slug)).all()[shard[0]::shard[1]]
        for n, tenant in enumerate(tenants, start=1):
            rebuild_region(tenant)
            db.session.commit()
            if n % 100 == 0:
                echo(f"  rollups rebuilt: {n}/{len(tenants)} ({time.perf_counter() - started:.0f} s)")
    echo(f"  rollups rebuilt by the app's rebuild in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in total (100000, 1000000, 10000000)")
    parser.add_argument("--db", default="slrt_bench", help="database name (made by scripts/pg-setup)")
    parser.add_argument("--keep", action="store_true", help="reuse the data set already built in --db")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--requests", type=int, default=200, help="requests per page and concurrency")
    parser.add_argument("--concurrency", default="1,4")
    parser.add_argument("--only", default="", help="comma-separated page names (see the table)")
    parser.add_argument("--json", type=Path, help="write the table as JSON here")
    parser.add_argument("--in-process", action="store_true",
                        help="drive both as WSGI apps in this process (thread pool), not gunicorn over HTTP")
    parser.add_argument("--pattern", type=int, default=100, help="cases made through the operations, then copied")
    parser.add_argument("--households", type=int, default=300, help="register households in the pattern region")
    parser.add_argument("--regions", type=int, help="onboard only the first N regions (a quick trial)")
    parser.add_argument("--workers", type=int, default=2, help="processes onboarding and rebuilding regions")
    parser.add_argument("--step", help=argparse.SUPPRESS)  # onboard:i/n or rebuild:i/n, run by in_parallel
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--wilayah", type=Path,
                        default=Path(os.environ.get("WILAYAH_DIR", "/work/shared/data/wilayah")))
    args = parser.parse_args()

    def echo(line: str) -> None:
        print(line, flush=True)

    if args.step:  # a worker: the URLs come from the parent's environment
        run_step(args, echo)
        return
    dataset.setup_database(args.db, recreate=not args.keep)
    if not args.keep:
        build(args, echo)
    echo("table sizes: " + ", ".join(f"{n} {rows:,} rows {size}" for n, rows, size in
                                     dataset.table_sizes(dataset.make_app(args.wilayah))))
    if args.build_only:
        return
    from national_bench import measure, pages

    app = dataset.make_app(args.wilayah)
    facts = pages.facts(app)
    echo(f"measured region: {facts['slug']} ({facts['cases']:,} cases)")
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    page_list = [p for p in pages.pages(facts) if not wanted or p.name in wanted]
    concurrencies = tuple(int(c) for c in args.concurrency.split(","))
    rows, served = measure.measure(app, page_list, args.requests, concurrencies, echo,
                                   in_process=args.in_process, wilayah=args.wilayah)
    print(measure.table(rows, concurrencies))
    print(served)
    if args.json:
        args.json.write_text(json.dumps({"cases": args.cases, "region": facts["slug"], "region_cases": facts["cases"],
                                         "requests": args.requests, "served": served, "pages": rows}, indent=1))


if __name__ == "__main__":
    main()
