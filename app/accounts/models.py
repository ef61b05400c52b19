"""Users (platform-wide identities) and memberships (a post held in one region)."""
from __future__ import annotations

import contextlib
import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.tenancy.models import TenantOwned, utcnow

if TYPE_CHECKING:  # the other side of a relationship, resolved by name at run time
    from app.org.models import Position
    from app.reference.models import District, Village

_hasher = PasswordHasher()


def configure_hasher(config) -> None:
    """Argon2 parameters from the config (tests use cheap ones; production keeps the library's)."""
    global _hasher
    params = config.get("ARGON2_PARAMS")
    _hasher = PasswordHasher(**params) if params else PasswordHasher()

PLATFORM_ROLES = ("national_admin", "auditor")


class User(Model):
    """A person who can log in. Staff reach a region only through a membership there."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    platform_role: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The UI language this person chose ('id' | 'en'); None = follow the browser.
    locale: Mapped[str | None] = mapped_column(String(8))

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


_dummy_hash: tuple[object, str] | None = None


def verify_against_dummy(password: str) -> bool:
    """Spend one real verification on a throwaway hash and fail: an unknown email (or an
    account without a password) costs as much time as a wrong password for a real one."""
    global _dummy_hash
    if _dummy_hash is None or _dummy_hash[0] is not _hasher:
        _dummy_hash = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_dummy_hash[1], password)
    return False


class UserSession(Model):
    """One logged-in browser, server side: the cookie holds only a random token whose hash is
    `token_hash`. A platform table (not tenant-scoped); `realm` is the tenant id as text, or
    'platform'. A session counts only while it is open, recently used and not too old."""

    __tablename__ = "user_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    realm: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class Membership(TenantOwned, Model):
    """A user holding a position in one region; areas for supervisors and facilitators."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        ForeignKeyConstraint(
            ["tenant_id", "position_id"], ["positions.tenant_id", "positions.id"]
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    position_id: Mapped[uuid.UUID] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The civil servant's NIP (18 digits; "" = none), printed under the approver's name on referral letters.
    nip: Mapped[str] = mapped_column(String(18), default="", server_default="")

    user: Mapped[User] = relationship()
    position: Mapped[Position] = relationship(
        primaryjoin="and_(Membership.tenant_id == Position.tenant_id, "
        "foreign(Membership.position_id) == Position.id)",
        back_populates="memberships",
    )
    areas: Mapped[list[MembershipArea]] = relationship(
        primaryjoin="and_(MembershipArea.tenant_id == Membership.tenant_id, "
        "foreign(MembershipArea.membership_id) == Membership.id)",
        back_populates="membership",
        cascade="all, delete-orphan",
    )

    @property
    def role(self) -> str:
        return self.position.role


class MembershipArea(TenantOwned, Model):
    """A district (supervisor) or village (facilitator) a member works in."""

    __tablename__ = "membership_areas"
    __table_args__ = (
        UniqueConstraint("tenant_id", "membership_id", "district_code", "village_code"),
        ForeignKeyConstraint(
            ["tenant_id", "membership_id"], ["memberships.tenant_id", "memberships.id"]
        ),
    )

    membership_id: Mapped[uuid.UUID] = mapped_column()
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    village_code: Mapped[str | None] = mapped_column(ForeignKey("villages.code"))

    membership: Mapped[Membership] = relationship(
        primaryjoin="and_(MembershipArea.tenant_id == Membership.tenant_id, "
        "foreign(MembershipArea.membership_id) == Membership.id)",
        back_populates="areas",
    )
    district: Mapped[District] = relationship()
    village: Mapped[Village | None] = relationship()
