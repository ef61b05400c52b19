"""Partner officers: a user who answers, for one partner of a region, the referrals addressed to it.

A partner membership is not a staff membership: it opens the partner portal (`/partner/`) of
that region and nothing else (`app.accounts.auth.staff_required` refuses it).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import Model, db
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow


class PartnerMembership(TenantOwned, Model):
    """A user acting as an officer of one partner (an OPD, hospital, ministry office, NGO) of the region."""

    __tablename__ = "partner_memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"), tenant_fk("partner_id", "partners"))

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    partner_id: Mapped[uuid.UUID] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()


def partner_membership_for(user_id: uuid.UUID) -> PartnerMembership | None:
    """The user's active partner membership in the current region (tenant-scoped query)."""
    return db.session.scalar(select(PartnerMembership).where(PartnerMembership.user_id == user_id,
                                                              PartnerMembership.active.is_(True)))


def grant_partner_membership(user_id: uuid.UUID, partner_id: uuid.UUID) -> PartnerMembership:
    """Make the user an active officer of the partner (in the current region). Flushes."""
    found = db.session.scalar(select(PartnerMembership).where(PartnerMembership.user_id == user_id))
    if found is None:
        found = PartnerMembership(user_id=user_id, partner_id=partner_id)
        db.session.add(found)
    found.partner_id, found.active = partner_id, True
    db.session.flush()
    return found


def invite_partner_officer(partner, *, email: str, name: str, invited_by=None):
    """Invite a person as an officer of `partner` (current region); returns (invitation, link).
    Staff of the region and existing officers are refused at the email field (`Invalid`). An email
    with an account elsewhere joins that account on acceptance, with its own password."""
    from flask_babel import gettext as _
    from sqlalchemy import func

    from app.accounts.invitations import Invitation, create_invitation
    from app.accounts.models import Membership
    from app.audit.log import record
    from app.errors import Invalid
    from app.tenancy.context import tenant_in_context

    email, name = email.strip().lower(), " ".join(name.split())
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    errors: dict[str, list[str]] = {}
    if user is not None and db.session.scalar(select(Membership.id).where(Membership.user_id == user.id)):
        errors["email"] = [_("%(e)s adalah staf daerah ini; staf tidak dapat sekaligus menjadi petugas lembaga.",
                             e=email)]
    elif user is not None and partner_membership_for(user.id) is not None:
        errors["email"] = [_("%(e)s sudah menjadi petugas lembaga mitra di daerah ini.", e=email)]
    region = tenant_in_context()
    pending = db.session.scalar(select(Invitation.id).where(Invitation.tenant_id == region.id,
                                                            Invitation.email == email,
                                                            Invitation.accepted_at.is_(None),
                                                            Invitation.revoked_at.is_(None)))
    if not errors and pending is not None:
        errors["email"] = [_("Sudah ada undangan terbuka untuk %(e)s.", e=email)]
    if not name:
        errors["name"] = [_("Nama wajib diisi.")]
    if errors:
        raise Invalid(errors=errors)
    invitation, link = create_invitation(email, name, tenant=region, partner=partner, invited_by=invited_by)
    record("config.partner.invite_officer", "partner", partner.id, email=email, name=name)
    return invitation, link


def partner_officers(partner_id) -> list[PartnerMembership]:
    """The partner's officers (current region), active first."""
    return list(db.session.scalars(select(PartnerMembership).where(PartnerMembership.partner_id == partner_id)
                                   .order_by(PartnerMembership.active.desc(), PartnerMembership.created_at)))
