"""Every route that takes an id answers 404 to a user of another region.

The list of routes comes from the app's own URL map: a new route with an id and no
cross-tenant case fails `test_every_id_route_has_a_cross_tenant_case`. Each feature's
test module contributes its cases as a module-level `CROSS_TENANT` dict (endpoint →
(method, builder)); the builder runs in the owner region's context and returns the URL
values of an object that region owns.
"""
import importlib
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant

OWNER, INTRUDER = "bekasi", "cianjur"
# Roles allowed on every staff page, so a 404 can only come from tenant scoping.
INTRUDER_ROLE = "manager"


def _first(model):
    return db.session.scalars(select(model)).first()


CROSS_TENANT = {
    "org.unit": ("GET", lambda: {"unit_id": _first(OrgUnit).id}),
}


def _collect() -> tuple[dict, set]:
    cases, platform = dict(CROSS_TENANT), set()
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        if path.stem == Path(__file__).stem:
            continue
        module = importlib.import_module(f"tests.unit.{path.stem}")
        cases.update(getattr(module, "CROSS_TENANT", {}))
        platform |= set(getattr(module, "PLATFORM_ROUTES", ()))
        cases.update(dict.fromkeys(getattr(module, "TOKEN_ROUTES", ()), TOKEN_ROUTE))
    return cases, platform


#: Marks a route answered only to an API token (no session): its module tests other regions' tokens itself.
TOKEN_ROUTE = ("TOKEN", None)


#: endpoint → (HTTP method, URL values for an object owned by OWNER, built in its context)
OWNED_OBJECTS, PLATFORM_ROUTES = _collect()
SESSION_ROUTES = {endpoint for endpoint, case in OWNED_OBJECTS.items() if case != TOKEN_ROUTE}

EXEMPT_ARGUMENTS = {"static": {"filename"}}


def id_routes(app):
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments) - EXEMPT_ARGUMENTS.get(rule.endpoint, set())
        if args:
            yield rule


def test_every_id_route_has_a_cross_tenant_case(app):
    missing = sorted(r.endpoint for r in id_routes(app) if r.endpoint not in OWNED_OBJECTS)
    assert missing == [], f"routes with ids but no cross-tenant test: {missing}"


def test_cross_tenant_cases_are_real_routes(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert set(OWNED_OBJECTS) <= endpoints


def _path(app, endpoint):
    method, build = OWNED_OBJECTS[endpoint]
    with app.test_request_context():
        owner = db.session.scalar(select(Tenant).where(Tenant.slug == OWNER))
        with tenant_context(owner):
            values = build()
            db.session.commit()
        from flask import url_for
        return method, url_for(endpoint, **values)


@pytest.mark.parametrize("endpoint", sorted(SESSION_ROUTES - PLATFORM_ROUTES))
def test_other_regions_user_gets_404(app, staff, region_client, endpoint):
    method, path = _path(app, endpoint)
    # The owner's own staff can open it: the object is real.
    own = staff(INTRUDER_ROLE, OWNER)
    assert own.client.open(path, method=method, base_url=own.base_url).status_code != 404
    intruder = staff(INTRUDER_ROLE, INTRUDER)
    response = intruder.client.open(path, method=method, base_url=intruder.base_url)
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", sorted(PLATFORM_ROUTES))
def test_platform_route_is_closed_to_region_staff_and_auditors_cannot_write(app, staff, region_client, endpoint):
    method, path = _path(app, endpoint)
    for slug in (OWNER, INTRUDER):
        member = staff(INTRUDER_ROLE, slug)
        assert member.client.open(path, method=method, base_url=member.base_url).status_code == 404
    auditor = region_client(None)
    auditor.login("auditor@platform.demo")
    response = auditor.client.open(path, method=method, base_url=auditor.base_url)
    assert response.status_code == (403 if method != "GET" else 200)
