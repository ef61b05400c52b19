"""The managers' API token page: a token is shown once, stored hashed, listed with its last use, revocable."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.api.models import ApiToken
from app.api.tokens import digest
from app.audit.models import AuditEvent
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import member, tenant
from tests.helpers.api import bearer


def _a_token():
    from app.api.tokens import create_token

    user, _m = member("manager@bekasi.demo")
    token, _raw = create_token("Untuk uji lintas daerah", "read", user.id)
    return {"token_id": token.id}


CROSS_TENANT = {"api_tokens.revoke": ("POST", _a_token)}


def _create(client, name="Sistem Dinkes", scope="read"):
    return client.post("/settings/api-tokens/", data={"name": name, "scope": scope})


def test_a_manager_creates_a_token_shown_once_and_stored_hashed(app, staff, region_client):
    manager = staff("manager", "bekasi")
    page = _create(manager, "Sistem Dinkes Uji")
    assert page.status_code == 200
    raw = re.search(r'<code id="new-token">(slrt_[0-9a-f]{8}_[\w-]+)</code>', page.get_data(as_text=True)).group(1)
    assert raw not in manager.get("/settings/api-tokens/").get_data(as_text=True)
    with app.app_context(), tenant_context(tenant("bekasi")):
        token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
        assert token.name == "Sistem Dinkes Uji" and token.scope == "read" and raw.startswith(token.prefix)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.token_created",
                                                          AuditEvent.object_id == str(token.id)))
    api = region_client("bekasi")
    assert api.client.get("/api/v1/cases", base_url=api.base_url, headers=bearer(raw)).status_code == 200
    assert manager.post(f"/settings/api-tokens/{token.id}/revoke").status_code == 302
    assert api.client.get("/api/v1/cases", base_url=api.base_url, headers=bearer(raw)).status_code == 401
    listing = manager.get("/settings/api-tokens/").get_data(as_text=True)
    assert "Sistem Dinkes Uji" in listing and "dicabut" in listing


def test_a_bad_form_keeps_what_was_typed_and_writes_nothing(app, staff):
    manager = staff("manager", "bekasi")
    page = _create(manager, "x" * 101, "admin")
    body = page.get_data(as_text=True)
    assert page.status_code == 422 and "x" * 101 in body and "new-token" not in body
    with app.app_context(), tenant_context(tenant("bekasi")):
        assert db.session.scalar(select(ApiToken).where(ApiToken.name == "x" * 101)) is None


def test_only_who_may_configure_reaches_the_page(staff):
    officer = staff("intake_officer", "bekasi")
    assert officer.get("/settings/api-tokens/").status_code == 403
    assert _create(officer).status_code == 403
