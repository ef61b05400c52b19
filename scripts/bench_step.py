"""Benchmark: writing one case event through the operations (`take_step` + commit). Not a test.

    .venv/bin/python scripts/bench_step.py [--region bekasi] [--cases 60] [--show]

Runs on the configured database (DATABASE_URL as the app role, else the SQLite file), which must
be migrated and seeded (`make db`); use a scratch database, the cases stay. Opens `--cases`
cases through `open_case`, then walks them with `take_step`, each step followed by its commit
(the case and the member already loaded, as a request has them), and reports per step: p50/p95
milliseconds, statements sent (the tenant setting left out) and the time spent waiting on them;
with `--show`, the statements of the median step with their own time; with `--profile FILE`, a
cProfile of the steps after the first twenty.
"""
from __future__ import annotations

import argparse
import cProfile
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select

from app import create_app
from app.casework.steps import take_step
from app.dashboard.sample import CaseworkSampler, Clock, frozen_clock
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant


class Recorder:
    """The statements a block sends, each with the time the database took to answer."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, float]] = []
        self._started = 0.0

    def before(self, _conn, _cursor, statement, *_args) -> None:
        self._started = time.perf_counter()

    def after(self, _conn, _cursor, statement, *_args) -> None:
        if "set_config" not in statement:
            self.statements.append((statement, (time.perf_counter() - self._started) * 1000))


def _label(statement: str) -> str:
    words = " ".join(statement.split()).split(" ")
    verb = words[0].upper()
    if verb in ("INSERT", "DELETE"):
        return f"{verb} {words[2]}"
    if verb == "UPDATE":
        return f"UPDATE {words[1]}"
    table = next((words[i + 1] for i, w in enumerate(words) if w.upper() == "FROM"), "?")
    return f"{verb} … FROM {table}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region", default="bekasi")
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="list the median step's statements")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the timed steps to FILE")
    args = parser.parse_args()

    app = create_app()
    with app.app_context():
        engine = db.engine
        region = db.session.scalar(select(Tenant).where(Tenant.slug == args.region))
        if region is None:
            raise SystemExit(f"no region {args.region!r}: migrate and seed first (make db)")
        times: list[float] = []
        counts: list[int] = []
        samples: list[list[tuple[str, float]]] = []
        profiler = cProfile.Profile() if args.profile else None
        with tenant_context(region):
            sampler = CaseworkSampler(random.Random(args.seed))
            clock = Clock(datetime.now(UTC) - timedelta(days=30))
            cases = []
            for _ in range(args.cases):
                case = sampler.open(clock)
                if case is not None:
                    cases.append(case)
                db.session.commit()
            for case in cases:
                for _ in range(12):
                    if case.is_closed:
                        break
                    clock.advance(2)
                    chosen = sampler.choose(case)  # who may take what: loaded before the clock starts
                    if chosen is None:
                        break
                    transition, member, data = chosen
                    recorder = Recorder()
                    event.listen(engine, "before_cursor_execute", recorder.before)
                    event.listen(engine, "after_cursor_execute", recorder.after)
                    profiling = profiler is not None and len(times) >= 20  # past the first compilations
                    if profiling:
                        profiler.enable()
                    started = time.perf_counter()
                    try:
                        with frozen_clock(clock):
                            take_step(case, transition.key, data, user=member.user, membership=member,
                                      expected_version=case.version)
                        db.session.commit()
                    finally:
                        elapsed = (time.perf_counter() - started) * 1000
                        if profiling:
                            profiler.disable()
                        event.remove(engine, "before_cursor_execute", recorder.before)
                        event.remove(engine, "after_cursor_execute", recorder.after)
                    times.append(elapsed)
                    counts.append(len(recorder.statements))
                    samples.append(recorder.statements)
        if not times:
            raise SystemExit("no step was taken")
        warm = times[len(times) // 10:] or times  # the first steps compile statements
        ordered = sorted(warm)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{engine.dialect.name}: {len(times)} steps (take_step + commit) on {len(cases)} cases")
        print(f"  per step: p50 {statistics.median(warm):.2f} ms, p95 {p95:.2f} ms, "
              f"statements mean {statistics.mean(counts):.1f} (min {min(counts)}, max {max(counts)})")
        sql_ms = [sum(t for _s, t in sample) for sample in samples[len(samples) // 10:]]
        print(f"  of which waiting on the database: p50 {statistics.median(sql_ms):.2f} ms")
        if profiler:
            profiler.dump_stats(args.profile)
        if args.show:
            median = sorted(samples[len(samples) // 10:], key=lambda s: sum(t for _s, t in s))[len(sql_ms) // 2]
            by_label: Counter = Counter()
            for statement, took in median:
                by_label[_label(statement)] += 1
                print(f"    {took:6.2f} ms  {_label(statement)}")
            print("  ", dict(by_label))


if __name__ == "__main__":
    main()
