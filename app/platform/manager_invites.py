"""A region's manager invitations from the console: invite, resend, revoke, replace, and the link.

The national administrator must be able to hand the first manager their link again while
it is pending (mail may not arrive), without storing anything that rebuilds it: the token
of a console invitation is derived from the application's secret key and the invitation's
id (HMAC), so the database alone — a backup, a leaked dump — cannot rebuild a link, and
only its hash is stored, as for every invitation (`app.accounts.invitations`).

Trust rules, as for every invitation: an existing account joins only with its own password
(`accept_invitation`), a deactivated one is refused; a link is shown only while its
invitation is open (never after it was used, revoked or expired); revoking kills the link
at once (`find_open_invitation` refuses it). Each change is a platform audit event.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.invitations import (
    VALID_FOR,
    Invitation,
    _hash,
    account_places,
    create_invitation,
    existing_account,
    invitation_url,
    send_invitation_mail,
)
from app.accounts.models import Membership
from app.extensions import db
from app.org.models import Position
from app.platform.audit import record_platform
from app.platform.operations import PlatformError
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow

#: The canonical role of the posts the console invites into (the region's manager).
MANAGER_ROLE = "manager"


def _token(invitation_id: uuid.UUID) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    mac = hmac.new(key, b"slrt-console-invitation:" + str(invitation_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def link_of(invitation: Invitation, tenant: Tenant) -> str | None:
    """The invitation's link while it is open and was made by the console; None otherwise."""
    if not invitation.is_open:
        return None
    token = _token(invitation.id)
    if not hmac.compare_digest(_hash(token), invitation.token_hash):
        return None  # a random token (made elsewhere): nothing can rebuild it
    return invitation_url(tenant, token)


def manager_positions(tenant: Tenant) -> list[Position]:
    """The region's manager posts in service (the first is the one the wizard invites into)."""
    with tenant_context(tenant):
        return list(db.session.scalars(select(Position).where(Position.role == MANAGER_ROLE,
                                                              Position.retired_at.is_(None))
                                       .order_by(Position.sort_order)))


def _position(tenant: Tenant, position_id) -> Position:
    found = next((p for p in manager_positions(tenant) if p.id == position_id), None)
    if found is None:
        raise PlatformError(_("Jabatan undangan ini sudah tidak ada; undang manajer baru."))
    return found


def create_manager_invitation(tenant: Tenant, position: Position, email: str, name: str, *,
                              invited_by=None) -> tuple[Invitation, str]:
    """An invitation into `position` whose link the console can show while it is open; mailed. Flushes."""
    return create_invitation(email, name, invited_by=invited_by, tenant=tenant, position=position,
                             token_from_id=_token)


@dataclass
class ManagerInvite:
    invitation: Invitation
    position_title: str
    link: str | None   # only for the national administrator, only while open


def manager_invitations(tenant: Tenant, *, with_links: bool) -> list[ManagerInvite]:
    """The region's invitations into manager posts, newest first (open or not)."""
    posts: dict = {p.id: p.title for p in manager_positions(tenant)}
    if not posts:
        return []
    rows = db.session.scalars(select(Invitation).where(Invitation.tenant_id == tenant.id,
                                                       Invitation.position_id.in_(posts))
                              .order_by(Invitation.created_at.desc()).limit(20))
    return [ManagerInvite(i, posts.get(i.position_id, ""),
                          link_of(i, tenant) if with_links else None) for i in rows]


def find_manager_invitation(tenant: Tenant, invitation_id) -> Invitation | None:
    """One of `tenant`'s manager invitations, or None (another region's, a staff one, unknown)."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.tenant_id != tenant.id:
        return None
    posts = {p.id for p in manager_positions(tenant)}
    return invitation if invitation.position_id in posts else None


def manager_notice(email: str) -> str | None:
    """What the administrator is told before inviting an email that already has an account."""
    account = existing_account(email) if email else None
    if account is None:
        return None
    places = "; ".join(account_places(account)) or _("tanpa jabatan aktif")
    return _("%(e)s sudah terdaftar di SLRT Cloud (%(places)s). Orang tersebut akan bergabung dengan akun yang "
             "sudah ada dengan kata sandinya sendiri; nama dan kata sandinya tidak berubah.", e=email, places=places)


def _check_invitee(tenant: Tenant, email: str, name: str, existing_ok: bool, replacing=None) -> None:
    if not name:
        raise PlatformError(_("Nama wajib diisi."), field="name")
    if not email or "@" not in email or len(email) > 254:
        raise PlatformError(_("Format email tidak sah."), field="email")
    account = existing_account(email)
    if account is not None and not account.active:
        raise PlatformError(_("Akun dengan email ini dinonaktifkan di platform; undangan tidak dapat "
                              "mengaktifkannya kembali. Gunakan email lain."), field="email")
    if account is not None:
        with tenant_context(tenant):
            here = db.session.scalar(select(Membership).where(Membership.user_id == account.id))
        if here is not None:
            raise PlatformError(_("%(e)s sudah menjadi staf di daerah ini.", e=email), field="email")
    open_same = db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.tenant_id == tenant.id, Invitation.email == email, Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow(),
        *([Invitation.id != replacing.id] if replacing is not None else [])))
    if open_same:
        raise PlatformError(_("Sudah ada undangan terbuka untuk %(e)s di daerah ini.", e=email), field="email")
    notice = manager_notice(email)
    if notice and not existing_ok:
        raise PlatformError(notice, field="existing")


def invite_manager(tenant: Tenant, email: str, name: str, *, invited_by, position_id=None,
                   existing_ok: bool = False) -> tuple[Invitation, str]:
    """Invite another manager (or the first one again) into a manager post of `tenant`."""
    email, name = (email or "").strip().lower(), (name or "").strip()
    posts = manager_positions(tenant)
    position = next((p for p in posts if str(p.id) == str(position_id)), posts[0] if posts else None)
    if position is None:
        raise PlatformError(_("Struktur daerah ini tidak memiliki jabatan manajer."))
    _check_invitee(tenant, email, name, existing_ok)
    invitation, link = create_manager_invitation(tenant, position, email, name, invited_by=invited_by)
    record_platform("region_manager.invite", tenant=tenant, object_type="invitation", object_id=invitation.id,
                    email=email, position=position.title, existing_account=existing_account(email) is not None)
    return invitation, link


def resend_manager_invitation(tenant: Tenant, invitation: Invitation, *, invited_by) -> tuple[Invitation, str]:
    """Mail the invitation again. An open console invitation keeps its link (valid again for the
    full period); one whose link cannot be rebuilt, or that expired, is replaced by a new one."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise PlatformError(_("Undangan ini sudah diterima atau dibatalkan; buat undangan baru."))
    link = link_of(invitation, tenant)
    if link is not None:
        invitation.expires_at = utcnow() + VALID_FOR
        send_invitation_mail(invitation, tenant, link)
        record_platform("region_manager.resend", tenant=tenant, object_type="invitation",
                        object_id=invitation.id, email=invitation.email)
        return invitation, link
    position = _position(tenant, invitation.position_id)
    if invitation.is_open:
        invitation.revoked_at = utcnow()
    new, link = create_manager_invitation(tenant, position, invitation.email, invitation.name, invited_by=invited_by)
    record_platform("region_manager.resend", tenant=tenant, object_type="invitation", object_id=new.id,
                    email=new.email, replaces=str(invitation.id))
    return new, link


def revoke_manager_invitation(tenant: Tenant, invitation: Invitation) -> None:
    """Withdraw an open invitation: its link stops working at once."""
    if not invitation.is_open:
        raise PlatformError(_("Undangan ini sudah tidak terbuka."))
    invitation.revoked_at = utcnow()
    record_platform("region_manager.revoke", tenant=tenant, object_type="invitation",
                    object_id=invitation.id, email=invitation.email)


def replace_manager_invitation(tenant: Tenant, invitation: Invitation, email: str, name: str, *, invited_by,
                               existing_ok: bool = False) -> tuple[Invitation, str]:
    """Invite someone else (or the same person at a corrected address) in place of `invitation`,
    which is revoked if still open."""
    email, name = (email or "").strip().lower(), (name or "").strip()
    if invitation.accepted_at is not None:
        raise PlatformError(_("Undangan ini sudah diterima; undang manajer lain bila perlu."))
    _check_invitee(tenant, email, name, existing_ok, replacing=invitation)
    position = _position(tenant, invitation.position_id)
    if invitation.is_open:
        invitation.revoked_at = utcnow()
    new, link = create_manager_invitation(tenant, position, email, name, invited_by=invited_by)
    record_platform("region_manager.replace", tenant=tenant, object_type="invitation", object_id=new.id,
                    email=email, replaces=str(invitation.id), before=invitation.email)
    return new, link
