"""API tokens: created by a manager (shown once), stored hashed, revocable, checked per region."""
from __future__ import annotations

import hashlib
import secrets
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.api.models import ApiScope, ApiToken
from app.errors import Invalid
from app.extensions import db
from app.tenancy.models import utcnow

PREFIX = "slrt_"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(name: str, scope: str, user_id: uuid.UUID) -> tuple[ApiToken, str]:
    """A new token of the current region; returns the row and the token text (never stored)."""
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors["name"] = [str(_l("Isi nama token (paling banyak 100 karakter)."))]
    if scope not in ApiScope.labels():
        errors["scope"] = [str(_l("Pilih cakupan token."))]
    if errors:
        raise Invalid(errors=errors)
    visible = secrets.token_hex(4)
    raw = f"{PREFIX}{visible}_{secrets.token_urlsafe(32)}"
    token = ApiToken(name=name, scope=scope, prefix=f"{PREFIX}{visible}", token_hash=digest(raw), created_by=user_id)
    db.session.add(token)
    db.session.flush()
    return token, raw


def tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())))


def revoke_token(token_id: uuid.UUID) -> ApiToken:
    token = db.one_or_404(select(ApiToken).where(ApiToken.id == token_id))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The current region's live token with this text, or None (another region's token is None too)."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = utcnow()
    return token
