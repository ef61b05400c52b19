"""Invitations: a person is invited by email and joins with a new or an existing account.

Staff are invited by a region's manager into a position (with areas for supervisors and
facilitators); the first manager of a new region and platform users are invited by the
national administrator. The link is sent through the outbox (`app.accounts.outbox`).
Only a hash of the token is stored (in the invitation and in the outbox); links expire.

Accepting never takes an account over: for an email that already has an account the
person proves it is theirs with its existing password, and only the membership (or the
platform role) is added: its password, name and active flag stay as they are. A brand-new
email creates the account with the password chosen on the invitation page.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import JSON, DateTime, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import Membership, MembershipArea, User
from app.errors import Invalid
from app.extensions import Model, db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow

VALID_FOR = timedelta(days=7)


class Invitation(Model):
    """A pending invitation (platform table: it may be for a region or for the platform)."""

    __tablename__ = "invitations"
    __platform_table__ = ("looked up by token hash before login and before any session exists; "
                          "tenant_id is NULL for platform invitations, so it cannot own the row")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"))
    position_id: Mapped[uuid.UUID | None] = mapped_column()
    areas: Mapped[list] = mapped_column(JSON, default=list)  # [[district_code, village_code|None], …]
    platform_role: Mapped[str | None] = mapped_column(String(30))
    #: An invitation to be an officer of this partner of the region (not a staff post).
    partner_id: Mapped[uuid.UUID | None] = mapped_column()
    invited_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

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


class InvitationRefused(Invalid):
    """Accepting was refused; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "password"):
        super().__init__(message, {field: [message]})
        self.field = field


def existing_account(email: str) -> User | None:
    """The account that already uses `email` (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def account_places(user: User) -> list[str]:
    """Where an account is in use, for the national administrator only (never shown to a
    region): its platform role and its active posts, e.g. `Manajer SLRT, Kabupaten Cianjur`."""
    from app.org.models import Position
    from app.tenancy.context import ALL_TENANTS

    roles = {"national_admin": _("administrator nasional"), "auditor": _("auditor")}
    places = [roles.get(user.platform_role or "", "")]
    rows = db.session.execute(
        select(Position.title, Tenant.name).select_from(Membership)
        .join(Position, (Position.tenant_id == Membership.tenant_id) & (Position.id == Membership.position_id))
        .join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.user_id == user.id, Membership.active.is_(True)).order_by(Tenant.name)
        .execution_options(**{ALL_TENANTS: True}))
    return [p for p in places if p] + [f"{title}, {region}" for title, region in rows]


def create_invitation(email: str, name: str, *, invited_by=None, tenant: Tenant | None = None,
                      position=None, areas=(), platform_role: str | None = None,
                      partner=None, token_from_id: Callable[[uuid.UUID], str] | None = None
                      ) -> tuple[Invitation, str]:
    """Create an invitation and queue its email; returns (invitation, link). Flushes only.

    The link exists only in the message handed to the outbox and in the return value
    (shown once to the inviter); nothing stored can rebuild it. `token_from_id` replaces the
    random token with one derived from the invitation's id by a secret the database does not
    hold (the console's manager invitations, `app.platform.manager_invites`)."""
    invitation_id = uuid.uuid4()
    token = token_from_id(invitation_id) if token_from_id else secrets.token_urlsafe(32)
    invitation = Invitation(id=invitation_id, token_hash=_hash(token), email=email.strip().lower(),
                            name=name.strip(), tenant_id=tenant.id if tenant else None,
                            position_id=position.id if position is not None else None,
                            areas=[list(a) for a in areas], platform_role=platform_role,
                            partner_id=partner.id if partner is not None else None,
                            invited_by=getattr(invited_by, "id", invited_by), expires_at=utcnow() + VALID_FOR)
    db.session.add(invitation)
    db.session.flush()
    link = invitation_url(tenant, token)
    send_invitation_mail(invitation, tenant, link)
    return invitation, link


def send_invitation_mail(invitation: Invitation, tenant: Tenant | None, link: str) -> None:
    """Queue the invitation's email with `link` (in the recipient's language; the link is never stored)."""
    from app.accounts.mail_templates import recipient_locale, render_mail
    from app.accounts.outbox import send_mail

    where = tenant.service_name + " " + tenant.name if tenant else "SLRT Cloud"
    locale = recipient_locale(invitation.email)
    text, html = render_mail("invitation", locale, name=invitation.name, where=where, link=link)
    with force_locale(locale):
        subject = _("Undangan bergabung dengan %(where)s", where=where)
    send_mail(invitation.email, subject, text, html, tenant_id=invitation.tenant_id, locale=locale, secret=link)


def find_open_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    return invitation if invitation is not None and invitation.is_open else None


def accept_invitation(invitation: Invitation, password: str, *, name: str | None = None) -> tuple[User, bool]:
    """Accept: join the existing account for the email (proved by its own password, as at the
    login) or create a new one with `password`. Returns (user, joined_existing). Flushes only;
    raises `InvitationRefused` and changes nothing when refused."""
    user = existing_account(invitation.email)
    joined = user is not None
    if user is not None:
        _prove_owner(user, password)
    else:
        invitation.name = (name or invitation.name).strip()
        _check_new_password(password, [invitation.email, invitation.name])
        user = User(email=invitation.email, name=invitation.name)
        user.set_password(password)
        db.session.add(user)
    if invitation.platform_role and not user.platform_role:
        user.platform_role = invitation.platform_role
    db.session.flush()
    _grant_membership(invitation, user)
    invitation.accepted_at = utcnow()
    _record_acceptance(invitation, user, joined)
    return user, joined


def _check_new_password(password: str, context: list[str]) -> None:
    """The password policy of `app.accounts.passwords` (the form checks it too)."""
    from app.accounts.passwords import password_problem

    problem = password_problem(password or "", context)
    if problem:
        raise InvitationRefused(problem)


def _prove_owner(user: User, password: str) -> None:
    """Only the account's owner may add it somewhere; a platform-deactivated account stays out."""
    if not user.check_password(password or ""):
        raise InvitationRefused(_("Kata sandi salah. Masukkan kata sandi akun SLRT Cloud Anda yang sudah ada."))
    if not user.active:
        raise InvitationRefused(_("Akun ini dinonaktifkan oleh administrator SLRT Cloud, sehingga undangan "
                                  "tidak dapat diterima. Hubungi administrator nasional."))


def _grant_membership(invitation: Invitation, user: User) -> None:
    """The invited post in the invitation's region (a platform invitation has none), or the
    partner officer's place for a partner invitation."""
    position_id = invitation.position_id
    tenant = db.session.get(Tenant, invitation.tenant_id) if invitation.tenant_id else None
    if tenant is not None and invitation.partner_id is not None:
        from app.accounts.partner_members import grant_partner_membership

        with tenant_context(tenant):
            grant_partner_membership(user.id, invitation.partner_id)
        return
    if tenant is None or position_id is None:
        return
    with tenant_context(tenant):
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        if membership is None:
            membership = Membership(user_id=user.id, position_id=position_id)
            db.session.add(membership)
        membership.position_id, membership.active = position_id, True
        membership.areas.clear()
        db.session.flush()
        for district, village in invitation.areas:
            membership.areas.append(MembershipArea(district_code=district, village_code=village))
        db.session.flush()


def _record_acceptance(invitation: Invitation, user: User, joined: bool) -> None:
    """Audit: region invitations in the region's log, platform ones in the platform's; the
    person accepting is the actor (they are not logged in yet)."""
    from app.audit.log import record
    from app.platform.audit import record_platform

    detail = {"email": user.email, "account": "existing" if joined else "new"}
    if invitation.tenant_id:
        with tenant_context(db.session.get(Tenant, invitation.tenant_id)):
            event = record("config.staff.invitation_accept", "invitation", invitation.id, **detail)
            event.user_id, event.actor = user.id, user.email
            from app.notices.triggers import invitation_accepted

            invitation_accepted(invitation.invited_by, user, invitation.id)
            db.session.flush()
    else:
        platform_event = record_platform("platform_user.invitation_accept", object_type="invitation",
                                         object_id=invitation.id, role=invitation.platform_role, **detail)
        platform_event.user_id, platform_event.actor = user.id, user.email
