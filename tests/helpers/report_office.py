"""A small hand-made data set for the report as offices file it, in a fresh region of its own.

April 2025 (WIB), in a region made from the Bekasi template:

* Ani (P), born 10-05-1990, in the register with a physical disability: two complaints
  (kesehatan in district 1, then sosial in district 1) — one person served, adult;
* Budi (L), born 01-01-1950, not in the register: one complaint (pendidikan, district 2) — elderly;
* Citra (P), born 11-04-2015 — she turns 10 the day after her complaint (kesehatan, district 2),
  in the register with no disability — a child of 9;
* one complaint in May (not in the period), by Budi;
* recorded in April: two participations in PKH (one approved, one pending) and one in BPNT
  (rejected); two needs (one naming PKH, pending; one in the area "kesehatan" only, approved);
  three data updates (new household pending, member changed approved with the ministry's
  acceptance, member deceased rejected).
"""
from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.casework.intake import CitizenData
from app.citizens.models import RegisterEntry
from app.dashboard.periods import Period
from app.dashboard.sample import CaseworkSampler, Clock, onboard_copy
from app.extensions import db
from app.programs.models import Need, Participation, Program
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.verval.models import DataUpdate
from tests.conftest import DEMO_PASSWORD
from tests.helpers.platform import free_region_code

APRIL = Period.month(2025, 4)
_REGION: dict = {}
CHAIN = [{"action": "decide", "roles": ["manager"], "legal_basis": ""}]


def office_region(app) -> dict:
    """The region's slug and what the data set holds (made once per test session)."""
    if _REGION:
        return _REGION
    with app.app_context():
        tenant = onboard_copy("bekasi", "uji-kantor", free_region_code(), "Kota Uji Kantor", DEMO_PASSWORD)
        db.session.commit()
        with tenant_context(tenant):
            _REGION.update(_build(tenant))
            db.session.commit()
        _REGION["slug"], _REGION["tenant_id"] = tenant.slug, tenant.id
    return _REGION


def _citizen(s: CaseworkSampler, village: str, serial: int, name: str, sex: str, birth: date,
             disability: str | None) -> CitizenData:
    """A citizen with a NIK that matches sex and birth date; in the register with `disability` unless None."""
    prefix = village.replace(".", "")[:6]
    day = birth.day + (40 if sex == "P" else 0)
    nik = f"{prefix}{day:02d}{birth.month:02d}{birth.year % 100:02d}{9000 + serial:04d}"
    data = CitizenData(nik=nik, kk_number=f"{prefix}{uuid.uuid4().int % 10**10:010d}", name=name, birth_date=birth,
                       sex=sex, address="Jl. Uji", village_code=village)
    if disability is not None:
        s._register(data)
        db.session.flush()
        entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.nik == nik))
        entry.disability = disability
    return data


def _build(tenant: Tenant) -> dict:
    s = CaseworkSampler(random.Random(7))
    d1, d2 = db.session.scalars(select(District.code).where(District.regency_code == tenant.region_code)
                                .order_by(District.code).limit(2)).all()
    v1, v2 = (db.session.scalar(select(Village.code).where(Village.district_code == d).order_by(Village.code))
              for d in (d1, d2))
    ani = _citizen(s, v1, 1, "Ani Uji", "P", date(1990, 5, 10), "physical")
    budi = _citizen(s, v2, 2, "Budi Uji", "L", date(1950, 1, 1), None)
    citra = _citizen(s, v2, 3, "Citra Uji", "P", date(2015, 4, 11), "none")
    clock = Clock(datetime(2025, 4, 10, 2, 0, tzinfo=UTC))
    cases = [s.open_for(clock, ani, "walk_in", "kesehatan")]
    clock.advance(24)
    cases += [s.open_for(clock, ani, "walk_in", "sosial"), s.open_for(clock, budi, "walk_in", "pendidikan")]
    cases.append(s.open_for(Clock(datetime(2025, 4, 9, 20, 0, tzinfo=UTC)), citra, "walk_in", "kesehatan"))
    s.open_for(Clock(datetime(2025, 5, 2, 2, 0, tzinfo=UTC)), budi, "walk_in", "sosial")
    _records(tenant, v1, d1)
    return {"d1": d1, "d2": d2, "cases": [c.ticket for c in cases],
            "names": dict(db.session.execute(select(District.code, District.name)
                                             .where(District.code.in_([d1, d2]))).all())}


def _records(tenant: Tenant, village: str, district: str) -> None:
    from app.accounts.models import User

    creator = db.session.scalar(select(User.id).where(User.email == f"manager@{tenant.slug}.demo"))
    programs = {code: pid for code, pid in db.session.execute(select(Program.code, Program.id))}
    at = datetime(2025, 4, 15, 3, 0, tzinfo=UTC)
    place = dict(kk_number="3275011501000001", district_code=district, village_code=village, chain=CHAIN,
                 created_by=creator, created_at=at)
    for code, status in (("PKH", "approved"), ("PKH", "pending"), ("BPNT", "rejected")):
        db.session.add(Participation(program_id=programs[code], source="field_visit", status=status,
                                     stage=0 if status == "pending" else 1, **place))
    db.session.add(Need(program_id=programs["PKH"], reason="Anak sekolah.", status="pending", stage=0, **place))
    db.session.add(Need(service_area="kesehatan", reason="Berobat.", status="approved", stage=1, **place))
    for kind, status, result in (("new_household", "pending", ""), ("member_changed", "approved", "accepted"),
                                 ("member_deceased", "rejected", "")):
        db.session.add(DataUpdate(kind=kind, data={}, status=status, result=result,
                                  stage=0 if status == "pending" else 1, **place))
    db.session.flush()
