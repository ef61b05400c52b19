"""Logging in and out, changing one's password, and accepting an invitation."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.accounts.auth import authenticate, start_session
from app.accounts.passwords import PasswordError
from app.accounts.passwords import change_password as change_own_password
from app.accounts.sessions import ENDED_KEY, end_session, ended_message
from app.blueprints.auth import bp
from app.blueprints.auth.forms import ChangePasswordForm, LoginForm
from app.extensions import limiter
from app.platform.audit import record_here
from app.tenancy.context import current_tenant


def _landing():
    if current_tenant and getattr(current_user, "partner", None) is not None:
        return url_for("partner.index")  # a partner officer has the partner portal and nothing else
    return url_for("home.dashboard") if current_tenant else url_for("platform.console")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """Per-account limit: the typed email, whichever address the attempts come from."""
    return "login-account:" + request.form.get("email", "").strip().lower()


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    """Log in to this region (staff) or to the platform (administrators, auditors)."""
    if current_user.is_authenticated:
        return redirect(_landing())
    form = LoginForm()
    if form.validate_on_submit():
        typed = form.email.data.strip().lower()
        user = authenticate(typed, form.password.data)
        if user is None:
            form.password.errors.append(_("Email atau kata sandi salah."))
            record_here("auth.login_failed", durable=True, email=typed, reason="credentials")
        elif start_session(user) is None:
            form.email.errors.append(
                _("Akun ini tidak terdaftar di %(where)s.",
                  where=current_tenant.name if current_tenant else _("konsol nasional"))
            )
            record_here("auth.login_failed", durable=True, email=typed, reason="not_a_member")
        else:
            record_here("auth.login", object_type="user", object_id=user.id)
            return redirect(_safe_next() or _landing())
    status = 422 if request.method == "POST" else 200
    ended = ended_message(session.pop(ENDED_KEY, None))
    return render_template("auth/login.html", form=form, ended=ended), status


def _safe_next() -> str | None:
    """The `next` target if it is a path on this host; None for anything a browser could
    read as another host (`//x`, a backslash, a scheme, or control characters it would strip)."""
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.post("/logout")
def logout():
    """End this session, server side too (CSRF-protected POST)."""
    if current_user.is_authenticated:
        record_here("auth.logout", object_type="user", object_id=current_user.id)
        end_session(current_user.session_id)
    logout_user()
    session.clear()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("home.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; every other session of this person ends, this one stays."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user.user, form.current_password.data, form.new_password.data,
                                keep_session=current_user.session_id)
        except PasswordError as exc:
            form[exc.field].errors.append(exc.message)
        else:
            flash(_("Kata sandi sudah diubah. Sesi Anda di perangkat lain telah diakhiri."), "success")
            return redirect(_landing())
    status = 422 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept_invitation(token):
    """Accept an invitation: a new email sets a password; an email that already has an account
    logs in with its existing password (nothing of the account changes). Then land logged in
    where the invitation is for."""
    from app.accounts.invitations import InvitationRefused, existing_account, find_open_invitation
    from app.accounts.invitations import accept_invitation as accept
    from app.blueprints.auth.forms import AcceptInvitationForm, JoinInvitationForm
    from app.tenancy.context import current_tenant_id

    invitation = find_open_invitation(token)
    # An invitation is valid only at the host it was made for (a region, or the apex).
    if invitation is None or invitation.tenant_id != current_tenant_id():
        return render_template("auth/invitation_invalid.html"), 404
    account = existing_account(invitation.email)
    form = JoinInvitationForm() if account else AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        try:
            user, joined = accept(invitation, form.password.data, name=None if account else form.name.data)
        except InvitationRefused as exc:
            form[exc.field].errors.append(exc.message)
        else:
            return _enter_after_invitation(user, joined)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation,
                           account=account), status


def _enter_after_invitation(user, joined: bool):
    from app.accounts.auth import start_session

    if start_session(user) is None:
        return redirect(url_for("auth.login"))
    if joined:
        flash(_("Selamat bergabung, %(name)s. Anda masuk dengan akun yang sudah ada; kata sandinya tidak berubah.",
                name=user.name), "success")
    else:
        flash(_("Selamat bergabung, %(name)s. Akun Anda sudah aktif.", name=user.name), "success")
    return redirect(_landing())
