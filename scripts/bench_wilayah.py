"""Benchmark: load the vendored area list (data/wilayah: 38 provinces … 83,763 villages).

    .venv/bin/python scripts/bench_wilayah.py [--repeat 3] [--dir data/wilayah]

Each run loads the full list into a fresh SQLite file holding only the four reference tables
(as tests/unit/test_wilayah_loader.py does), then loads it a second time over the same rows
(the no-change reload `flask wilayah reload` does). Prints the seconds of both passes.
Not a test: timings belong here, not in assertions.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_babel  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.extensions import db  # noqa: E402
from app.reference.loader import load_wilayah  # noqa: E402
from app.reference.models import District, Province, Regency, Village  # noqa: E402

MODELS = (Province, Regency, District, Village)


def fresh_app(db_path: Path) -> Flask:
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}")
    db.init_app(app)
    flask_babel.Babel(app)
    with app.app_context():
        db.metadata.create_all(db.engine, tables=[m.__table__ for m in MODELS])
    return app


def timed_load(directory: Path) -> tuple[float, int]:
    """(seconds, villages in the table afterwards)."""
    started = time.perf_counter()
    load_wilayah(directory)
    db.session.commit()
    elapsed = time.perf_counter() - started
    return elapsed, db.session.scalar(select(func.count()).select_from(Village))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=ROOT / "data" / "wilayah")
    args = parser.parse_args()
    first, again = [], []
    for run in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory(prefix="slrt-bench-wilayah-") as tmp:
            app = fresh_app(Path(tmp) / "wilayah.sqlite3")
            with app.app_context():
                seconds, villages = timed_load(args.dir)
                first.append(seconds)
                again.append(timed_load(args.dir)[0])
                db.engine.dispose()
        print(f"run {run}: full load {first[-1]:.2f} s ({villages} villages), "
              f"reload without changes {again[-1]:.2f} s")
    print(f"median of {args.repeat}: full load {statistics.median(first):.2f} s, "
          f"reload {statistics.median(again):.2f} s")


if __name__ == "__main__":
    main()
