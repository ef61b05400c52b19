"""Referral letters (Surat Rujukan): issued when a referral is sent, numbered per region and year, immutable.

The letter row keeps what the letter says about the office side as it was when it went out
(number, date, partner, approver's name, post title and NIP) so the letter printed later is
the one that was sent; the database refuses any change to it (append-only, like the timeline).
The citizen's details are read from the case when the letter is printed, not copied here.
A random token, unguessable, names the letter on the public verification page.
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Membership
from app.casework.models import Case, CaseEvent, Referral, bump_year_counter
from app.casework.vocabulary import ReferralStatus
from app.errors import NotFound
from app.extensions import Model, db
from app.localtime import local_zone
from app.tenancy.context import tenant_in_context
from app.tenancy.keys import tenant_fk, tenant_join
from app.tenancy.models import TenantOwned
from app.tenants.letterhead import letter_number, letterhead_of


class LetterCounter(TenantOwned, Model):
    """Per-region, per-year sequence of referral letter serials (the `{n}` of the number)."""

    __tablename__ = "letter_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer, default=0)


class ReferralLetter(TenantOwned, Model):
    """One referral letter as sent. Append-only (database triggers refuse changes)."""

    __tablename__ = "referral_letters"
    __table_args__ = (
        UniqueConstraint("tenant_id", "referral_id"),
        UniqueConstraint("tenant_id", "year", "serial"),
        UniqueConstraint("tenant_id", "token"),
        tenant_fk("case_id", "cases"),
        tenant_fk("referral_id", "referrals"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(index=True)
    referral_id: Mapped[uuid.UUID] = mapped_column()
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    issued_on: Mapped[date] = mapped_column(Date)
    partner_name: Mapped[str] = mapped_column(String(200))
    partner_address: Mapped[str] = mapped_column(Text, default="")
    approver_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approver_name: Mapped[str] = mapped_column(String(200), default="")
    approver_title: Mapped[str] = mapped_column(String(200), default="")
    approver_nip: Mapped[str] = mapped_column(String(18), default="")
    token: Mapped[str] = mapped_column(String(64))

    referral: Mapped[Referral] = relationship(primaryjoin=tenant_join("ReferralLetter", "referral_id", "Referral"))


def local_date(moment: datetime) -> date:
    """The date in the region's time zone (a letter dated in WIB, not UTC)."""
    zone = local_zone()
    return moment.astimezone(zone).date()


def next_letter_serial(year: int) -> int:
    """The next serial of the current region's letters in `year`: never shared, even under concurrency."""
    return bump_year_counter(LetterCounter, year)


def _approval(case: Case) -> CaseEvent | None:
    """The step that approved the referral being sent: the case's latest referral approval."""
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                .order_by(CaseEvent.at.desc())).all()
    return next((e for e in events if (e.data or {}).get("referral") == ReferralStatus.APPROVED), None)


def issue_letter(case: Case, referral: Referral, now: datetime) -> ReferralLetter:
    """The letter for `referral`, sent `now`: numbered in the region's format (the existing one if issued)."""
    existing = db.session.scalar(select(ReferralLetter).where(ReferralLetter.referral_id == referral.id))
    if existing is not None:
        return existing
    day = local_date(now)
    serial = next_letter_serial(day.year)
    approval = _approval(case)
    nip = ""
    if approval is not None and approval.user_id is not None:
        nip = db.session.scalar(select(Membership.nip).where(Membership.user_id == approval.user_id)) or ""
    letter = ReferralLetter(
        case_id=case.id, referral_id=referral.id, year=day.year, serial=serial,
        number=letter_number(letterhead_of(tenant_in_context()).number_format, serial, day), issued_at=now,
        issued_on=day, partner_name=referral.partner.name, partner_address=referral.partner.contact or "",
        approver_id=approval.user_id if approval else None, approver_name=approval.actor_name if approval else "",
        approver_title=approval.actor_title if approval else "", approver_nip=nip,
        token=secrets.token_urlsafe(32))
    db.session.add(letter)
    db.session.flush()
    return letter


def case_letters(case_id) -> list[ReferralLetter]:
    """The letters of a case (already loaded through `visible_case`), oldest first."""
    return list(db.session.scalars(select(ReferralLetter).where(ReferralLetter.case_id == case_id)
                                   .order_by(ReferralLetter.issued_at)))


def letter_of(case: Case, letter_id) -> ReferralLetter:
    """The letter `letter_id` of `case` (a case the member may see); NotFound for any other."""
    letter = db.session.scalar(select(ReferralLetter).where(ReferralLetter.case_id == case.id,
                                                            ReferralLetter.id == letter_id))
    if letter is None:
        raise NotFound(_("Surat rujukan tidak ditemukan."))
    return letter


@dataclass(frozen=True)
class VerifiedLetter:
    """What the public verification page may say: the letter exists, and who issued it — nothing personal."""

    number: str
    issued_on: date
    region_name: str
    service_name: str
    partner_name: str


def verify_letter(token: str) -> VerifiedLetter | None:
    """The current region's letter with this token, or None (unknown here, or another region's)."""
    if not token or len(token) > 64:
        return None
    letter = db.session.scalar(select(ReferralLetter).where(ReferralLetter.token == token))
    if letter is None:
        return None
    region = tenant_in_context()
    return VerifiedLetter(number=letter.number, issued_on=letter.issued_on, region_name=region.name,
                          service_name=region.service_name, partner_name=letter.partner_name)
