"""Factories for casework tests: valid NIKs, citizens, cases — made through the real operations."""
from __future__ import annotations

import itertools
import uuid
from datetime import date

from sqlalchemy import select

from app.accounts.models import Membership, User
from app.casework.intake import CitizenData, open_case
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.models import Tenant

_serial = itertools.count(1)


def make_nik(village_code: str, birth: date, sex: str, serial: int | None = None) -> str:
    """A NIK consistent with the village's district, the birth date and sex."""
    day = birth.day + (40 if sex == "P" else 0)
    serial = next(_serial) if serial is None else serial
    return village_code.replace(".", "")[:6] + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial % 10000:04d}"


def make_kk(village_code: str) -> str:
    return village_code.replace(".", "")[:6] + f"{uuid.uuid4().int % 10**10:010d}"


def tenant(slug: str) -> Tenant:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def village_of(slug: str) -> Village:
    """The first village of the region (where its demo facilitator works)."""
    region = tenant(slug)
    district = db.session.scalar(select(District).where(District.regency_code == region.region_code)
                                 .order_by(District.code))
    return db.session.scalar(select(Village).where(Village.district_code == district.code).order_by(Village.code))


def member(email: str) -> tuple[User, Membership]:
    """(user, membership in the current region) for a demo account."""
    user = db.session.scalar(select(User).where(User.email == email))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    return user, membership


def citizen_data(slug: str, *, name: str = "Warga Uji", sex: str = "P", birth: date = date(1985, 3, 14),
                 phone: str = "081234567890") -> CitizenData:
    village = village_of(slug)
    return CitizenData(nik=make_nik(village.code, birth, sex), kk_number=make_kk(village.code), name=name,
                       birth_date=birth, sex=sex, address="Jl. Uji No. 1", village_code=village.code, phone=phone)


def make_case(slug: str, *, channel: str = "walk_in", service_area: str = "kesehatan",
              data: CitizenData | None = None, by: str | None = None):
    """Open a case in region `slug` (call inside its tenant_context); returns the case."""
    role = {"home_visit": "facilitator"}.get(channel, "intake_officer")
    user, membership = member(by or f"{role}@{slug}.demo")
    case, _created = open_case(citizen_data=data or citizen_data(slug), complaint="Butuh bantuan biaya berobat.",
                               service_area=service_area, channel=channel, intake_token=uuid.uuid4().hex,
                               user=user, membership=membership)
    db.session.flush()
    return case
