"""Forgotten password ('lupa kata sandi'): a single-use, expiring link sent by email.

Asking never reveals whether an email has an account: the page says the same either way and
only an existing, active account gets a mail. Only a SHA-256 of the token is stored; the link
exists only in the message sent (`send_mail(secret=…)`). A link works at the host it was asked
at, once, for `PASSWORD_RESET_HOURS`; using it sets a new password through the policy of
`app.accounts.passwords`, ends every session of the account and is audited.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import DateTime, ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import User
from app.accounts.passwords import PasswordError, password_problem
from app.accounts.sessions import PASSWORD_CHANGED, end_sessions
from app.extensions import Model, db
from app.tenancy.context import current_tenant, current_tenant_id
from app.tenancy.models import utcnow


class PasswordReset(Model):
    __tablename__ = "password_resets"
    __platform_table__ = ("looked up by token hash before login; an account is platform-wide, and "
                          "tenant_id (NULL at the apex) only says at which host the link works")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def request_reset(email: str) -> None:
    """Mail a reset link to `email` if it is an active account; otherwise do nothing. Flushes only."""
    from app.accounts.invitations import existing_account
    from app.accounts.mail_templates import render_mail
    from app.accounts.outbox import send_mail

    user = existing_account(email)
    if user is None or not user.active:
        return
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(PasswordReset(token_hash=_hash(token), user_id=user.id, tenant_id=current_tenant_id(),
                                 expires_at=utcnow() + timedelta(hours=hours)))
    link = url_for("auth.reset_password_page", token=token, _external=True)
    where = f"{current_tenant.service_name} {current_tenant.name}" if current_tenant else "SLRT Cloud"
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    text, html = render_mail("password_reset", locale, name=user.name, where=where, link=link, hours=hours)
    with force_locale(locale):
        subject = _("Atur ulang kata sandi SLRT Cloud")
    send_mail(user.email, subject, text, html, tenant_id=current_tenant_id(), locale=locale, secret=link)


def find_reset(token: str) -> PasswordReset | None:
    """The open reset of `token` for this host: unused, unexpired, asked here."""
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
    if reset is None or reset.used_at is not None or reset.tenant_id != current_tenant_id():
        return None
    return reset if _aware(reset.expires_at) > utcnow() else None


def reset_password(reset: PasswordReset, new: str) -> User:
    """Set the new password (policy checked), use the link up, end every session. Flushes only."""
    from app.platform.audit import record_here

    user = db.session.get(User, reset.user_id)
    assert user is not None  # users are never deleted
    problem = password_problem(new, [user.email, user.name])
    if problem:
        raise PasswordError(problem, "password")
    # Used up at once, and only if nobody used it in the meantime (two tabs, a replay).
    used = db.session.execute(update(PasswordReset).where(PasswordReset.id == reset.id,
                                                          PasswordReset.used_at.is_(None))
                              .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise PasswordError(_("Tautan ini sudah dipakai."), "password")
    user.set_password(new)
    end_sessions(user.id, PASSWORD_CHANGED)
    record_here("account.password_reset", object_type="user", object_id=user.id)
    return user
