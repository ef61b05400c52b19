"""SOP versions, cases, their events, partners and referrals."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import JSON, Boolean, and_, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.casework.vocabulary import Outcome, PartnerKind, PartnerLevel, ReferralStatus, SopStatus
from app.extensions import db
from app.tenancy.keys import tenant_fk, tenant_join
from app.tenancy.models import TenantOwned, utcnow


class SopVersion(TenantOwned, db.Model):
    """One published (or draft) version of a region's SOP; cases pin the version they start under."""

    __tablename__ = "sop_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "number"),)

    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), SopStatus.check("status"), default=SopStatus.PUBLISHED)
    definition: Mapped[dict] = mapped_column(JSON)
    regulation: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("users.id"))

    _parsed = None

    @property
    def sop(self):
        """The state machine of this version (parsed once per instance)."""
        from app.casework.sop import parse_sop

        if self._parsed is None:
            self._parsed = parse_sop(self.definition)
        return self._parsed


class TicketCounter(TenantOwned, db.Model):
    """Per-region, per-year sequence for ticket numbers (`PLG-2026-000123`)."""

    __tablename__ = "ticket_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Partner(TenantOwned, db.Model):
    """A program manager or partner that referrals go to."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20), PartnerLevel.check("level"))
    kind: Mapped[str] = mapped_column(String(20), PartnerKind.check("kind"), default=PartnerKind.OPD)
    contact: Mapped[str] = mapped_column(Text, default="")
    service_areas: Mapped[str] = mapped_column(Text, default="")
    retired_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class Case(TenantOwned, db.Model):
    """One citizen's complaint or need, carried through the region's SOP."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket"),
        UniqueConstraint("tenant_id", "intake_token"),
        tenant_fk("citizen_id", "citizens"),
        tenant_fk("sop_version_id", "sop_versions"),
        tenant_fk("unit_id", "org_units"),
        tenant_fk("origin_unit_id", "org_units"),
    )

    ticket: Mapped[str] = mapped_column(String(24))
    intake_token: Mapped[str] = mapped_column(String(64))
    citizen_id: Mapped[uuid.UUID] = mapped_column()
    sop_version_id: Mapped[uuid.UUID] = mapped_column()
    channel: Mapped[str] = mapped_column(String(20))
    service_area: Mapped[str] = mapped_column(String(40))
    complaint: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(40), index=True)
    state_entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), index=True)
    unit_id: Mapped[Optional[uuid.UUID]] = mapped_column()
    origin_unit_id: Mapped[Optional[uuid.UUID]] = mapped_column()
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("villages.code"))
    in_register: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # The officer responsible right now; None = pooled (anyone with the waiting role, unit and area).
    assignee_id: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("users.id"), index=True)
    assignee: Mapped[Optional["User"]] = relationship(foreign_keys=[assignee_id])  # noqa: F821
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    citizen: Mapped["Citizen"] = relationship(primaryjoin=tenant_join("Case", "citizen_id", "Citizen"))  # noqa: F821
    sop_version: Mapped[SopVersion] = relationship(primaryjoin=tenant_join("Case", "sop_version_id", "SopVersion"))
    unit: Mapped[Optional["OrgUnit"]] = relationship(  # noqa: F821
        primaryjoin=tenant_join("Case", "unit_id", "OrgUnit"))
    origin_unit: Mapped[Optional["OrgUnit"]] = relationship(  # noqa: F821
        primaryjoin=tenant_join("Case", "origin_unit_id", "OrgUnit"))
    events: Mapped[list["CaseEvent"]] = relationship(
        primaryjoin=tenant_join("CaseEvent", "case_id", "Case"), order_by="CaseEvent.at",
        back_populates="case")
    referrals: Mapped[list["Referral"]] = relationship(
        primaryjoin=tenant_join("Referral", "case_id", "Case"), order_by="Referral.requested_at",
        back_populates="case")

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @hybrid_method
    def is_overdue(self, now: datetime) -> bool:
        """The one definition of overdue: still open, and its step's deadline has passed.

        On an instance it answers for that case; on the class it is the SQL condition that the
        inbox, the home page, the dashboard, the national summary and the console count by.
        """
        due = self.due_at
        if due is None or self.closed_at is not None:
            return False
        if due.tzinfo is None:  # SQLite hands back naive datetimes
            due = due.replace(tzinfo=timezone.utc)
        return due < now

    @is_overdue.inplace.expression
    @classmethod
    def _is_overdue_condition(cls, now: datetime):
        return and_(cls.closed_at.is_(None), cls.due_at.is_not(None), cls.due_at < now)


class CaseEvent(TenantOwned, db.Model):
    """An entry in a case's timeline. Append-only (database triggers refuse changes)."""

    __tablename__ = "case_events"
    __table_args__ = (tenant_fk("case_id", "cases"),)

    case_id: Mapped[uuid.UUID] = mapped_column(index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    actor_title: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(60))  # transition key, or intake / edit…
    label: Mapped[str] = mapped_column(String(200), default="")
    from_state: Mapped[Optional[str]] = mapped_column(String(40))
    to_state: Mapped[Optional[str]] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(primaryjoin=tenant_join("CaseEvent", "case_id", "Case"),
                                      back_populates="events")


class Referral(TenantOwned, db.Model):
    """A case handed to a partner, from request through approval to its outcome."""

    __tablename__ = "referrals"
    __table_args__ = (tenant_fk("case_id", "cases"), tenant_fk("partner_id", "partners"))

    case_id: Mapped[uuid.UUID] = mapped_column(index=True)
    partner_id: Mapped[uuid.UUID] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), ReferralStatus.check("status"),
                                        default=ReferralStatus.REQUESTED)
    reason: Mapped[str] = mapped_column(Text, default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20), Outcome.check("outcome", ""), default="")  # "" = none yet
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship(primaryjoin=tenant_join("Referral", "case_id", "Case"),
                                      back_populates="referrals")
    partner: Mapped[Partner] = relationship(primaryjoin=tenant_join("Referral", "partner_id", "Partner"))
