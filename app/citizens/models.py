"""Citizens known to a region and its welfare register extract (proposals to add a household to it
are data updates: `app.verval.models.DataUpdate`)."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.citizens.vocabulary import Disability, Education, HousingCondition, ImportStatus, Relationship
from app.extensions import Model
from app.tenancy.keys import tenant_fk
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
    """One upload of the region's welfare register extract.

    An import is staged as `pending` (its households and members are written under its id),
    previewed against the `current` one, and becomes current only when a person confirms;
    the one it replaces is kept as `previous` (so the two can be compared) and older
    snapshots are deleted. Every read of "the register" filters on the current import.
    """

    __tablename__ = "register_imports"

    filename: Mapped[str] = mapped_column(String(255))
    row_count: Mapped[int] = mapped_column(Integer)  # members in the file
    household_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(10), ImportStatus.check("status"), default=ImportStatus.CURRENT,
                                        server_default="current")
    #: The preview, computed against the import that was current when it was staged:
    #: {"households": {"added": n, "changed": n, "gone": n, "same": n}, "members": {...},
    #:  "deciles": {"1": n, ...}, "programs": {"pkh": n, ...}, "against": "<import id>"}.
    summary: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    imported_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RegisterHousehold(TenantOwned, Model):
    """A household (Kartu Keluarga) in one import of the register extract."""

    __tablename__ = "register_households"
    __table_args__ = (
        UniqueConstraint("tenant_id", "import_id", "kk_number"),
        tenant_fk("import_id", "register_imports"),
    )

    import_id: Mapped[uuid.UUID] = mapped_column()
    kk_number: Mapped[str] = mapped_column(String(16))
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.code"))
    address: Mapped[str] = mapped_column(Text, default="")
    decile: Mapped[int | None] = mapped_column(Integer)  # 1 (poorest) .. 10, where the extract has it
    housing: Mapped[str] = mapped_column(String(20), HousingCondition.check("housing", ""), default="")
    #: Household-level program flags of the extract, comma-separated program codes ("pkh,bpnt").
    programs: Mapped[str] = mapped_column(String(200), default="")
    #: A digest of the fields above, to tell "changed" from "same" between imports in SQL.
    digest: Mapped[str] = mapped_column(String(32), default="")


class RegisterEntry(TenantOwned, Model):
    """A person (household member) in one import of the region's register extract (DTKS)."""

    __tablename__ = "register_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "import_id", "nik"),
        Index("ix_register_entries_import_kk", "tenant_id", "import_id", "kk_number"),
        tenant_fk("import_id", "register_imports"),
    )

    nik: Mapped[str] = mapped_column(String(16))
    kk_number: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.code"))
    address: Mapped[str] = mapped_column(Text, default="")
    import_id: Mapped[uuid.UUID] = mapped_column()
    relation_to_head: Mapped[str] = mapped_column(String(20), Relationship.check("relation_to_head", ""), default="")
    sex: Mapped[str] = mapped_column(String(1), default="")  # L | P | "" (unknown)
    birth_date: Mapped[date | None] = mapped_column(Date)
    education: Mapped[str] = mapped_column(String(20), Education.check("education", ""), default="")
    occupation: Mapped[str] = mapped_column(String(100), default="")
    disability: Mapped[str] = mapped_column(String(20), Disability.check("disability", ""), default="")
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: Member-level program flags of the extract (e.g. "pip,pbi_jk").
    programs: Mapped[str] = mapped_column(String(200), default="")
    digest: Mapped[str] = mapped_column(String(32), default="")
