"""Server-side sessions: opened at login, checked on every request, ended when they must.

The Flask session cookie carries only a random token; `user_sessions` keeps its SHA-256
with the user, the realm it was opened in (a tenant id, or 'platform'), when it started
and when it was last used. A session is refused once it is ended (logout, password
change, deactivation), idle longer than `SESSION_IDLE_MINUTES`, or older than
`SESSION_MAX_HOURS`; the login page then says why. `last_seen_at` is written at most once
every `SESSION_TOUCH_SECONDS`, so an ordinary request does not write.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from flask import current_app, session
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User, UserSession
from app.extensions import db
from app.tenancy.models import utcnow

LOGOUT = "logout"
PASSWORD_CHANGED = "password_changed"
DEACTIVATED = "deactivated"
IDLE = "idle"
EXPIRED = "expired"

#: Key in the Flask session that tells the login page why the last session was refused.
ENDED_KEY = "session_ended"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_session(user: User, realm: str) -> tuple[str, uuid.UUID]:
    """Start a session for `user` in `realm`; returns (the token the cookie carries, its id)."""
    token = secrets.token_urlsafe(32)
    row = UserSession(id=uuid.uuid4(), token_hash=_digest(token), user_id=user.id, realm=realm)
    db.session.add(row)
    return token, row.id


def live_session(token: str, realm: str) -> tuple[UserSession | None, str | None]:
    """(session, None) when `token` names a live session of `realm`, else (None, why it ended).

    A session found idle or too old is ended here, so it stays ended whatever the clock does next.
    """
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token))
                            .options(joinedload(UserSession.user)))  # the user loader's next read, same statement
    if row is None or row.realm != realm:
        return None, None
    if row.ended_at is not None:
        return None, row.end_reason
    config, now = current_app.config, utcnow()
    if now - _aware(row.created_at) > timedelta(hours=config["SESSION_MAX_HOURS"]):
        _end(row, EXPIRED, now)
        return None, EXPIRED
    idle = now - _aware(row.last_seen_at)
    if idle > timedelta(minutes=config["SESSION_IDLE_MINUTES"]):
        _end(row, IDLE, now)
        return None, IDLE
    if idle >= timedelta(seconds=config["SESSION_TOUCH_SECONDS"]):
        row.last_seen_at = now
    return row, None


def _end(row: UserSession, reason: str, now: datetime) -> None:
    row.ended_at, row.end_reason = now, reason


def end_session(session_id: uuid.UUID, reason: str = LOGOUT) -> None:
    """End one session (logout)."""
    _end_where(UserSession.id == session_id, reason=reason)


def end_sessions(user_id: uuid.UUID, reason: str, *, realm: str | None = None,
                 keep: uuid.UUID | None = None) -> None:
    """End the user's open sessions: in one realm only if `realm` is given, all but `keep` if given."""
    conditions = [UserSession.user_id == user_id]
    if realm is not None:
        conditions.append(UserSession.realm == realm)
    if keep is not None:
        conditions.append(UserSession.id != keep)
    _end_where(*conditions, reason=reason)


def _end_where(*conditions, reason: str) -> None:
    db.session.execute(update(UserSession).where(UserSession.ended_at.is_(None), *conditions)
                       .values(ended_at=utcnow(), end_reason=reason)
                       .execution_options(synchronize_session=False))


def forget(reason: str | None) -> None:
    """A session that has ended: drop it from the cookie and remember why, for the login page.

    Without a reason (another realm's host, a region suspended for now, a post deactivated)
    the cookie is left alone: the server-side row decides again on the next request."""
    if reason:
        session.pop("_user_id", None)
        session[ENDED_KEY] = reason


def ended_message(reason: str | None) -> str | None:
    """Why the last session ended, in words, for the login page."""
    config = current_app.config
    messages = {
        IDLE: lambda: _("Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)s menit. "
                        "Silakan masuk kembali.", minutes=config["SESSION_IDLE_MINUTES"]),
        EXPIRED: lambda: _("Sesi Anda sudah berlangsung lebih dari %(hours)s jam dan diakhiri demi keamanan. "
                           "Silakan masuk kembali.", hours=config["SESSION_MAX_HOURS"]),
        PASSWORD_CHANGED: lambda: _("Sesi ini diakhiri karena kata sandi akun Anda diubah. "
                                    "Silakan masuk dengan kata sandi baru."),
        DEACTIVATED: lambda: _("Sesi ini diakhiri karena akses Anda di sini dicabut."),
        LOGOUT: lambda: _("Sesi ini sudah diakhiri (keluar). Silakan masuk kembali."),
    }
    message = messages.get(reason or "")
    return message() if message else None
