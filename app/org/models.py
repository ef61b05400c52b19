"""Org units and positions, both owned by a tenant."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.org.vocabulary import ROLES, UNIT_KINDS, AreaLevel
from app.tenancy.models import TenantOwned

if TYPE_CHECKING:  # the other side of a relationship, resolved by name at run time
    from app.accounts.models import Membership


class OrgUnit(TenantOwned, Model):
    """A unit of the region's SLRT: secretariat, front office section, Puskesos, team…"""

    __tablename__ = "org_units"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        ForeignKeyConstraint(
            ["tenant_id", "parent_id"], ["org_units.tenant_id", "org_units.id"]
        ),
    )

    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    service_areas: Mapped[str] = mapped_column(Text, default="")  # comma-separated keys
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.code"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Joins over composite keys mark only the non-shared column as foreign, so
    # SQLAlchemy never tries to copy or blank `tenant_id` (set once, by scoping).
    parent: Mapped[OrgUnit | None] = relationship(
        primaryjoin="and_(OrgUnit.tenant_id == remote(OrgUnit.tenant_id), "
        "foreign(OrgUnit.parent_id) == remote(OrgUnit.id))",
        back_populates="children",
    )
    children: Mapped[list[OrgUnit]] = relationship(
        primaryjoin="and_(OrgUnit.tenant_id == remote(OrgUnit.tenant_id), "
        "remote(foreign(OrgUnit.parent_id)) == OrgUnit.id)",
        back_populates="parent",
        order_by="OrgUnit.sort_order",
    )
    positions: Mapped[list[Position]] = relationship(
        primaryjoin="and_(Position.tenant_id == OrgUnit.tenant_id, foreign(Position.unit_id) == OrgUnit.id)",
        back_populates="unit",
        order_by="Position.sort_order",
    )

    @property
    def kind_label(self) -> str:
        return str(UNIT_KINDS.get(self.kind, self.kind))


class Position(TenantOwned, Model):
    """A post in the region's structure, with its local title and canonical role."""

    __tablename__ = "positions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        ForeignKeyConstraint(
            ["tenant_id", "unit_id"], ["org_units.tenant_id", "org_units.id"]
        ),
    )

    key: Mapped[str] = mapped_column(String(80))
    unit_id: Mapped[uuid.UUID] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    ex_officio: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    area_level: Mapped[str | None] = mapped_column(String(20), AreaLevel.check("area_level"))
    #: The decree that appoints the post (`app.org.decree`): who set it, its number and date; all optional.
    decree_number: Mapped[str] = mapped_column(String(120), default="", server_default="")
    decree_date: Mapped[date | None] = mapped_column(Date)
    decree_authority: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    unit: Mapped[OrgUnit] = relationship(
        primaryjoin="and_(Position.tenant_id == OrgUnit.tenant_id, foreign(Position.unit_id) == OrgUnit.id)",
        back_populates="positions",
    )
    memberships: Mapped[list[Membership]] = relationship(
        primaryjoin="and_(Membership.tenant_id == Position.tenant_id, "
        "foreign(Membership.position_id) == Position.id)",
        back_populates="position",
    )

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))

    @property
    def decree_label(self) -> str:
        """`SK Wali Kota No. 12/2020 tgl 12-05-2020`, or "" when the post has no decree."""
        from app.org.decree import Decree

        return Decree.of(self).label()

    @property
    def title_with_unit(self) -> str:
        """`Supervisor — Sekretariat SLRT`: tells apart two posts with the same title in a dropdown."""
        return f"{self.title} \u2014 {self.unit.name}"
