"""Rescuing a region from the console: its managers' invitations and its former subdomains.

The national administrator invites another manager, resends, revokes or replaces a manager's
invitation (the link stays on the region page while it is pending), and removes a former
subdomain that should stop redirecting. Auditors get 403; region staff never reach the apex.
"""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.blueprints.platform.forms import ActionForm, ManagerInviteForm
from app.blueprints.platform.regions import _load, _render_region
from app.extensions import db
from app.platform import manager_invites as invites
from app.platform import operations as ops
from app.platform.operations import PlatformError
from app.tenancy.models import Tenant, TenantAlias

ADMIN = "national_admin"


def _back(tenant: Tenant):
    return redirect(url_for("platform.region", tenant_id=tenant.id) + "#managers")


def _invitation(tenant: Tenant, invitation_id):
    invitation = invites.find_manager_invitation(tenant, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _form_error(tenant: Tenant, form: ManagerInviteForm, exc: PlatformError, replacing=None):
    if exc.field == "existing":  # shown once; submitting the same email again confirms
        form.existing_ok.data = (form.email.data or "").strip().lower()
        form.email.errors = [exc.message]
    elif exc.field in ("name", "email"):
        form[exc.field].errors = [exc.message]
    else:
        form.email.errors = [exc.message]
    if replacing is not None:
        return _render_region(tenant, 422, replace_form=form, replacing=replacing)
    return _render_region(tenant, 422, invite_form=form)


def _existing_ok(form: ManagerInviteForm) -> bool:
    email = (form.email.data or "").strip().lower()
    return bool(email) and form.existing_ok.data == email


@bp.post("/regions/<uuid:tenant_id>/managers")
@platform_required(ADMIN)
def invite_manager(tenant_id):
    """Invite a (further) manager of the region."""
    tenant = _load(tenant_id)
    form = ManagerInviteForm()
    form.position_id.choices = [(str(p.id), p.title) for p in invites.manager_positions(tenant)]
    if not form.validate_on_submit():
        return _render_region(tenant, 422, invite_form=form)
    try:
        invitation, _link = invites.invite_manager(tenant, form.email.data or "", form.name.data or "",
                                                   invited_by=current_user.user, position_id=form.position_id.data,
                                                   existing_ok=_existing_ok(form))
    except PlatformError as exc:
        return _form_error(tenant, form, exc)
    flash(_("Undangan untuk %(e)s dikirim; tautannya ada di bawah selama undangan terbuka.", e=invitation.email),
          "success")
    return _back(tenant)


@bp.post("/regions/<uuid:tenant_id>/invitations/<uuid:invitation_id>/resend")
@platform_required(ADMIN)
def resend_invitation(tenant_id, invitation_id):
    """Mail a manager's invitation again (a new link if the old one cannot be shown)."""
    tenant = _load(tenant_id)
    invitation = _invitation(tenant, invitation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        new, _link = invites.resend_manager_invitation(tenant, invitation, invited_by=current_user.user)
    except PlatformError as exc:
        flash(exc.message, "warning")
        return _back(tenant)
    flash(_("Undangan untuk %(e)s dikirim ulang.", e=new.email) if new.id == invitation.id else
          _("Undangan untuk %(e)s dikirim ulang dengan tautan baru; tautan lama tidak berlaku.", e=new.email),
          "success")
    return _back(tenant)


@bp.post("/regions/<uuid:tenant_id>/invitations/<uuid:invitation_id>/revoke")
@platform_required(ADMIN)
def revoke_invitation(tenant_id, invitation_id):
    """Withdraw a manager's invitation: its link stops working at once."""
    tenant = _load(tenant_id)
    invitation = _invitation(tenant, invitation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        invites.revoke_manager_invitation(tenant, invitation)
    except PlatformError as exc:
        flash(exc.message, "warning")
        return _back(tenant)
    flash(_("Undangan untuk %(e)s dibatalkan; tautannya tidak berlaku lagi.", e=invitation.email), "success")
    return _back(tenant)


@bp.post("/regions/<uuid:tenant_id>/invitations/<uuid:invitation_id>/replace")
@platform_required(ADMIN)
def replace_invitation(tenant_id, invitation_id):
    """Invite someone else (or a corrected address) in place of a manager's invitation."""
    tenant = _load(tenant_id)
    invitation = _invitation(tenant, invitation_id)
    form = ManagerInviteForm(prefix="replace")
    if not form.validate_on_submit():
        return _render_region(tenant, 422, replace_form=form, replacing=invitation.id)
    try:
        new, _link = invites.replace_manager_invitation(tenant, invitation, form.email.data or "",
                                                        form.name.data or "", invited_by=current_user.user,
                                                        existing_ok=_existing_ok(form))
    except PlatformError as exc:
        return _form_error(tenant, form, exc, replacing=invitation.id)
    flash(_("Undangan untuk %(old)s diganti dengan undangan untuk %(e)s.", old=invitation.email, e=new.email),
          "success")
    return _back(tenant)


@bp.post("/regions/<uuid:tenant_id>/aliases/<uuid:alias_id>/remove")
@platform_required(ADMIN)
def remove_alias(tenant_id, alias_id):
    """A former subdomain stops redirecting (and may be taken by any region)."""
    tenant = _load(tenant_id)
    alias = db.one_or_404(select(TenantAlias).where(TenantAlias.id == alias_id,
                                                    TenantAlias.tenant_id == tenant.id))
    if not ActionForm().validate_on_submit():
        abort(400)
    ops.remove_alias(tenant, alias)
    flash(_("Alamat lama '%(s)s' tidak dialihkan lagi.", s=alias.old_slug), "success")
    return redirect(url_for("platform.region", tenant_id=tenant.id))
