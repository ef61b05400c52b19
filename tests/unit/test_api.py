"""The JSON API at /api/v1/: region tokens only, scopes, every use audited, rate limit, webhooks."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from sqlalchemy import select

from app import create_app
from app.api.models import ApiToken, Webhook, WebhookDelivery
from app.api.tokens import digest
from app.audit.models import AuditEvent
from app.citizens.models import Citizen
from app.errors import Invalid
from app.extensions import db, limiter
from app.tenancy.context import tenant_context
from tests.conftest import host_for
from tests.factories import tenant
from tests.helpers.api import bearer, make_token
from tests.helpers.casework import new_case


def _api(region_client, slug, path, raw=None, method="GET", **kw):
    client = region_client(slug)
    headers = bearer(raw) if raw else {}
    return client.client.open(path, method=method, base_url=client.base_url, headers=headers, **kw)


@pytest.fixture()
def case(app):
    return new_case(app, "bekasi")


def test_no_token_an_invalid_one_or_a_revoked_one_is_401(app, region_client):
    assert _api(region_client, "bekasi", "/api/v1/cases").status_code == 401
    assert _api(region_client, "bekasi", "/api/v1/cases", "slrt_00000000_nope").status_code == 401
    raw = make_token(app, "bekasi")
    assert _api(region_client, "bekasi", "/api/v1/cases", raw).status_code == 200
    with app.app_context(), tenant_context(tenant("bekasi")):
        db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw))).revoked_at = db.func.now()
        db.session.commit()
    response = _api(region_client, "bekasi", "/api/v1/cases", raw)
    assert response.status_code == 401
    assert response.get_json()["status"] == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_is_no_token(staff):
    manager = staff("manager", "bekasi")
    assert manager.get("/api/v1/cases").status_code == 401


def test_a_bekasi_token_at_the_cianjur_host_is_401_without_a_hint(app, region_client, case):
    raw = make_token(app, "bekasi")
    for path in ("/api/v1/cases", f"/api/v1/cases/{case['ticket']}", "/api/v1/figures"):
        response = _api(region_client, "cianjur", path, raw)
        assert response.status_code == 401
        assert response.get_json() == _api(region_client, "cianjur", path, "slrt_x_y").get_json()


def test_the_api_is_not_served_on_the_apex(app, region_client):
    assert _api(region_client, None, "/api/v1/cases", make_token(app, "bekasi")).status_code == 404


def test_list_read_and_status_of_cases(app, region_client, case):
    raw = make_token(app, "bekasi")
    listed = _api(region_client, "bekasi", "/api/v1/cases?status=open", raw).get_json()
    assert case["ticket"] in [c["ticket"] for c in listed["items"]]
    assert listed["page"] == 1 and listed["total"] >= 1
    closed = _api(region_client, "bekasi", "/api/v1/cases?status=closed", raw).get_json()
    assert case["ticket"] not in [c["ticket"] for c in closed["items"]]
    one = _api(region_client, "bekasi", f"/api/v1/cases/{case['ticket']}", raw).get_json()
    assert one["ticket"] == case["ticket"] and one["closed_at"] is None and "overdue" in one
    status = _api(region_client, "bekasi", f"/api/v1/cases/{case['ticket']}/status", raw).get_json()
    assert status["open"] is True and status["stage"] == one["stage"]
    text = json.dumps([listed, one, status])
    assert case["nik"] not in text and case["name"] not in text
    assert _api(region_client, "bekasi", "/api/v1/cases/NO-SUCH-1", raw).status_code == 404
    bad = _api(region_client, "bekasi", "/api/v1/cases?status=maybe", raw)
    assert bad.status_code == 422 and "status" in bad.get_json()["errors"]


def test_another_regions_case_is_404_with_its_own_token(app, region_client, case):
    raw = make_token(app, "cianjur")
    for path in (f"/api/v1/cases/{case['ticket']}", f"/api/v1/cases/{case['ticket']}/status"):
        assert _api(region_client, "cianjur", path, raw).status_code == 404
    listed = _api(region_client, "cianjur", "/api/v1/cases?status=all", raw).get_json()
    assert case["ticket"] not in json.dumps(listed)


def test_referrals_list(app, region_client):
    response = _api(region_client, "bekasi", "/api/v1/referrals", make_token(app, "bekasi"))
    assert response.status_code == 200 and {"items", "page", "pages", "total"} <= set(response.get_json())


def test_figures_contain_no_names_or_niks(app, region_client, case):
    raw = make_token(app, "bekasi")
    response = _api(region_client, "bekasi", "/api/v1/figures?from=2026-01-01&to=2026-12-31", raw)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert response.get_json()["totals"]["received"] >= 1
    with app.app_context(), tenant_context(tenant("bekasi")):
        people = db.session.execute(select(Citizen.name, Citizen.nik)).all()
    assert people
    assert not [p for p in people if p.name in body or p.nik in body]
    bad = _api(region_client, "bekasi", "/api/v1/figures?from=0001-01-01", raw)
    assert bad.status_code == 422 and "from" in bad.get_json()["errors"]


def test_every_use_is_audited_in_its_region(app, region_client):
    raw = make_token(app, "bekasi")
    for path in ("/api/v1/cases", "/api/v1/cases/NO-SUCH-2", "/api/v1/referrals"):
        _api(region_client, "bekasi", path, raw)
    with app.app_context(), tenant_context(tenant("bekasi")):
        token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
        uses = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api.use",
                                                          AuditEvent.object_id == str(token.id))).all()
        assert token.last_used_at is not None
    assert sorted(e.detail["path"] for e in uses) == ["/api/v1/cases", "/api/v1/cases/NO-SUCH-2",
                                                       "/api/v1/referrals"]
    assert raw not in json.dumps([e.detail for e in uses])


def test_a_read_token_cannot_manage_webhooks(app, region_client):
    raw = make_token(app, "bekasi")
    add = _api(region_client, "bekasi", "/api/v1/webhooks", raw, method="POST", json={"url": "https://example.org/h"})
    assert add.status_code == 403 and add.get_json()["status"] == 403
    assert _api(region_client, "bekasi", "/api/v1/webhooks", raw).status_code == 403
    assert _api(region_client, "bekasi", f"/api/v1/webhooks/{uuid.uuid4()}", raw, method="DELETE").status_code == 403


@pytest.mark.parametrize("url", ["http://example.org/h", "https://10.0.0.5/h", "https://[::1]/h", "ftp://x/y",
                                 "https://169.254.169.254/latest", "https://user:pw@example.org/", "nonsense"])
def test_webhook_addresses_must_be_public_https(app, region_client, url):
    raw = make_token(app, "bekasi", "write")
    response = _api(region_client, "bekasi", "/api/v1/webhooks", raw, method="POST", json={"url": url})
    assert response.status_code == 422 and "url" in response.get_json()["errors"]


def test_loopback_is_allowed_only_under_testing(app):
    from app.api.webhooks import check_url

    production = create_app({**app.config, "TESTING": False})
    with production.app_context(), pytest.raises(Invalid):
        check_url("http://127.0.0.1:9/h")
    limiter.init_app(app)


def test_rate_limit_per_token_is_429(app):
    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                          "API_RATE_LIMIT": "3 per minute"})
    try:
        raw, other = make_token(app, "bekasi"), make_token(app, "bekasi")
        client, base = limited.test_client(), host_for(limited, "bekasi")
        codes = [client.get("/api/v1/referrals", base_url=base, headers=bearer(raw)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        last = client.get("/api/v1/referrals", base_url=base, headers=bearer(raw))
        assert last.status_code == 429 and last.get_json()["status"] == 429
        assert client.get("/api/v1/referrals", base_url=base, headers=bearer(other)).status_code == 200
    finally:
        limiter.enabled = False
        limiter.init_app(app)


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def receiver():
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


def _run_queued_jobs(app):
    if not app.config.get("REDIS_URL"):
        return  # inline: already delivered on commit
    from rq import SimpleWorker

    from app.jobs.queue import get_queue

    with app.app_context():
        queue = get_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_a_case_event_is_posted_to_the_webhook_signed(app, region_client, receiver):
    url, received = receiver
    raw = make_token(app, "palembang", "write")
    added = _api(region_client, "palembang", "/api/v1/webhooks", raw, method="POST", json={"url": url})
    assert added.status_code == 201, added.get_json()
    secret = added.get_json()["secret"]
    listed = _api(region_client, "palembang", "/api/v1/webhooks", raw).get_json()["items"]
    assert added.get_json()["id"] in [h["id"] for h in listed] and "secret" not in listed[0]
    try:
        case = new_case(app, "palembang")
        _run_queued_jobs(app)
        assert received, "no delivery"
        headers, body = received[0]
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-SLRT-Signature"], expected)
        sent = json.loads(body)
        assert sent["ticket"] == case["ticket"] and case["name"] not in body.decode()
        with app.app_context(), tenant_context(tenant("palembang")):
            log = db.session.scalars(select(WebhookDelivery).where(
                WebhookDelivery.webhook_id == uuid.UUID(added.get_json()["id"]))).all()
            assert [(d.status_code, d.attempts) for d in log] == [(204, 1)]
    finally:
        gone = _api(region_client, "palembang", f"/api/v1/webhooks/{added.get_json()['id']}", raw, method="DELETE")
        assert gone.status_code == 204
    with app.app_context(), tenant_context(tenant("palembang")):
        assert not db.session.get(Webhook, (tenant("palembang").id, uuid.UUID(added.get_json()["id"]))).active


def test_every_api_route_is_in_the_openapi_document(app, region_client):
    doc = _api(region_client, "bekasi", "/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    described = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = rule.rule.removeprefix("/api/v1")
        for arg, conv in rule._converters.items():
            path = path.replace(f"<{(type(conv).__name__ == 'UUIDConverter' and 'uuid:') or ''}{arg}>", f"{{{arg}}}")
        missing += [(path, m) for m in rule.methods - {"HEAD", "OPTIONS"} if (path, m) not in described]
    assert not missing, missing


#: Routes answered to API tokens only: each is tested below with another region's token
#: (tests/unit/test_cross_tenant_routes.py leaves them to this module).
TOKEN_ROUTES = ("api.case", "api.case_status", "api.webhook_remove")


def _owned_by_bekasi(app, region_client, endpoint, case) -> tuple[str, str]:
    if endpoint == "api.webhook_remove":
        with app.app_context(), tenant_context(tenant("bekasi")):
            hook = Webhook(url="https://example.org/hook", secret="s" * 64, events=["case.event"], active=True)
            db.session.add(hook)
            db.session.commit()
            return "DELETE", f"/api/v1/webhooks/{hook.id}"
    return "GET", {"api.case": f"/api/v1/cases/{case['ticket']}",
                   "api.case_status": f"/api/v1/cases/{case['ticket']}/status"}[endpoint]


def test_every_api_route_with_an_id_has_a_cross_region_case(app):
    with_ids = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.") and r.arguments}
    assert with_ids == set(TOKEN_ROUTES)


@pytest.mark.parametrize("endpoint", TOKEN_ROUTES)
def test_another_regions_write_token_gets_404(app, region_client, case, endpoint):
    method, path = _owned_by_bekasi(app, region_client, endpoint, case)
    intruder = make_token(app, "cianjur", "write")
    assert _api(region_client, "cianjur", path, intruder, method=method).status_code == 404
    owner = make_token(app, "bekasi", "write")
    assert _api(region_client, "bekasi", path, owner, method=method).status_code in (200, 204)
