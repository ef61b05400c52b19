"""Reading the region's register extract: exact lookups and searches by name (both audited), its
size and current import, a sample village, and the filter every reader applies.

Every read of "the register" filters on the current import (`in_current(Model)`): pending,
previous and discarded imports share the tables.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.audit.log import record
from app.citizens.identity import mask_nik
from app.citizens.models import RegisterEntry, RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.extensions import db
from app.kept import kept
from app.pagination import page_of
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context

SEARCH_LIMIT = 20
NAME_MIN = 3


def _current_import_query():
    return (select(RegisterImport.id).where(RegisterImport.status == ImportStatus.CURRENT)
            .order_by(RegisterImport.imported_at.desc()).limit(1))


def current_import_id():
    """The id of the region's current register import, or None before the first one.

    Every read of "the register" (households, members, flags) filters on it: pending and
    previous imports share the tables. Read once per transaction (an intake asked three times):
    `app.kept` drops it when an import is written, or by any ORM UPDATE such as a swap of imports.
    """
    return kept("register.current_import", lambda: db.session.scalar(_current_import_query()),
                watch=(RegisterImport,))


def in_current(model):
    """`model.import_id = <the current import>` as one SQL condition (a scalar subquery: no extra round trip)."""
    return model.import_id == _current_import_query().scalar_subquery()


def look_up_entries(number: str) -> list:
    """(entry, village name) rows whose NIK or KK number is exactly `number`; the lookup is audited."""
    found = db.session.execute(
        select(RegisterEntry, Village.name)
        .outerjoin(Village, Village.code == RegisterEntry.village_code)
        .where(in_current(RegisterEntry), or_(RegisterEntry.nik == number, RegisterEntry.kk_number == number))
        .order_by(RegisterEntry.name).limit(SEARCH_LIMIT)).all()
    record("register.search", "register", "", term=mask_nik(number), found=len(found))
    return list(found)


def region_area(code: str) -> tuple[str, str] | None:
    """("district"|"village", code) when `code` is a district or village of this region, else None."""
    region = tenant_in_context().region_code
    if not code.startswith(region + "."):
        return None
    if db.session.scalar(select(District.code).where(District.code == code, District.regency_code == region)):
        return "district", code
    if db.session.scalar(select(Village.code).join(District, District.code == Village.district_code)
                         .where(Village.code == code, District.regency_code == region)):
        return "village", code
    return None


def search_by_name(name: str, area: str, page: int = 1):
    """A page of (entry, village name) rows of the current extract whose name contains `name`, in
    `area` (a district or village code of this region, checked by the caller); audited."""
    kind, code = region_area(area) or ("village", "")
    escaped = name.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    place = RegisterEntry.village_code.like(code + ".%") if kind == "district" else RegisterEntry.village_code == code
    stmt = (select(RegisterEntry, Village.name)
            .outerjoin(Village, Village.code == RegisterEntry.village_code)
            .where(in_current(RegisterEntry), place, func.lower(RegisterEntry.name).like(f"%{escaped}%", escape="\\"))
            .order_by(RegisterEntry.name, RegisterEntry.kk_number, RegisterEntry.nik))
    pager = page_of(stmt, page, SEARCH_LIMIT, rows=True)
    record("register.search", "register", "", name=name.strip()[:100], area=code, page=pager.page, found=pager.total)
    return pager


@dataclass
class RegisterSummary:
    """The current import: its households and members, who imported and who confirmed it."""
    size: int
    households: int
    last: RegisterImport | None
    importer: User | None
    confirmer: User | None = None


def register_summary() -> RegisterSummary:
    """The current extract's size (as counted when it was written) and its import."""
    current = db.session.scalar(select(RegisterImport).where(RegisterImport.id == _current_import_query()
                                                             .scalar_subquery()))
    if current is None:
        return RegisterSummary(size=0, households=0, last=None, importer=None)
    return RegisterSummary(size=current.row_count, households=current.household_count, last=current,
                           importer=db.session.get(User, current.imported_by),
                           confirmer=db.session.get(User, current.confirmed_by) if current.confirmed_by else None)


def first_village() -> Village:
    """The region's first village by code (for an example file valid in this region)."""
    region_code = tenant_in_context().region_code
    village = db.session.scalar(
        select(Village).join(District, District.code == Village.district_code)
        .where(District.regency_code == region_code).order_by(Village.code).limit(1))
    if village is None:  # the official list (data/wilayah) has villages for every regency
        raise RuntimeError(f"no villages of {region_code} in the reference tables: load data/wilayah")
    return village
