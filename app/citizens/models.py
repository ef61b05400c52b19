"""Citizens known to a region, its welfare register extract, and pre-list proposals."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.citizens.vocabulary import ProposalStatus
from app.extensions import Model
from app.tenancy.keys import tenant_fk, tenant_join
from app.tenancy.models import TenantOwned, utcnow

if TYPE_CHECKING:  # the other side of a relationship, resolved by name at run time
    from app.reference.models import Village


class Citizen(TenantOwned, Model):
    """A person who brought a complaint; one row per NIK in a region."""

    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("tenant_id", "nik"),)

    nik: Mapped[str] = mapped_column(String(16))
    kk_number: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))  # L | P
    address: Mapped[str] = mapped_column(Text)
    village_code: Mapped[str] = mapped_column(ForeignKey("villages.code"))
    phone: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    village: Mapped[Village] = relationship()

    @property
    def district_code(self) -> str:
        return self.village_code.rsplit(".", 1)[0]


class RegisterImport(TenantOwned, Model):
    """One upload of the region's welfare register extract."""

    __tablename__ = "register_imports"

    filename: Mapped[str] = mapped_column(String(255))
    row_count: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RegisterEntry(TenantOwned, Model):
    """A person in the region's extract of the welfare register (DTKS)."""

    __tablename__ = "register_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "nik"),
        tenant_fk("import_id", "register_imports"),
    )

    nik: Mapped[str] = mapped_column(String(16))
    kk_number: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.code"))
    address: Mapped[str] = mapped_column(Text, default="")
    import_id: Mapped[uuid.UUID] = mapped_column()


class PrelistProposal(TenantOwned, Model):
    """A citizen not in the register, proposed for addition after verification (verval)."""

    __tablename__ = "prelist_proposals"
    __table_args__ = (
        UniqueConstraint("tenant_id", "citizen_id"),
        tenant_fk("citizen_id", "citizens"),
        tenant_fk("case_id", "cases"),
    )

    citizen_id: Mapped[uuid.UUID] = mapped_column()
    case_id: Mapped[uuid.UUID | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), ProposalStatus.check("status"),
                                        default=ProposalStatus.PROPOSED)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    village_code: Mapped[str] = mapped_column(ForeignKey("villages.code"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))

    citizen: Mapped[Citizen] = relationship(primaryjoin=tenant_join("PrelistProposal", "citizen_id", "Citizen"))
