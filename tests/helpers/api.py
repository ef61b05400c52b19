"""API helpers shared by the API test modules."""
from __future__ import annotations

from app.api.tokens import create_token
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import member, tenant


def make_token(app, slug: str, scope: str = "read", name: str = "Sistem uji") -> str:
    """A new API token of region `slug` (made by its manager); returns the token text."""
    with app.app_context(), tenant_context(tenant(slug)):
        user, _membership = member(f"manager@{slug}.demo")
        _token, raw = create_token(name, scope, user.id)
        db.session.commit()
        return raw


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}
