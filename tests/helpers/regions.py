"""Running code inside one region from a test."""
from __future__ import annotations

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import tenant


def in_region(app, slug, fn):
    """`fn()` inside region `slug` in its own app context, committed; returns what `fn` returns."""
    with app.app_context(), tenant_context(tenant(slug)):
        result = fn()
        db.session.commit()
        return result


def read_in_region(app, slug, fn):
    """`fn()` inside region `slug` without committing (the objects it returns stay readable)."""
    with app.app_context(), tenant_context(tenant(slug)):
        return fn()
