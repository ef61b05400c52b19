"""Who is logged in, and where.

A session is bound to the realm it was opened in (one region's subdomain, or the
platform apex). Cookies are host-only already; on top of that the user loader loads
a user only while their server-side session (`app.accounts.sessions`) is live in this
realm, and only with an active membership in the current region (or a platform role on
the apex). Logging in verifies a password hash whether or not the email exists.
"""
from __future__ import annotations

import uuid
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_htmx.responses import HTMXResponseClientRedirect
from flask_login import UserMixin, current_user, login_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.local import LocalProxy

from app.accounts.locale import SESSION_KEY as LOCALE_KEY
from app.accounts.models import Membership, User, verify_against_dummy
from app.accounts.partner_members import PartnerMembership, partner_membership_for
from app.accounts.sessions import end_session, forget, live_session, open_session
from app.extensions import db, htmx, login_manager
from app.org.models import Position
from app.tenancy.context import current_tenant_id

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Silakan masuk terlebih dahulu.")
login_manager.localize_callback = str  # resolve the lazy text in the request's language
login_manager.login_message_category = "info"


class SessionUser(UserMixin):
    """The logged-in person as the request sees them: the user plus their membership here."""

    def __init__(self, user: User, membership: Membership | None, token: str = "",
                 session_id: uuid.UUID | None = None, partner: PartnerMembership | None = None):
        self.user = user
        self.membership = membership
        #: An officer of one partner of this region (never together with a staff membership).
        self.partner = partner
        self.token = token
        self.session_id = session_id

    def get_id(self) -> str:
        return self.token

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


def realm() -> str:
    """The realm this request belongs to: a tenant id, or 'platform'."""
    tid = current_tenant_id()
    return str(tid) if tid else "platform"


def membership_for(user_id: uuid.UUID) -> Membership | None:
    """The user's active membership in the current region (tenant-scoped query)."""
    return db.session.scalar(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.active.is_(True))
        .options(joinedload(Membership.position).joinedload(Position.unit),  # one row each: same statement
                 selectinload(Membership.areas))
    )


@login_manager.unauthorized_handler
def send_to_login():
    """Not logged in, or the session ended: to the login page, coming back here afterwards.

    An htmx request gets `HX-Redirect`, so the browser loads the login page as a page
    instead of swapping it into a list or a form."""
    if login_manager.login_message:
        flash(str(login_manager.login_message), login_manager.login_message_category)
    target = url_for(login_manager.login_view, next=_return_path())
    return HTMXResponseClientRedirect(target) if htmx else redirect(target)


def _return_path() -> str:
    """The page to come back to: for htmx the page the person is on, not the fragment's URL."""
    page = urlsplit(htmx.current_url or "") if htmx else None
    if page and page.netloc == request.host and page.path.startswith("/"):
        return page.path + (f"?{page.query}" if page.query else "")
    return request.full_path.rstrip("?")


@login_manager.user_loader
def load_user(token: str) -> SessionUser | None:
    """The person behind the cookie's session token, if that session is live here and they may be here."""
    row, reason = live_session(token, realm())
    found = None
    if row is not None:
        user = db.session.get(User, row.user_id)
        if user is not None and user.active:
            found = authorize_in_realm(user, token, row.id)
    if found is None:
        forget(reason)
    return found


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None; the same work either way."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.password_hash:
        verify_against_dummy(password)
        return None
    return user if user.check_password(password) and user.active else None


def start_session(user: User) -> SessionUser | None:
    """Log `user` in here with a fresh server-side session; None if they have no place here."""
    session_user = authorize_in_realm(user)
    if session_user is None:
        return None
    if current_user.is_authenticated:  # e.g. accepting an invitation while logged in: replace, not orphan
        end_session(current_user.session_id)
    locale = session.get(LOCALE_KEY)  # the language chosen on the login page outlives the reset
    session.clear()  # a new cookie at each login: no session fixation
    if locale:
        session[LOCALE_KEY] = locale
    session_user.token, session_user.session_id = open_session(user, realm())
    login_user(session_user)
    return session_user


def authorize_in_realm(user: User, token: str = "", session_id: uuid.UUID | None = None) -> SessionUser | None:
    """The session user for `user` in the current realm, or None if they have no place here."""
    if current_tenant_id() is None:
        return SessionUser(user, None, token, session_id) if user.platform_role else None
    membership = membership_for(user.id)
    if membership is not None:
        return SessionUser(user, membership, token, session_id)
    partner = partner_membership_for(user.id)
    return SessionUser(user, None, token, session_id, partner=partner) if partner else None


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
            if current_user.membership is None:  # a partner officer: only the partner portal is theirs
                abort(403)
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def partner_required(view):
    """Partner portal pages: a logged-in person of this region. Whether they are a partner officer is
    decided with the object (`app.casework.partner_portal`): a referral of another region is not found
    before anyone is told the page is not theirs."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("tenant") is None:
            abort(404)
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


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
                _record_refusal()
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _record_refusal() -> None:
    """A console page refused to a logged-in platform user is kept in the audit trail."""
    from app.platform.audit import record_here

    record_here("access.refused", durable=True, object_type="page", object_id=request.endpoint or "",
                path=request.path, method=request.method)
