"""Benchmark: a generated register extract staged, previewed and confirmed through the real job code.

    .venv/bin/python scripts/bench_register_import.py [--households 500000] [--region payakumbuh]
                                                       [--keep] [--tracemalloc]

The file (full layout: household and member columns, Indonesian values, about four members
per household) is generated in a child process, so its memory is not counted. Then, in this
process: the upload check, the import job (`run_register_import`: staging in chunks, the
preview's SQL comparison with the current import), confirming (`confirm_import`) and the purge
job. Reports wall time, rows/s, the progress values a reader saw (polled every second from
another connection) and peak RSS (`getrusage`; optionally Python's own peak by tracemalloc,
which slows the run down).

Database: with DATABASE_URL (PostgreSQL, migrated and seeded: `make db`) that one; the region's
register is put back afterwards unless --keep (its rows of older snapshots are purged, as a
real confirmation would). Without it, a fresh SQLite file in a temporary folder, migrated and
seeded first (in a child process). Not a test.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MB = 1024 * 1024


def rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _prepare_sqlite(url: str) -> None:
    """Child process: migrate a fresh SQLite database and seed the demo regions."""
    from flask_migrate import upgrade

    from app import create_app
    from app.cli import seed_all

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MIGRATION_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        seed_all(os.environ.get("DEMO_PASSWORD", "bench-password"))


def _generate(path: str, villages: list[str], households: int) -> None:
    """Child process: write the extract file."""
    import csv

    from app.citizens.demo_extract import demo_rows
    from app.citizens.extract_format import COLUMNS

    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(demo_rows(villages, households, seed=2026, first_share=0.01))


def _in_child(target, *args) -> None:
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    process.join()
    if process.exitcode:
        sys.exit(f"{target.__name__} failed (exit code {process.exitcode})")


class ProgressWatcher(threading.Thread):
    """Reads the job's progress every second from its own connection, as the page's poll would."""

    def __init__(self, engine, tenant_id: uuid.UUID, job_id: uuid.UUID):
        super().__init__(daemon=True)
        self.engine, self.tenant_id, self.job_id = engine, tenant_id, job_id
        self.seen: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        from sqlalchemy import text

        sqlite = self.engine.dialect.name == "sqlite"
        while not self.stop.wait(1.0):
            with self.engine.begin() as conn:
                if not sqlite:  # row-level security: the reader names its region, as every request does
                    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(self.tenant_id)})
                value = conn.execute(text("SELECT progress FROM register_import_jobs WHERE id = :id"),
                                     {"id": self.job_id.hex if sqlite else str(self.job_id)}).scalar()
            if value is not None and (not self.seen or self.seen[-1] != value):
                self.seen.append(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--region", default="payakumbuh")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's import as the current register")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python's peak (slower)")
    parser.add_argument("--sqlite", type=Path, help="an SQLite file to use (prepared first if it does not exist)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-register-"))
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = args.sqlite or workdir / "bench.sqlite3"
        url = f"sqlite:///{path.resolve()}"
        if not path.exists():
            started = time.perf_counter()
            _in_child(_prepare_sqlite, url)
            print(f"fresh SQLite database migrated and seeded in {time.perf_counter() - started:.1f} s")
    run(url, workdir, args)


def run(url: str, workdir: Path, args) -> None:
    from sqlalchemy import select

    from app import create_app
    from app.accounts.models import Membership
    from app.citizens.dtks_import import check_upload
    from app.citizens.extract_history import confirm_import, current_import
    from app.citizens.import_jobs import RegisterImportJob, upload_path
    from app.citizens.models import RegisterImport
    from app.extensions import db
    from app.jobs.register_import import run_register_import, run_register_purge
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    overrides = {"IMPORTS_DIR": str(workdir / "imports")}
    if url.startswith("sqlite"):
        overrides |= {"SQLALCHEMY_DATABASE_URI": url}
    app = create_app(overrides)
    with app.app_context():
        region = db.session.scalar(select(Tenant).where(Tenant.slug == args.region))
        if region is None:
            sys.exit(f"region {args.region!r} not found: migrate and seed first (make db)")
        with tenant_context(region):
            from app.citizens.demo_extract import region_villages

            villages = region_villages()
            user_id = db.session.scalars(select(Membership.user_id)).first()
            before = current_import()
            before_id = before.id if before else None
        csv_path = workdir / "extract.csv"
        started = time.perf_counter()
        _in_child(_generate, str(csv_path), villages, args.households)
        size = csv_path.stat().st_size
        print(f"{db.engine.dialect.name}: {args.households:,} households for {region.name}, "
              f"file {size / MB:.0f} MB, generated in {time.perf_counter() - started:.1f} s")
        baseline = rss_mb()
        if args.tracemalloc:
            tracemalloc.start()

        with tenant_context(region):
            started = time.perf_counter()
            with csv_path.open("rb") as stream:
                check_upload(stream, region.region_code)
            print(f"upload check (first rows)     {time.perf_counter() - started:8.2f} s")
            job = RegisterImportJob(filename="bench.csv", requested_by=user_id)
            db.session.add(job)
            db.session.commit()
            job_id, tenant_id = job.id, region.id
            target = upload_path(region.slug, job_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(csv_path, target)  # where the upload request would have saved it

        db.session.rollback()  # end this session's read snapshot: the job runs in a session of its own
        watcher = ProgressWatcher(db.engine, tenant_id, job_id)
        watcher.start()
        started = time.perf_counter()
        run_register_import(str(job_id), str(tenant_id))
        staged_s = time.perf_counter() - started
        watcher.stop.set()
        watcher.join()
        db.session.rollback()
        with tenant_context(region):
            job = db.session.get(RegisterImportJob, (tenant_id, job_id))
            if job.status != "done":
                sys.exit(f"the job ended {job.status}: {job.error[:2000]}")
            batch = db.session.get(RegisterImport, (tenant_id, job.import_id))
            members, households = batch.row_count, batch.household_count
            print(f"stage + preview (job)         {staged_s:8.2f} s  {members / staged_s:10,.0f} members/s  "
                  f"({households:,} households, {members:,} members)")
            print(f"progress seen by a reader     {watcher.seen}")
            print(f"preview: households {batch.summary['households']['added']:,} added, "
                  f"{batch.summary['households']['gone']:,} gone; members {batch.summary['members']['added']:,} added")
            started = time.perf_counter()
            from app.accounts.models import User

            confirm_import(batch, db.session.get(User, user_id))
            db.session.commit()  # the purge job is dispatched (inline without REDIS_URL)
            print(f"confirm + purge               {time.perf_counter() - started:8.2f} s")
        if args.tracemalloc:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"peak Python memory (tracemalloc)        {peak / MB:8.1f} MB")
        print(f"peak RSS: {rss_mb():.0f} MB (before the import: {baseline:.0f} MB)")
        if not args.keep:
            _restore(region, before_id, job_id)
            run_register_purge(str(tenant_id))
            print("the region's register was put back")
    target.unlink(missing_ok=True)


def _restore(region, before_id, job_id) -> None:
    """Put the import that was current back and discard the benchmark's."""
    from sqlalchemy import select

    from app.citizens.import_jobs import RegisterImportJob
    from app.citizens.models import RegisterImport
    from app.extensions import db
    from app.tenancy.context import tenant_context

    with tenant_context(region):
        job = db.session.scalar(select(RegisterImportJob).where(RegisterImportJob.id == job_id))
        bench = db.session.scalar(select(RegisterImport).where(RegisterImport.id == job.import_id))
        bench.status = "discarded"
        if before_id is not None:
            db.session.scalar(select(RegisterImport).where(RegisterImport.id == before_id)).status = "current"
        db.session.commit()


if __name__ == "__main__":
    main()
