#!/usr/bin/env python
"""Benchmark (not a test): the household page with a large region.

Usage: .venv/bin/python scripts/bench_household_page.py [--households 100000] [--requests 200]

Uses DATABASE_URL when set (PostgreSQL: run migrations as the owner first), else a fresh
SQLite file under /tmp. Fills Kota Bekasi's current register extract with `--households`
households (4 members each, spread over its villages), then one household in the demo
facilitator's village with 6 members, 5 cases and 10 participation/need records, and
requests its page `--requests` times through the Flask test client as that facilitator.
Prints median and p95 (ms) and the SQL statements per request. The target: under 50 ms median.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import event, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SLUG = "bekasi"
MEMBERS = (("head", "L", 1975), ("spouse", "P", 1979), ("child", "P", 2005), ("child", "L", 2012))


def fill_extract(households: int) -> None:
    """`households` households of 4 members in a new current import (Core inserts, in chunks)."""
    from app.accounts.models import User
    from app.citizens.models import RegisterImport
    from app.citizens.vocabulary import ImportStatus
    from app.extensions import db
    from app.reference.models import District, Village
    from app.tenancy.context import tenant_in_context

    region = tenant_in_context()
    villages = db.session.scalars(select(Village.code).join(District, District.code == Village.district_code)
                                  .where(District.regency_code == region.region_code).order_by(Village.code)).all()
    batch = db.session.scalar(select(RegisterImport).where(RegisterImport.status == ImportStatus.CURRENT))
    if batch is None:
        batch = RegisterImport(filename="bench.csv", row_count=0, status=ImportStatus.CURRENT,
                               imported_by=db.session.scalars(select(User.id)).first())
        db.session.add(batch)
        db.session.flush()
    homes, people = [], []
    for i in range(households):
        village = villages[i % len(villages)]
        district = village.rsplit(".", 1)[0].replace(".", "")
        kk = f"{district}88{i:08d}"
        homes.append({"id": uuid.uuid4(), "tenant_id": region.id, "import_id": batch.id, "kk_number": kk,
                      "village_code": village, "address": f"Jl. Bench {i}", "decile": i % 10 + 1,
                      "housing": "decent", "programs": "pkh" if i % 3 == 0 else "", "digest": ""})
        for j, (relation, sex, year) in enumerate(MEMBERS):
            people.append({"id": uuid.uuid4(), "tenant_id": region.id, "import_id": batch.id,
                           "nik": f"{district}{i * len(MEMBERS) + j:010d}",  # unique, not a well-formed NIK
                           "kk_number": kk, "name": f"Warga {i} {j}", "village_code": village,
                           "address": f"Jl. Bench {i}", "relation_to_head": relation, "sex": sex,
                           "birth_date": date(year, 1, 1 + i % 28), "education": "sd", "occupation": "",
                           "disability": "none", "pregnant": False, "programs": "", "digest": ""})
        if len(homes) >= 5000:
            _flush(homes, people)
    _flush(homes, people)
    batch.household_count += households
    batch.row_count += households * len(MEMBERS)
    db.session.commit()


def _flush(homes: list, people: list) -> None:
    from app.citizens.models import RegisterEntry, RegisterHousehold
    from app.extensions import db

    if homes:
        db.session.execute(insert(RegisterHousehold.__table__), homes)
    if people:
        db.session.execute(insert(RegisterEntry.__table__), people)
    homes.clear()
    people.clear()


def target_household() -> str:
    """The household the page is asked for: 6 members, 5 cases, 10 participation/need records."""
    from app.casework.intake import CitizenData
    from app.extensions import db
    from app.programs.catalogue import seed_national_programs
    from app.programs.participation import record_need, record_participation
    from tests.factories import make_case, make_kk, make_nik, member, village_of
    from tests.helpers.households import Member, add_household

    seed_national_programs()
    village = village_of(SLUG)
    kk = make_kk(village.code)
    people = [Member("Kepala Bench", "head", "L", date(1970, 3, 3), nik=make_nik(village.code, date(1970, 3, 3), "L")),
              Member("Istri Bench", "spouse", "P", date(1974, 4, 4), nik=make_nik(village.code, date(1974, 4, 4), "P"),
                     pregnant=True),
              Member("Anak Satu", "child", "L", date(2008, 5, 5), nik=make_nik(village.code, date(2008, 5, 5), "L")),
              Member("Anak Dua", "child", "P", date(2013, 6, 6), nik=make_nik(village.code, date(2013, 6, 6), "P")),
              Member("Anak Tiga", "child", "L", date(2021, 7, 7), nik=make_nik(village.code, date(2021, 7, 7), "L")),
              Member("Nenek Bench", "parent", "P", date(1945, 8, 8), nik=make_nik(village.code, date(1945, 8, 8), "P"),
                     disability="physical", programs=["pbi_jk"])]
    add_household(people, village=village, kk_number=kk, decile=1, programs=["pkh"])
    for i in range(5):
        person = people[i % len(people)]
        make_case(SLUG, service_area=("kesehatan", "pendidikan", "sosial")[i % 3], data=CitizenData(
            nik=person.nik, kk_number=kk, name=person.name, birth_date=person.birth_date, sex=person.sex,
            address="Jl. Bench 1", village_code=village.code))
    facilitator = member(f"facilitator@{SLUG}.demo")[1]
    for code, nik in (("BPNT", ""), ("RS_RTLH", ""), ("PBI_JK", people[0].nik), ("PIP", people[2].nik),
                      ("PIP", people[3].nik)):
        record_participation(kk_number=kk, nik=nik, program=code, source="field_visit", since=date(2024, 1, 1),
                             verified=True, note="", member=facilitator)
    for code, area, nik in (("ATENSI", "", people[5].nik), (None, "kesehatan", ""), (None, "pendidikan", ""),
                            (None, "ekonomi_usaha", ""), (None, "kependudukan", people[4].nik)):
        record_need(kk_number=kk, nik=nik, program=code, service_area=area, reason="Bench.", member=facilitator)
    db.session.commit()
    return kk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--instance", help="reuse the SQLite database a previous run made in this folder")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["INSTANCE_PATH"] = args.instance or tempfile.mkdtemp(prefix="slrt-bench-")
        print(f"database in {os.environ['INSTANCE_PATH']}")
    from flask_migrate import upgrade

    from app import create_app
    from app.cli import seed_all
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from tests.factories import tenant

    app = create_app({"BASE_DOMAIN": "bench.test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        if args.instance:
            from app.programs.models import Participation

            with tenant_context(tenant(SLUG)):
                kk = db.session.scalars(select(Participation.kk_number).where(Participation.note == "")).first()
        else:
            upgrade(revision="heads")
            seed_all("bench-password-1")
            started = time.perf_counter()
            with tenant_context(tenant(SLUG)):
                fill_extract(args.households)
                kk = target_household()
            print(f"generated {args.households:,} households in {time.perf_counter() - started:.1f} s")
        owner_url = app.config.get("MIGRATION_DATABASE_URI")
        if db.engine.dialect.name == "postgresql" and owner_url:
            from sqlalchemy import create_engine, text

            with create_engine(owner_url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text("ANALYZE"))
        dialect = db.engine.dialect.name
        statements = {"n": 0}
        event.listen(db.engine, "before_cursor_execute",
                     lambda *a, **k: statements.__setitem__("n", statements["n"] + 1))

    client = app.test_client()
    base = f"http://{SLUG}.bench.test"
    client.post("/login", base_url=base, data={"email": f"facilitator@{SLUG}.demo", "password": "bench-password-1"})
    path = f"/households/{kk}"
    response = client.get(path, base_url=base)
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    assert page.count('class="member"') == 6, "six members expected"
    times, cpu, counts = [], [], []
    for _ in range(args.requests):
        statements["n"] = 0
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(path, base_url=base)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        counts.append(statements["n"])
        assert response.status_code == 200
    times.sort()
    p95 = times[int(len(times) * .95) - 1]
    print(f"household page ({dialect}): median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
          f"(CPU of this process: median {statistics.median(cpu):.1f} ms), {max(counts)} SQL statements per request, "
          f"{args.requests} requests; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
