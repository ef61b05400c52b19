"""Households in a region's current register extract, written directly for tests.

`add_household(...)` runs inside a region (use it within `in_region` or `tenant_context`):
it makes the region's current import if there is none and adds one household with its
members to it. KK numbers and NIKs must be unique in the test session (one shared
database): build them from `unique_kk()` / `unique_nik()`.
"""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.accounts.models import User
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context

_serial = itertools.count(1)


@dataclass
class Member:
    name: str
    relation_to_head: str = "head"
    sex: str = "P"
    birth_date: date | None = date(1980, 1, 1)
    education: str = "sd"
    occupation: str = ""
    disability: str = "none"
    pregnant: bool = False
    programs: list[str] = field(default_factory=list)
    nik: str = ""  # made from the village and a serial when empty


def region_village(index: int = 0) -> Village:
    """The region's `index`-th village by code."""
    region = tenant_in_context().region_code
    return db.session.scalars(select(Village).join(District, District.code == Village.district_code)
                              .where(District.regency_code == region).order_by(Village.code)
                              .offset(index).limit(1)).one()


def unique_nik(village_code: str, birth: date = date(1980, 1, 1), female: bool = True) -> str:
    """A well-formed NIK of `village_code`'s district, unique in this test session."""
    district = village_code.rsplit(".", 1)[0].replace(".", "")
    day = birth.day + (40 if female else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{next(_serial) % 10000:04d}"


def unique_kk(village_code: str) -> str:
    district = village_code.rsplit(".", 1)[0].replace(".", "")
    return f"{district}99{next(_serial):08d}"


def current_import() -> RegisterImport:
    """The region's current import, made (empty) if the region has none."""
    found = db.session.scalar(select(RegisterImport).where(RegisterImport.status == ImportStatus.CURRENT)
                              .order_by(RegisterImport.imported_at.desc()).limit(1))  # as current_import_id()
    if found is None:
        someone = db.session.scalars(select(User.id)).first()
        found = RegisterImport(filename="uji.csv", row_count=0, imported_by=someone, status=ImportStatus.CURRENT)
        db.session.add(found)
        db.session.flush()
    return found


def add_household(members: list[Member], *, village: Village | None = None, decile: int | None = 2,
                  housing: str = "inadequate", programs: list[str] | None = None,
                  kk_number: str = "") -> RegisterHousehold:
    """One household with `members` in the current extract; returns it (members get their NIKs set)."""
    village = village or region_village()
    batch = current_import()
    household = RegisterHousehold(import_id=batch.id, kk_number=kk_number or unique_kk(village.code),
                                  village_code=village.code, address=f"Jl. Uji {uuid.uuid4().hex[:6]}",
                                  decile=decile, housing=housing, programs=",".join(programs or []))
    db.session.add(household)
    for member in members:
        member.nik = member.nik or unique_nik(village.code, member.birth_date or date(1980, 1, 1), member.sex == "P")
        db.session.add(RegisterEntry(
            import_id=batch.id, nik=member.nik, kk_number=household.kk_number, name=member.name,
            village_code=village.code, address=household.address, relation_to_head=member.relation_to_head,
            sex=member.sex, birth_date=member.birth_date, education=member.education,
            occupation=member.occupation, disability=member.disability, pregnant=member.pregnant,
            programs=",".join(member.programs)))
    batch.row_count += len(members)
    batch.household_count += 1
    db.session.flush()
    return household
