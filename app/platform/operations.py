"""Business actions of the national administrator: region lifecycle and platform users.

Each action checks its preconditions, changes what it must, records a platform audit
event and flushes nothing itself; the request commits (one transaction per request).
Refusals raise `PlatformError` with the field the message belongs to.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.invitations import Invitation, create_invitation, existing_account
from app.accounts.models import PLATFORM_ROLES, User
from app.accounts.sessions import DEACTIVATED, end_sessions
from app.errors import Invalid
from app.extensions import db
from app.platform.audit import record_platform
from app.tenancy.models import Tenant, TenantAlias, TenantStatus, utcnow
from app.tenants.template import RESERVED_SLUGS, SLUG_RE


class PlatformError(Invalid):
    """An action was refused; `field` names the form field the message belongs to ("" = the whole form)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message, {field: [message]})
        self.field = field


def slug_problem(slug: str, tenant: Tenant | None = None) -> str | None:
    """Why `slug` can't be a subdomain (for `tenant`, if it is being renamed), or None."""
    if not slug:
        return _("Subdomain wajib diisi.")
    if not SLUG_RE.match(slug):
        return _("Gunakan huruf kecil, angka dan tanda hubung (tidak di awal atau akhir), paling banyak 63 karakter.")
    if slug in RESERVED_SLUGS:
        return _("Subdomain '%(s)s' dicadangkan untuk platform.", s=slug)
    owner = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if owner is not None:
        if tenant is not None and owner.id == tenant.id:
            return _("Ini subdomain daerah ini sekarang.")
        return _("Subdomain '%(s)s' sudah dipakai %(name)s.", s=slug, name=owner.name)
    alias = db.session.scalar(select(TenantAlias).where(TenantAlias.old_slug == slug))
    if alias is not None and (tenant is None or alias.tenant_id != tenant.id):
        return _("Subdomain '%(s)s' pernah dipakai %(name)s dan masih dialihkan ke sana.",
                 s=slug, name=alias.tenant.name)
    return None


def activate_region(tenant: Tenant, *, confirmed: bool = False, reason: str = "") -> str:
    """Put a region live (from onboarding) or back in service (from suspended).

    Going live the first time needs the administrator's confirmation of the readiness
    checklist (`app.platform.readiness`); while it has problems (posts unstaffed, a channel
    nobody can use, places nobody covers) it needs a reason too, kept in the audit event."""
    from app.platform.readiness import region_readiness

    previous = tenant.status
    if previous == TenantStatus.ACTIVE.value:
        raise PlatformError(_("%(name)s sudah aktif.", name=tenant.name))
    detail: dict = {}
    if previous == TenantStatus.ONBOARDING.value:
        if not confirmed:
            raise PlatformError(_("Centang konfirmasi bahwa daftar periksa sudah dibaca."), field="confirm")
        problems = region_readiness(tenant).problems
        reason = (reason or "").strip()
        if problems and not reason:
            raise PlatformError(_("Daftar periksa belum lengkap: tuliskan alasan untuk tetap mengaktifkan."),
                                field="reason")
        if problems:
            detail = {"override": reason, "problems": problems}
    tenant.status = TenantStatus.ACTIVE.value
    action = "region.reactivate" if previous == TenantStatus.SUSPENDED.value else "region.activate"
    record_platform(action, tenant=tenant, object_type="tenant", object_id=tenant.id, before=previous, **detail)
    return action


def suspend_region(tenant: Tenant, reason: str = "") -> None:
    """Take a region out of service; its staff see a notice page. Nothing is deleted."""
    if tenant.status == TenantStatus.SUSPENDED.value:
        raise PlatformError(_("%(name)s sudah ditangguhkan.", name=tenant.name))
    previous = tenant.status
    tenant.status = TenantStatus.SUSPENDED.value
    record_platform("region.suspend", tenant=tenant, object_type="tenant", object_id=tenant.id,
                    before=previous, reason=reason.strip())


def rename_subdomain(tenant: Tenant, new_slug: str) -> str:
    """Move a region to `new_slug`; the old subdomain keeps redirecting. Returns the old slug."""
    new_slug = (new_slug or "").strip().lower()
    problem = slug_problem(new_slug, tenant)
    if problem:
        raise PlatformError(problem, field="slug")
    old = tenant.slug
    reclaimed = db.session.scalar(select(TenantAlias).where(TenantAlias.old_slug == new_slug))
    if reclaimed is not None:  # going back to one of its own former names
        db.session.delete(reclaimed)
        db.session.flush()
    db.session.add(TenantAlias(old_slug=old, tenant_id=tenant.id))
    tenant.slug = new_slug
    db.session.flush()
    record_platform("region.rename", tenant=tenant, object_type="tenant", object_id=tenant.id,
                    before=old, after=new_slug)
    return old


def remove_alias(tenant: Tenant, alias: TenantAlias) -> None:
    """Stop redirecting a former subdomain; the name becomes free for any region."""
    if alias.tenant_id != tenant.id:
        raise PlatformError(_("Alamat lama ini bukan milik %(name)s.", name=tenant.name))
    old = alias.old_slug
    db.session.delete(alias)
    db.session.flush()
    record_platform("region.alias_remove", tenant=tenant, object_type="tenant", object_id=tenant.id, before=old)


def platform_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.platform_role.is_not(None))
                                   .order_by(User.active.desc(), User.name)))


def open_platform_invitations() -> list[Invitation]:
    rows = db.session.scalars(select(Invitation).where(
        Invitation.tenant_id.is_(None), Invitation.platform_role.is_not(None), Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow()).order_by(Invitation.created_at.desc()))
    return list(rows)


def invite_platform_user(email: str, name: str, role: str, *, invited_by) -> tuple[Invitation, str]:
    """Invite a national administrator or auditor by email; returns (invitation, link). An
    existing account joins with its own password on acceptance; a deactivated one is refused."""
    email = email.strip().lower()
    if role not in PLATFORM_ROLES:
        raise PlatformError(_("Pilih peran yang tersedia."), field="role")
    existing = existing_account(email)
    if existing is not None and not existing.active:
        # An invitation never reopens an account: it would be accepted with the old password.
        raise PlatformError(_("Akun %(email)s dinonaktifkan; undangan tidak mengaktifkannya kembali.",
                              email=email), field="email")
    if existing is not None and existing.platform_role:
        raise PlatformError(_("%(email)s sudah menjadi pengguna platform.", email=email), field="email")
    invitation, link = create_invitation(email, name, invited_by=invited_by, platform_role=role)
    record_platform("platform_user.invite", object_type="invitation", object_id=invitation.id,
                    email=email, role=role, existing_account=existing is not None)
    return invitation, link


def deactivate_platform_user(user: User, *, by: User) -> None:
    """End a platform user's access at once: every session ends, login is refused."""
    if user.id == by.id:
        raise PlatformError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if not user.platform_role:
        raise PlatformError(_("Akun ini bukan pengguna platform."))
    if not user.active:
        raise PlatformError(_("Akun ini sudah nonaktif."))
    user.active = False
    end_sessions(user.id, DEACTIVATED)
    record_platform("platform_user.deactivate", object_type="user", object_id=user.id,
                    email=user.email, role=user.platform_role)


def reactivate_platform_user(user: User, *, by: User) -> None:
    """Give a deactivated platform user their access back; they log in with their old password.

    Only the national administrator does this: no region and no invitation can reopen an account.
    """
    if not user.platform_role:
        raise PlatformError(_("Akun ini bukan pengguna platform."))
    if user.active:
        raise PlatformError(_("Akun ini masih aktif."))
    user.active = True
    record_platform("platform_user.reactivate", object_type="user", object_id=user.id,
                    email=user.email, role=user.platform_role)
