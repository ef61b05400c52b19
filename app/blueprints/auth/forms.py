from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.accounts.passwords import PasswordPolicy


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Email wajib diisi.")), Email(_l("Format email tidak sah.")), Length(max=254)],
    )
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi."))])


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)])
    password = PasswordField(_l("Kata sandi baru"), validators=[
        DataRequired(_l("Kata sandi wajib diisi.")), PasswordPolicy("name")])
    confirm = PasswordField(_l("Ulangi kata sandi"), validators=[
        DataRequired(_l("Ulangi kata sandi.")), EqualTo("password", _l("Kedua kata sandi tidak sama."))])


class JoinInvitationForm(FlaskForm):
    """Accept an invitation with the account the email already has: its existing password."""

    password = PasswordField(_l("Kata sandi akun Anda"), validators=[DataRequired(_l("Kata sandi wajib diisi."))])


class ChangePasswordForm(FlaskForm):
    """A logged-in person changes their own password (the policy is checked by the operation)."""

    current_password = PasswordField(_l("Kata sandi saat ini"),
                                     validators=[DataRequired(_l("Kata sandi wajib diisi."))])
    new_password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Kata sandi baru wajib diisi."))])
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(_l("Ulangi kata sandi baru.")), EqualTo("new_password", _l("Kedua kata sandi tidak sama."))])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Email wajib diisi.")), Email(_l("Format email tidak sah.")), Length(max=254)],
    )


class ResetPasswordForm(FlaskForm):
    """A new password from a reset link (the policy is checked by the operation)."""

    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Kata sandi baru wajib diisi."))])
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(_l("Ulangi kata sandi baru.")), EqualTo("password", _l("Kedua kata sandi tidak sama."))])
