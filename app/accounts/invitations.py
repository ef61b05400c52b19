"""Invitations: a person is invited by email and sets their own password.

Staff are invited by a region's manager into a position (with areas for supervisors and
facilitators); the first manager of a new region and platform users are invited by the
national administrator. The link is sent through the outbox (`app.accounts.outbox`).
Only a hash of the token is stored; links expire.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Optional

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import JSON, DateTime, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import Membership, MembershipArea, User
from app.extensions import db
from app.tenants.context import tenant_context
from app.tenants.models import Tenant, utcnow

VALID_FOR = timedelta(days=7)


class Invitation(db.Model):
    """A pending invitation (platform table: it may be for a region or for the platform)."""

    __tablename__ = "invitations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("tenants.id"))
    position_id: Mapped[Optional[uuid.UUID]] = mapped_column()
    areas: Mapped[list] = mapped_column(JSON, default=list)  # [[district_code, village_code|None], …]
    platform_role: Mapped[Optional[str]] = mapped_column(String(30))
    invited_by: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    @property
    def is_open(self) -> bool:
        expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=utcnow().tzinfo)
        return self.accepted_at is None and self.revoked_at is None and expires > utcnow()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(tenant: Tenant | None, token: str) -> str:
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    base = current_app.config["BASE_DOMAIN"]
    host = f"{tenant.slug}.{base}" if tenant else base
    return f"{scheme}://{host}/invite/{token}"


def create_invitation(email: str, name: str, *, invited_by=None, tenant: Tenant | None = None,
                      position=None, areas=(), platform_role: str | None = None) -> tuple[Invitation, str]:
    """Create an invitation and queue its email; returns (invitation, link). Flushes only."""
    from app.accounts.outbox import send_email

    token = secrets.token_urlsafe(32)
    invitation = Invitation(token_hash=_hash(token), email=email.strip().lower(), name=name.strip(),
                            tenant_id=tenant.id if tenant else None,
                            position_id=position.id if position is not None else None,
                            areas=[list(a) for a in areas], platform_role=platform_role,
                            invited_by=getattr(invited_by, "id", invited_by), expires_at=utcnow() + VALID_FOR)
    db.session.add(invitation)
    db.session.flush()
    link = invitation_url(tenant, token)
    where = tenant.service_name + " " + tenant.name if tenant else "SLRT Cloud"
    send_email(invitation.email, _("Undangan bergabung dengan %(where)s", where=where),
               _("Yth. %(name)s,\n\nAnda diundang bergabung dengan %(where)s. Buka tautan berikut untuk "
                 "membuat kata sandi (berlaku 7 hari):\n\n%(link)s\n", name=invitation.name, where=where, link=link),
               tenant_id=invitation.tenant_id)
    return invitation, link


def find_open_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    return invitation if invitation is not None and invitation.is_open else None


def accept_invitation(invitation: Invitation, password: str) -> User:
    """Create (or reuse) the user, set the password, grant the membership or platform role."""
    user = db.session.scalar(select(User).where(User.email == invitation.email))
    if user is None:
        user = User(email=invitation.email, name=invitation.name)
        db.session.add(user)
    user.set_password(password)
    user.active = True
    if invitation.platform_role:
        user.platform_role = invitation.platform_role
    db.session.flush()
    if invitation.tenant_id and invitation.position_id:
        tenant = db.session.get(Tenant, invitation.tenant_id)
        with tenant_context(tenant):
            membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
            if membership is None:
                membership = Membership(user_id=user.id, position_id=invitation.position_id)
                db.session.add(membership)
            membership.position_id, membership.active = invitation.position_id, True
            membership.areas.clear()
            db.session.flush()
            for district, village in invitation.areas:
                membership.areas.append(MembershipArea(district_code=district, village_code=village))
            db.session.flush()
    invitation.accepted_at = utcnow()
    return user
