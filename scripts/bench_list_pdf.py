"""Benchmark (not a test): a report's appendix list as PDF, by number of rows.

    .venv/bin/python scripts/bench_list_pdf.py [--rows 5000,20000,50000] [--repeat 3]

Lays out a list of referral rows (the report's Lampiran 2: eight columns, the institution and the
outcome long enough to wrap, tickets that break after a dash) the way `region_report_pdf` does
(`list_story` in a `LazyStory`, `build_official_pdf`), with rows made here rather than read from a
database, so the figure is the PDF's own cost. Each size runs in a fresh process: the best of
`--repeat` build times, the file size, and the process's peak RSS (what a worker needs) next to its
RSS before the first build (the app and reportlab loaded): the difference is what the PDF costs.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["Tanggal", "Tiket", "Bidang", "Kecamatan", "Lembaga", "Tingkat", "Status", "Hasil"]
WIDTHS = [16, 30, 20, 21, 34, 18, 20, 24]  # as region_report_pdf's referral list
PARTNERS = ["Dinas Kesehatan", "RSUD dr. Chasbullah Abdulmadjid", "Puskesmas Kecamatan Jatiasih",
            "Dinas Kependudukan dan Pencatatan Sipil", "Baznas Kota Bekasi"]
OUTCOMES = ["—", "Dilayani / diterima program", "Tidak dapat dilayani", "Dialihkan ke program lain"]


def chunks(count: int, size: int = 500, seed: int = 14):
    rng = random.Random(seed)
    start = date(2026, 1, 1)
    for first in range(0, count, size):
        yield [[start + timedelta(days=n % 365), f"BEKASI-2026-{n:06d}",
                rng.choice(["Kesehatan", "Pendidikan", "Kependudukan"]),
                rng.choice(["Bekasi Utara", "Jatiasih", "Pondok Melati", "Rawalumbu"]), rng.choice(PARTNERS),
                rng.choice(["Kabupaten/Kota", "Provinsi", "Pusat"]), rng.choice(["Dikirim", "Dijawab", "Selesai"]),
                rng.choice(OUTCOMES)] for n in range(first, min(count, first + size))]


def one(rows: int, repeat: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.reports import pdf
    from app.reports.activity import LazyStory, list_story

    app = create_app()
    best, data = float("inf"), b""
    with app.test_request_context():
        pdf.build_official_pdf(pdf.RunningHeader("", ""), "", LazyStory(list_story("", COLUMNS, chunks(10), WIDTHS)))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the app and reportlab loaded
        for _ in range(repeat):
            started = time.perf_counter()
            story = LazyStory(list_story("Lampiran 2. Daftar rujukan", COLUMNS, chunks(rows), WIDTHS))
            data = pdf.build_official_pdf(pdf.RunningHeader("Laporan", "Kota Bekasi", "SLRT"), "Laporan", story)
            best = min(best, time.perf_counter() - started)
    return {"rows": rows, "seconds": round(best, 3), "ms_per_row": round(best / rows * 1000, 4),
            "mb": round(len(data) / 2**20, 2), "pages": data.count(b"/Type /Page\n"),
            "rss_before_mb": round(before, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="5000,20000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default="", help="write the results here as well")
    parser.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)  # a size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.repeat)))
        return
    results = []
    print(f"{'rows':>7} {'seconds':>8} {'ms/row':>7} {'MB':>6} {'pages':>6} {'RSS before MB':>14} {'peak RSS MB':>12}")
    for rows in (int(r) for r in args.rows.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(rows), "--repeat", str(args.repeat)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"{result['rows']:>7} {result['seconds']:>8.2f} {result['ms_per_row']:>7.3f} {result['mb']:>6.2f} "
              f"{result['pages']:>6} {result['rss_before_mb']:>14.1f} {result['peak_rss_mb']:>12.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
