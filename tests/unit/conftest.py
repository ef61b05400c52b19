"""Fixtures shared by several unit-test modules (the session-wide ones are in tests/conftest.py)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.casework.sop_drafts import current_draft, discard_draft
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.tenants.export import export_region, to_yaml
from app.tenants.importer import apply_import, prepare_import
from tests.factories import member, tenant
from tests.helpers.reports import SLUG, build_known_data
from tests.helpers.smtp import smtp_server  # noqa: F401  (a fixture: a real SMTP server for one test)


@pytest.fixture()
def admin(region_client):
    client = region_client(None)
    client.login("admin@platform.demo")
    return client


@pytest.fixture()
def region(app_ctx):
    """`region("palembang")` enters that region for the rest of the test."""
    contexts = []

    def enter(slug):
        ctx = tenant_context(tenant(slug))
        ctx.__enter__()
        contexts.append(ctx)
        return tenant(slug)

    yield enter
    for ctx in reversed(contexts):
        ctx.__exit__(None, None, None)


@pytest.fixture(scope="module")
def known(app):
    return build_known_data(app)


@pytest.fixture()
def in_known_region(app, known):
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_context(tenant):
            yield tenant


@pytest.fixture()
def report_settings(app, tmp_path, monkeypatch):
    """Files under a temporary folder; a queue of our own; retries without waiting."""
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REPORT_RETRY_INTERVALS", [0, 0])
    build_known_data(app)
    return tmp_path / "reports"


@pytest.fixture()
def restore_region(app):
    """`restore_region(slug)`: whatever the test changes there is put back by re-importing."""
    saved = {}

    def remember(slug):
        with app.app_context():
            region = tenant(slug)
            with tenant_context(region):
                saved[slug] = to_yaml(export_region(region))

    yield remember
    with app.app_context():
        for slug, text in saved.items():
            region = tenant(slug)
            with tenant_context(region):
                draft = current_draft()
                if draft is not None:
                    discard_draft(draft)
                user, _m = member(f"manager@{slug}.demo")
                apply_import(region, prepare_import(region, text, "restore.yaml"), user)
                db.session.commit()
                assert prepare_import(region, text, "restore.yaml").empty


@pytest.fixture()
def import_settings(app, tmp_path, monkeypatch):
    """Register uploads under a temporary folder; a queue of our own; retries without waiting."""
    monkeypatch.setitem(app.config, "IMPORTS_DIR", str(tmp_path / "imports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REPORT_RETRY_INTERVALS", [0, 0])
    return tmp_path / "imports"
