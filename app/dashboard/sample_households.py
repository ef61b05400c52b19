"""Sample households with the programs they receive, for demos and benchmarks (not for production).

`sample_households()` adds households and their members to the region's current register
extract, with the extract's program flags (household and member level, correlated as in
real extracts: most PKH households also get Sembako and PBI-JK), and approved participation
records for programs the extract does not carry (some pending or ended, which do not count).
Rows are written in bulk, as a register import writes them; the program rollups are then
rebuilt, as after a confirmed import.
"""
from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from app.accounts.models import Membership
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.vocabulary import HousingCondition, ImportStatus
from app.dashboard.program_rollups import rebuild_program_rollups
from app.extensions import db
from app.programs.models import Participation, Program
from app.programs.vocabulary import ParticipationSource, ProgramLevel
from app.reference.models import District, Village
from app.reviews.chains import chain_for
from app.reviews.vocabulary import ReviewStatus
from app.tenancy.context import tenant_in_context
from app.tenancy.models import utcnow

#: Chance a receiving household has each register flag (given BPNT for PKH: they go together).
FLAG_CHANCE = {"bpnt": 0.7, "pbi_jk": 0.8, "pip": 0.25, "rs_rtlh": 0.04, "atensi": 0.03, "blt_dd": 0.12}
PKH_WITH_BPNT, PKH_ALONE = 0.5, 0.1
RECORDED_SHARE = 0.2  # receiving households with a participation recorded in the field
#: Programs a region's catalogue lacks at some level, made for the demo so every level shows.
SAMPLE_PROGRAMS = {
    ProgramLevel.PROVINCIAL: ("CONTOH_PROV", "Jaminan Sosial Provinsi (contoh)"),
    ProgramLevel.REGIONAL: ("CONTOH_DAERAH", "Bantuan Sosial Daerah (contoh)"),
    ProgramLevel.VILLAGE: ("CONTOH_DESA", "Bantuan Kelurahan/Desa (contoh)"),
    ProgramLevel.NON_GOVERNMENT: ("CONTOH_CSR", "Beasiswa CSR Mitra (contoh)"),
}


def sample_programs(fill_levels: bool = True) -> list[Program]:
    """The region's active programs, with a sample one added at each level that has none (`fill_levels`)."""
    levels = set(db.session.scalars(select(Program.level).where(Program.active.is_(True))))
    for level, (code, name) in SAMPLE_PROGRAMS.items() if fill_levels else ():
        if level not in levels and db.session.scalar(select(Program.id).where(Program.code == code)) is None:
            db.session.add(Program(code=code, name=name, level=level, sort_order=900,
                                   description="Program contoh untuk demo dasbor."))
    db.session.flush()
    return list(db.session.scalars(select(Program).where(Program.active.is_(True)).order_by(Program.sort_order)))


def _current_import(user_id) -> RegisterImport:
    batch = db.session.scalar(select(RegisterImport).where(RegisterImport.status == ImportStatus.CURRENT)
                              .order_by(RegisterImport.imported_at.desc()).limit(1))
    if batch is None:
        batch = RegisterImport(filename="sampel-rumah-tangga.csv", row_count=0, imported_by=user_id)
        db.session.add(batch)
        db.session.flush()
    return batch


def _flags(rng: random.Random, flags: set[str]) -> set[str]:
    got = {flag for flag, chance in FLAG_CHANCE.items() if flag in flags and rng.random() < chance}
    if "pkh" in flags and rng.random() < (PKH_WITH_BPNT if "bpnt" in got else PKH_ALONE):
        got.add("pkh")
    return got or ({"pbi_jk"} & flags) or set(list(flags)[:1])


def _nik(district: str, n: int, female: bool) -> str:
    day, month, year = 1 + n % 28, 1 + (n // 28) % 12, (n // 336) % 80
    return f"{district}{day + (40 if female else 0):02d}{month:02d}{(40 + year) % 100:02d}{9000 + (n // 26880) % 1000}"


def sample_households(rng: random.Random, count: int, receive_share: float = 0.6, district_limit: int | None = None,
                      chunk: int = 5000, fill_levels: bool = True, recorded_share: float = RECORDED_SHARE) -> Counter:
    """Add `count` households to the region's current extract, `receive_share` of them receiving programs.

    With `fill_levels`, a sample program is added to the catalogue at each level it has none of
    (so the demo board shows every level). `recorded_share` of the receiving households also
    have a participation record (some pending on the region's chain, some ended). Returns what
    was written (households, members, participations, known). Call inside the region's tenant
    context; the caller commits.
    """
    region = tenant_in_context()
    districts = db.session.scalars(select(District.code).where(District.regency_code == region.region_code)
                                   .order_by(District.code)).all()[:district_limit]
    villages = db.session.scalars(select(Village.code).where(Village.district_code.in_(districts))
                                  .order_by(Village.code)).all()
    user_id = db.session.scalars(select(Membership.user_id).where(Membership.active.is_(True))).first()
    programs = sample_programs(fill_levels)
    by_flag = {p.register_flag: p for p in programs if p.register_flag}
    unflagged = [p for p in programs if not p.register_flag] or programs
    batch = _current_import(user_id)
    household_serial = (db.session.scalar(select(func.count()).select_from(RegisterHousehold)) or 0) + 1
    member_serial = (db.session.scalar(select(func.count()).select_from(RegisterEntry)) or 0) + 1
    written: Counter = Counter()
    households: list[dict] = []
    members: list[dict] = []
    participations: list[dict] = []
    now = utcnow()
    pending_chain = chain_for("participation")

    def flush_rows() -> None:
        for model, rows in ((RegisterHousehold, households), (RegisterEntry, members),
                            (Participation, participations)):
            if rows:
                db.session.connection().execute(insert(model), rows)
                rows.clear()

    for n in range(household_serial, household_serial + count):
        village = rng.choice(villages)
        district = village.rsplit(".", 1)[0]
        prefix = district.replace(".", "")
        kk = f"{prefix}8{n:09d}"
        receives = rng.random() < receive_share
        flags = _flags(rng, set(by_flag)) if receives else set()
        size = rng.choices((1, 2, 3, 4, 5, 6), (10, 15, 25, 25, 15, 10))[0]
        base = {"tenant_id": region.id, "import_id": batch.id, "kk_number": kk, "village_code": village,
                "address": f"Jl. Contoh No. {n % 400}, RT {n % 12:02d}"}
        households.append({**base, "id": uuid.uuid4(), "decile": rng.randint(1, 6 if receives else 10),
                           "housing": rng.choice(list(HousingCondition)).value,
                           "programs": ",".join(sorted(f for f in flags if not by_flag[f].member_level)),
                           "digest": ""})
        member_flags = sorted(f for f in flags if by_flag[f].member_level)
        niks = []
        for i in range(size):
            female = (i % 2 == 1) if size > 1 else rng.random() < 0.4
            nik = _nik(prefix, member_serial, female)
            member_serial += 1
            niks.append(nik)
            mine = [f for f in member_flags if f == "pbi_jk" or (i == min(size - 1, 2) and f != "pbi_jk")]
            members.append({**base, "id": uuid.uuid4(), "nik": nik, "name": f"Anggota Contoh {n}-{i + 1}",
                            "relation_to_head": "head" if i == 0 else ("spouse" if i == 1 else "child"),
                            "sex": "P" if female else "L",
                            "birth_date": date(1960 + n % 25, 1 + n % 12, 1 + n % 28) if i < 2
                            else date(2005 + (n + i) % 18, 1 + i, 1 + n % 28),
                            "education": "sd", "occupation": "", "disability": "none", "pregnant": False,
                            "programs": ",".join(mine), "digest": ""})
        written["households"] += 1
        written["members"] += size
        if receives and rng.random() < recorded_share:
            program = rng.choice(unflagged)
            status = rng.choices((ReviewStatus.APPROVED, ReviewStatus.PENDING), (9, 1))[0]
            ended = rng.random() < 0.05
            participations.append({
                "tenant_id": region.id, "id": uuid.uuid4(), "program_id": program.id,
                "source": rng.choice(list(ParticipationSource)).value, "since": date(2020 + n % 5, 1 + n % 12, 1),
                "verified": rng.random() < 0.5, "case_id": None,
                "ended_at": (now - timedelta(days=30)).date() if ended else None, "kk_number": kk,
                "nik": niks[0] if program.member_level else "", "district_code": district, "village_code": village,
                "chain": pending_chain if status == ReviewStatus.PENDING else [], "stage": 0, "note": "",
                "created_at": now, "created_by": user_id,
                "decided_at": now if status == ReviewStatus.APPROVED else None, "status": status.value})
            written["participations"] += 1
        if len(households) >= chunk:
            flush_rows()
    flush_rows()
    batch.row_count += written["members"]
    batch.household_count += written["households"]
    db.session.flush()
    written["known"] = rebuild_program_rollups(region.id)
    return written
