"""'Lupa kata sandi': ask for a reset link by email, then set a new password with it."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.accounts.password_reset import find_reset, request_reset, reset_password
from app.accounts.passwords import PasswordError
from app.blueprints.auth import bp
from app.blueprints.auth.forms import ForgotPasswordForm, ResetPasswordForm
from app.extensions import limiter


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _email_key() -> str:
    """Per-email limit: the typed email, whichever address the requests come from."""
    return "password-reset:" + request.form.get("email", "").strip().lower()


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@limiter.limit(_reset_limit, key_func=_email_key, methods=["POST"])
def forgot_password():
    """The same answer whether or not the email has an account; only an account gets a mail."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_reset(form.email.data.strip().lower())
        return render_template("auth/forgot_password_sent.html", email=form.email.data.strip())
    status = 422 if request.method == "POST" else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password_page(token):
    """Set a new password with a reset link (once, before it expires, at the host it was asked at)."""
    reset = find_reset(token)
    if reset is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(reset, form.password.data)
        except PasswordError as exc:
            form[exc.field].errors.append(exc.message)
        else:
            flash(_("Kata sandi sudah diganti dan semua sesi akun ini diakhiri. Silakan masuk dengan kata sandi "
                    "baru."), "success")
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, token=token), status
