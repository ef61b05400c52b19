"""What the region's current register extract says about one household, for a data update."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.citizens.models import RegisterEntry, RegisterHousehold
from app.citizens.register import current_import_id
from app.extensions import db
from app.reference.models import Village
from app.tenancy.context import tenant_in_context

#: The member fields a `member_changed` update may change (the register's member attributes).
MEMBER_FIELDS = ("name", "relation_to_head", "sex", "birth_date", "education", "occupation", "disability",
                 "pregnant")


@dataclass
class RegisteredHousehold:
    """A household of the current extract: its place and its members (RegisterEntry rows)."""

    kk_number: str
    village_code: str
    address: str
    members: list[RegisterEntry] = field(default_factory=list)

    @property
    def district_code(self) -> str:
        return self.village_code.rsplit(".", 1)[0] if self.village_code else ""

    def member(self, nik: str) -> RegisterEntry | None:
        return next((m for m in self.members if m.nik == nik), None)


def registered_household(kk_number: str) -> RegisteredHousehold | None:
    """The household with this KK number in the region's current extract (None if it is not there)."""
    import_id = current_import_id()
    if import_id is None or not kk_number:
        return None
    members = list(db.session.scalars(
        select(RegisterEntry).where(RegisterEntry.import_id == import_id, RegisterEntry.kk_number == kk_number)
        .order_by(RegisterEntry.relation_to_head != "head", RegisterEntry.name)))
    row = db.session.scalar(select(RegisterHousehold).where(RegisterHousehold.import_id == import_id,
                                                            RegisterHousehold.kk_number == kk_number))
    if row is None and not members:
        return None
    village = (row.village_code if row is not None else None) or next(
        (m.village_code for m in members if m.village_code), "") or ""
    address = (row.address if row is not None else "") or next((m.address for m in members if m.address), "")
    return RegisteredHousehold(kk_number=kk_number, village_code=village, address=address, members=members)


def registered_nik(nik: str) -> RegisterEntry | None:
    """The member with this NIK in the current extract, in whichever household."""
    import_id = current_import_id()
    if import_id is None or not nik:
        return None
    return db.session.scalar(select(RegisterEntry).where(RegisterEntry.import_id == import_id,
                                                         RegisterEntry.nik == nik))


def region_village(code: str) -> Village | None:
    """The village with this code if it lies in the current region (None otherwise)."""
    prefix = tenant_in_context().region_code + "."
    if not code or not code.startswith(prefix):
        return None
    return db.session.get(Village, code)


def in_region(number: str) -> bool:
    """Whether a NIK's or KK number's first six digits are a district of the current region."""
    region = tenant_in_context().region_code.replace(".", "")
    return len(number) == 16 and number.isdigit() and number.startswith(region)
