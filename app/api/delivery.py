"""Sending case events to webhooks: a job per committed batch, retried, with a delivery log.

Each request is a JSON POST with `X-SLRT-Signature: sha256=<hex HMAC-SHA256 of the body with
the webhook's secret>`. Redirects are not followed. A delivery that fails (no answer, or a
status outside 2xx) makes the job fail, so RQ retries it (or, without Redis, the inline loop);
deliveries already done are skipped on the retry.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import uuid
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from app.api.models import Webhook, WebhookDelivery, WebhookEvent
from app.api.queries import iso
from app.api.webhooks import check_url
from app.extensions import db
from app.jobs.reports import job_app
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow

MAX_ATTEMPTS = 3
TIMEOUT = 10


def dispatch(func, *args: str) -> None:
    """RQ with retries when Redis is configured, else inline with the same number of attempts."""
    if current_app.config.get("REDIS_URL"):
        from rq import Retry

        from app.jobs.queue import get_queue

        try:
            get_queue().enqueue(func, *args, retry=Retry(max=MAX_ATTEMPTS - 1, interval=[5, 60]))
        except Exception:
            current_app.logger.exception("webhook job could not be queued")
        return
    for _attempt in range(MAX_ATTEMPTS):
        try:
            func(*args)
            return
        except Exception:
            current_app.logger.exception("webhook delivery attempt failed")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(event) -> dict:
    """What a receiver learns of a case event: no names, NIKs or notes."""
    case = event.case
    return {"type": WebhookEvent.CASE_EVENT.value, "id": str(event.id), "at": iso(event.at),
            "ticket": case.ticket, "action": event.action, "from_state": event.from_state,
            "to_state": event.to_state, "stage": case.state}


def post(url: str, body: bytes, headers: dict) -> int:
    check_url(url)
    parts = urlsplit(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(parts.hostname or "", parts.port, timeout=TIMEOUT)
    try:
        conn.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body, headers)
        return conn.getresponse().status
    finally:
        conn.close()


def deliver_case_events(tenant_id: str, event_ids: str) -> None:
    """RQ job: send these case events of the region to each of its active webhooks."""
    from app.casework.models import CaseEvent

    with job_app():
        tenant = db.session.get(Tenant, uuid.UUID(tenant_id))
        if tenant is None:
            return
        with tenant_context(tenant):
            hooks = [h for h in db.session.scalars(select(Webhook).where(Webhook.active.is_(True)))
                     if WebhookEvent.CASE_EVENT.value in (h.events or [])]
            ids = [uuid.UUID(i) for i in event_ids.split(",") if i]
            events = list(db.session.scalars(select(CaseEvent).where(CaseEvent.id.in_(ids)))) if hooks else []
            failed = 0
            for hook in hooks:
                for event in events:
                    failed += not _deliver(hook, event)
            if failed:
                raise RuntimeError(f"{failed} webhook deliveries failed")


def _deliver(hook: Webhook, event) -> bool:
    row = db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id,
                                                          WebhookDelivery.event_id == event.id))
    if row is None:
        row = WebhookDelivery(webhook_id=hook.id, event_id=event.id, attempts=0)
        db.session.add(row)
    if row.delivered_at is not None:
        return True
    body = json.dumps(payload(event), separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "SLRT-Cloud-Webhook",
               "X-SLRT-Signature": signature(hook.secret, body), "X-SLRT-Event": WebhookEvent.CASE_EVENT.value}
    row.attempts += 1
    row.updated_at = utcnow()
    try:
        row.status_code, row.error = post(hook.url, body, headers), ""
    except Exception as exc:
        row.status_code, row.error = None, f"{type(exc).__name__}: {exc}"[:500]
    ok = row.status_code is not None and 200 <= row.status_code < 300
    if ok:
        row.delivered_at = utcnow()
    db.session.commit()
    return ok
