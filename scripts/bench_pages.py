#!/usr/bin/env python
"""Benchmark (not a test): response times of the everyday pages, with N open cases per region.

Usage: .venv/bin/python scripts/bench_pages.py [--cases 2000] [--rounds 30]
Uses DATABASE_URL when set (PostgreSQL: run migrations as the owner first), else a fresh
SQLite file under /tmp. Prints median and p95 per page and the number of SQL statements.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000, help="open cases per region (bekasi)")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="slrt-bench-")
    from flask_migrate import upgrade

    from app import create_app
    from app.cli import seed_all
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from tests.factories import make_case, tenant

    app = create_app({"BASE_DOMAIN": "bench.test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        seed_all("bench-password-1")
        started = time.perf_counter()
        with tenant_context(tenant("bekasi")):
            for i in range(args.cases):
                make_case("bekasi", service_area=("kesehatan", "pendidikan", "sosial")[i % 3])
                if i % 200 == 199:
                    db.session.commit()
            db.session.commit()
            case_id = make_case("bekasi").id
            db.session.commit()
        print(f"generated {args.cases} cases in {time.perf_counter() - started:.1f} s")
        owner_url = app.config.get("MIGRATION_DATABASE_URI")
        if db.engine.dialect.name == "postgresql" and owner_url:
            # A live database has statistics (autovacuum); a bulk insert a second ago doesn't yet.
            from sqlalchemy import create_engine, text

            with create_engine(owner_url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text("ANALYZE"))
        statements = {"n": 0}
        event.listen(db.engine, "before_cursor_execute",
                     lambda *a, **k: statements.__setitem__("n", statements["n"] + 1))

    client = app.test_client()
    base = "http://bekasi.bench.test"
    client.post("/login", base_url=base, data={"email": "intake_officer@bekasi.demo", "password": "bench-password-1"})
    pages = {"home": "/home", "org chart": "/org/", "inbox (mine)": "/cases/", "inbox search": "/cases/?q=Warga",
             "inbox all, page 5": "/cases/?view=all&page=5", "case page": f"/cases/{case_id}"}
    print(f"{'page':<20} {'median ms':>10} {'p95 ms':>8} {'SQL/request':>12}")
    for name, path in pages.items():
        times = []
        for _ in range(args.rounds):
            statements["n"] = 0
            t0 = time.perf_counter()
            response = client.get(path, base_url=base)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        p95 = times[int(len(times) * .95) - 1]
        print(f"{name:<20} {statistics.median(times):>10.1f} {p95:>8.1f} {statements['n']:>12}")


if __name__ == "__main__":
    main()
