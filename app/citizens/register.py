"""Reading the region's register extract: exact lookups (audited), its size and last import, a sample village."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.audit.log import record
from app.citizens.identity import mask_nik
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context

SEARCH_LIMIT = 20


def look_up_entries(number: str) -> list:
    """(entry, village name) rows whose NIK or KK number is exactly `number`; the lookup is audited."""
    found = db.session.execute(
        select(RegisterEntry, Village.name)
        .outerjoin(Village, Village.code == RegisterEntry.village_code)
        .where(or_(RegisterEntry.nik == number, RegisterEntry.kk_number == number))
        .order_by(RegisterEntry.name).limit(SEARCH_LIMIT)).all()
    record("register.search", "register", "", term=mask_nik(number), found=len(found))
    return list(found)


@dataclass
class RegisterSummary:
    """How many entries the extract holds, and its last import with who made it."""
    size: int
    last: RegisterImport | None
    importer: User | None


def register_summary() -> RegisterSummary:
    """The extract's size and its latest import."""
    last = db.session.scalar(select(RegisterImport).order_by(RegisterImport.imported_at.desc()).limit(1))
    return RegisterSummary(size=db.session.scalar(select(func.count()).select_from(RegisterEntry)) or 0,
                           last=last, importer=db.session.get(User, last.imported_by) if last else None)


def first_village() -> Village:
    """The region's first village by code (for an example file valid in this region)."""
    region_code = tenant_in_context().region_code
    village = db.session.scalar(
        select(Village).join(District, District.code == Village.district_code)
        .where(District.regency_code == region_code).order_by(Village.code).limit(1))
    if village is None:  # the official list (data/wilayah) has villages for every regency
        raise RuntimeError(f"no villages of {region_code} in the reference tables: load data/wilayah")
    return village


def current_import_id():
    """The id of the region's current register import, or None before the first one.

    Every read of "the register" (households, members, flags) filters on it: pending and
    previous imports share the tables.
    """
    from app.citizens.vocabulary import ImportStatus

    return db.session.scalar(select(RegisterImport.id).where(RegisterImport.status == ImportStatus.CURRENT)
                             .order_by(RegisterImport.imported_at.desc()).limit(1))
