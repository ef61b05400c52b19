"""Who is logged in, and where.

A session is bound to the realm it was opened in (one region's subdomain, or the
platform apex). Cookies are host-only already; on top of that the user loader loads
a user only with an active membership in the current region (or a platform role on
the apex), and only while the session's version matches the user's — bumping
`User.session_version` ends every session of that user at once.
"""
from __future__ import annotations

import uuid
from functools import wraps

from flask import abort, g, session
from flask_login import UserMixin, current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.local import LocalProxy

from app.accounts.models import Membership, User
from app.extensions import db, login_manager
from app.org.models import Position
from app.tenants.context import current_tenant_id

login_manager.login_view = "auth.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."
login_manager.login_message_category = "info"


class SessionUser(UserMixin):
    """The logged-in person as the request sees them: the user plus their membership here."""

    def __init__(self, user: User, membership: Membership | None):
        self.user = user
        self.membership = membership

    def get_id(self) -> str:
        return session_token(self.user)

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def platform_role(self) -> str | None:
        return self.user.platform_role

    @property
    def role(self) -> str | None:
        """Canonical role of the post held in this region (None on the platform)."""
        return self.membership.position.role if self.membership else None


def session_token(user: User) -> str:
    return f"{user.id}.{user.session_version}"


def realm() -> str:
    """The realm this request belongs to: a tenant id, or 'platform'."""
    tid = current_tenant_id()
    return str(tid) if tid else "platform"


def membership_for(user_id: uuid.UUID) -> Membership | None:
    """The user's active membership in the current region (tenant-scoped query)."""
    return db.session.scalar(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.active.is_(True))
        .options(selectinload(Membership.position).selectinload(Position.unit),
                 selectinload(Membership.areas))
    )


@login_manager.user_loader
def load_user(token: str) -> SessionUser | None:
    try:
        raw_id, version = token.rsplit(".", 1)
        user_id = uuid.UUID(raw_id)
    except ValueError:
        return None
    if session.get("realm") != realm():
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return authorize_in_realm(user)


def authorize_in_realm(user: User) -> SessionUser | None:
    """The session user for `user` in the current realm, or None if they have no place here."""
    if current_tenant_id() is None:
        return SessionUser(user, None) if user.platform_role else None
    membership = membership_for(user.id)
    return SessionUser(user, membership) if membership else None


current_membership: Membership | None = LocalProxy(  # type: ignore[assignment]
    lambda: current_user.membership if current_user.is_authenticated else None
)


def staff_required(*roles: str):
    """Region pages: a logged-in member of this region, holding one of `roles` if given."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("tenant") is None:
                abort(404)
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def platform_required(*roles: str):
    """Apex pages: a logged-in platform user, holding one of `roles` if given."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("tenant") is not None:
                abort(404)
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.platform_role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
