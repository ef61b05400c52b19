"""SOP versions, cases, their events, partners and referrals."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.casework.vocabulary import (
    AnswerResult,
    Closure,
    GroupKind,
    Outcome,
    PartnerKind,
    PartnerLevel,
    Priority,
    ReferralStatus,
    SopStatus,
)
from app.extensions import Model, db
from app.tenancy.keys import tenant_fk, tenant_join
from app.tenancy.models import TenantOwned, utcnow

if TYPE_CHECKING:  # the other side of a relationship, resolved by name at run time
    from app.accounts.models import User
    from app.citizens.models import Citizen
    from app.org.models import OrgUnit


class SopVersion(TenantOwned, Model):
    """One published (or draft) version of a region's SOP; cases pin the version they start under."""

    __tablename__ = "sop_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "number"),)

    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), SopStatus.check("status"), default=SopStatus.PUBLISHED)
    definition: Mapped[dict] = mapped_column(JSON)
    regulation: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    _parsed = None

    @property
    def sop(self):
        """The state machine of this version (parsed once per instance)."""
        from app.casework.sop import parse_stored

        if self._parsed is None:
            self._parsed = parse_stored(self.definition)
        return self._parsed


def bump_year_counter(counter, year: int) -> int:
    """The next value of the current region's `counter` row for `year` (a model with `year` and
    `value`), never shared under concurrency: UPDATE … RETURNING, creating the row at 1 the first time."""
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    bump = update(counter).where(counter.year == year).values(value=counter.value + 1).returning(counter.value)
    value = db.session.execute(bump).scalar()
    if value is None:
        try:
            with db.session.begin_nested():
                db.session.add(counter(year=year, value=1))
            value = 1
        except IntegrityError:  # another request created this year's row first
            value = db.session.execute(bump).scalar()
    if value is None:
        raise RuntimeError(f"no {counter.__tablename__} row for {year}")
    return int(value)


class TicketCounter(TenantOwned, Model):
    """Per-region, per-year sequence for ticket numbers (`BEKASI-2026-000123`; the prefix is the region's)."""

    __tablename__ = "ticket_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Partner(TenantOwned, Model):
    """A program manager or partner that referrals go to."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20), PartnerLevel.check("level"))
    kind: Mapped[str] = mapped_column(String(20), PartnerKind.check("kind"), default=PartnerKind.OPD)
    contact: Mapped[str] = mapped_column(Text, default="")
    service_areas: Mapped[str] = mapped_column(Text, default="")
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


#: A case names one citizen or one group, never both, never neither.
ONE_PARTY = ("(citizen_id IS NOT NULL AND group_name IS NULL) OR (citizen_id IS NULL AND group_name IS NOT NULL)")


class Case(TenantOwned, Model):
    """One citizen's complaint or need, carried through the region's SOP."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket"),
        UniqueConstraint("tenant_id", "intake_token"),
        tenant_fk("citizen_id", "citizens"),
        tenant_fk("sop_version_id", "sop_versions"),
        tenant_fk("unit_id", "org_units"),
        tenant_fk("origin_unit_id", "org_units"),
        tenant_fk("merged_into_id", "cases"),
        CheckConstraint(ONE_PARTY, name="one_party"),
        # The console counts each region's open and overdue cases from this (an index-only scan).
        Index("ix_cases_open_by_tenant", "tenant_id", "due_at", postgresql_where=text("closed_at IS NULL"),
              sqlite_where=text("closed_at IS NULL")),
        # The home page's "closed this month" (migration k3a0c0de0057).
        Index("ix_cases_closed_by_tenant", "tenant_id", "closed_at", postgresql_where=text("closed_at IS NOT NULL"),
              sqlite_where=text("closed_at IS NOT NULL")),
    )

    ticket: Mapped[str] = mapped_column(String(24))
    intake_token: Mapped[str] = mapped_column(String(64))
    # Who complains: one citizen, or a group named with its contact person (exactly one of them).
    citizen_id: Mapped[uuid.UUID | None] = mapped_column()
    group_name: Mapped[str | None] = mapped_column(String(200))
    group_kind: Mapped[str | None] = mapped_column(String(20), GroupKind.check("group_kind"))
    group_contact_name: Mapped[str | None] = mapped_column(String(200))
    group_contact_phone: Mapped[str | None] = mapped_column(String(20))
    group_members: Mapped[int | None] = mapped_column(Integer)
    sop_version_id: Mapped[uuid.UUID] = mapped_column()
    channel: Mapped[str] = mapped_column(String(20))
    service_area: Mapped[str] = mapped_column(String(40))
    complaint: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(40), index=True)
    state_entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column()
    origin_unit_id: Mapped[uuid.UUID | None] = mapped_column()
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("villages.code"))
    in_register: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # The officer responsible right now; None = pooled (anyone with the waiting role, unit and area).
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why it was closed outside the SOP ("" = by its own last step); a merged case names its survivor.
    closure: Mapped[str] = mapped_column(String(20), Closure.check("closure", ""), default="")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column()
    priority: Mapped[str] = mapped_column(String(10), Priority.check("priority"), default=Priority.NORMAL)
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    # A facilitator's home visit: household condition, consent, location (`app.casework.home_visit`).
    home_visit: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # SQLAlchemy reads this class-level dict; DeclarativeBase types it as an instance attribute,
    # so a ClassVar annotation (what RUF012 asks) would contradict the base for mypy.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    citizen: Mapped[Citizen] = relationship(primaryjoin=tenant_join("Case", "citizen_id", "Citizen"))
    sop_version: Mapped[SopVersion] = relationship(primaryjoin=tenant_join("Case", "sop_version_id", "SopVersion"))
    unit: Mapped[OrgUnit | None] = relationship(
        primaryjoin=tenant_join("Case", "unit_id", "OrgUnit"))
    origin_unit: Mapped[OrgUnit | None] = relationship(
        primaryjoin=tenant_join("Case", "origin_unit_id", "OrgUnit"))
    merged_into: Mapped[Case | None] = relationship(
        primaryjoin="and_(Case.tenant_id == remote(Case.tenant_id), "
                    "foreign(Case.merged_into_id) == remote(Case.id))",
        viewonly=True)
    events: Mapped[list[CaseEvent]] = relationship(
        primaryjoin=tenant_join("CaseEvent", "case_id", "Case"), order_by="CaseEvent.at",
        back_populates="case")
    referrals: Mapped[list[Referral]] = relationship(
        primaryjoin=tenant_join("Referral", "case_id", "Case"), order_by="Referral.requested_at",
        back_populates="case")

    @property
    def is_group(self) -> bool:
        return self.citizen_id is None

    @property
    def party_name(self) -> str:
        """Who complains, in a list: the citizen's name or the group's."""
        return (self.group_name or "") if self.is_group else self.citizen.name

    @property
    def contact_phone(self) -> str:
        """The phone the status page checks: the citizen's, or the group's contact person's."""
        return (self.group_contact_phone or "") if self.is_group else (self.citizen.phone or "")

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
            due = due.replace(tzinfo=UTC)
        return due < now

    # `.expression` changes the hybrid in place (what `.inplace` is for, which mypy cannot follow here).
    @is_overdue.expression
    @classmethod
    def _is_overdue_condition(cls, now: datetime) -> ColumnElement[bool]:
        return and_(cls.closed_at.is_(None), cls.due_at.is_not(None), cls.due_at < now)


class CaseEvent(TenantOwned, Model):
    """An entry in a case's timeline. Append-only (database triggers refuse changes)."""

    __tablename__ = "case_events"
    __table_args__ = (tenant_fk("case_id", "cases"),
                      Index("uq_case_events_intake_token", "tenant_id", "intake_token", unique=True))

    case_id: Mapped[uuid.UUID] = mapped_column(index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    actor_title: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(60))  # transition key, or intake / edit…
    label: Mapped[str] = mapped_column(String(200), default="")
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The intake form's one-time token when this event adds a complaint to an open case.
    intake_token: Mapped[str | None] = mapped_column(String(64))

    case: Mapped[Case] = relationship(primaryjoin=tenant_join("CaseEvent", "case_id", "Case"),
                                      back_populates="events")


class Referral(TenantOwned, Model):
    """A case handed to a partner, from request through approval to its outcome."""

    __tablename__ = "referrals"
    __table_args__ = (tenant_fk("case_id", "cases"), tenant_fk("partner_id", "partners"),
                      # the report's list, read in (requested_at, id) chunks (app.dashboard.lists)
                      Index("ix_referrals_requested", "tenant_id", "requested_at", "id"))

    case_id: Mapped[uuid.UUID] = mapped_column(index=True)
    partner_id: Mapped[uuid.UUID] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), ReferralStatus.check("status"),
                                        default=ReferralStatus.REQUESTED)
    reason: Mapped[str] = mapped_column(Text, default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20), Outcome.check("outcome", ""), default="")  # "" = none yet
    answer_result: Mapped[str] = mapped_column(String(20), AnswerResult.check("answer_result", ""), default="")
    letter_number: Mapped[str] = mapped_column(String(100), default="")
    letter_date: Mapped[date | None] = mapped_column(Date)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The partner officer's own answer (app.casework.partner_portal), before the back office confirms it.
    partner_answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    partner_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship(primaryjoin=tenant_join("Referral", "case_id", "Case"),
                                      back_populates="referrals")
    partner: Mapped[Partner] = relationship(primaryjoin=tenant_join("Referral", "partner_id", "Partner"))
