from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from app.accounts.auth import authorize_in_realm, realm
from app.accounts.models import User
from app.blueprints.auth import bp
from app.blueprints.auth.forms import LoginForm
from app.extensions import db, limiter
from app.tenants.context import current_tenant


def _landing():
    return url_for("home.dashboard") if current_tenant else url_for("platform.console")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in to this region (staff) or to the platform (administrators, auditors)."""
    if current_user.is_authenticated:
        return redirect(_landing())
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None or not user.active or not user.check_password(form.password.data):
            form.password.errors.append(_("Email atau kata sandi salah."))
        else:
            session_user = authorize_in_realm(user)
            if session_user is None:
                form.email.errors.append(
                    _("Akun ini tidak terdaftar di %(where)s.",
                      where=current_tenant.name if current_tenant else _("konsol nasional"))
                )
            else:
                session.clear()
                session["realm"] = realm()
                login_user(session_user)
                return redirect(_safe_next() or _landing())
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    # Only same-host paths: never an absolute URL to another host.
    if target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.post("/logout")
def logout():
    """End this session (CSRF-protected POST)."""
    logout_user()
    session.clear()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("home.index"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def accept_invitation(token):
    """Accept an invitation: set a password, then land logged in where the invitation is for."""
    from app.accounts.invitations import accept_invitation as accept, find_open_invitation
    from app.blueprints.auth.forms import AcceptInvitationForm
    from app.tenants.context import current_tenant_id

    invitation = find_open_invitation(token)
    # An invitation is valid only at the host it was made for (a region, or the apex).
    if invitation is None or invitation.tenant_id != current_tenant_id():
        return render_template("auth/invitation_invalid.html"), 404
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        invitation.name = form.name.data.strip()
        user = accept(invitation, form.password.data)
        user.name = invitation.name
        db.session.flush()
        session_user = authorize_in_realm(user)
        session.clear()
        session["realm"] = realm()
        login_user(session_user)
        flash(_("Selamat bergabung, %(name)s. Akun Anda sudah aktif.", name=user.name), "success")
        return redirect(_landing())
    status = 422 if request.method == "POST" else 200
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation), status
