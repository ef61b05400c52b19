"""Platform users: national administrators and auditors, invited and deactivated here."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.auth import platform_required
from app.accounts.models import User
from app.blueprints.platform import bp
from app.blueprints.platform.forms import ROLE_LABELS, DeactivateForm, InviteUserForm
from app.extensions import db
from app.platform.operations import (
    PlatformError,
    deactivate_platform_user,
    invite_platform_user,
    open_platform_invitations,
    platform_users,
    reactivate_platform_user,
)
from app.tenancy.reads import reads_primary


def _render(form: InviteUserForm | None = None, status: int = 200):
    return render_template("platform/users.html", users=platform_users(), invitations=open_platform_invitations(),
                           form=form or InviteUserForm(formdata=None), deactivate_form=DeactivateForm(formdata=None),
                           role_labels=ROLE_LABELS), status


@bp.get("/users")
@reads_primary
@platform_required("national_admin")
def users():
    """Platform users with their role and status, open invitations, and the invite form."""
    return _render()


@bp.post("/users")
@platform_required("national_admin")
def invite_user():
    """Invite a national administrator or an auditor by email."""
    form = InviteUserForm()
    if form.validate_on_submit():
        try:
            invitation, link = invite_platform_user(form.email.data, form.name.data, form.role.data,
                                                    invited_by=current_user.user)
        except PlatformError as exc:
            form[exc.field or "email"].errors = [exc.message]
        else:
            assert invitation.platform_role is not None  # invite_platform_user sets the role it was given
            flash(_("Undangan sebagai %(role)s dikirim ke %(email)s.", role=ROLE_LABELS[invitation.platform_role],
                    email=invitation.email), "success")
            if not current_app.config.get("MAIL_SMTP_URL"):
                flash(_("Belum ada server email: berikan tautan undangan ini: %(link)s", link=link), "info")
            return redirect(url_for("platform.users"))
    return _render(form, 422)


def _change_status(user_id, operation, done: str):
    """Run `operation` on a platform user (404 for anyone else), then back to the list."""
    user = db.one_or_404(select(User).where(User.id == user_id, User.platform_role.is_not(None),
                                            User.platform_role != ""))
    if not DeactivateForm().validate_on_submit():
        abort(400)
    try:
        operation(user, by=current_user.user)
    except PlatformError as exc:
        flash(exc.message, "warning")
    else:
        flash(done % {"email": user.email}, "success")
    return redirect(url_for("platform.users"))


@bp.post("/users/<uuid:user_id>/deactivate")
@platform_required("national_admin")
def deactivate_user(user_id):
    """Deactivate a platform user: every session of theirs ends at once."""
    return _change_status(user_id, deactivate_platform_user, _("Akun %(email)s dinonaktifkan."))


@bp.post("/users/<uuid:user_id>/reactivate")
@platform_required("national_admin")
def reactivate_user(user_id):
    """Reactivate a platform user deactivated here; they log in with their own password."""
    return _change_status(user_id, reactivate_platform_user, _("Akun %(email)s aktif kembali."))
