"""Webhooks: addresses that receive a region's case events, each signed with its own secret.

An address must be `https://` to a public host. Private, loopback, link-local and reserved
addresses are refused (when the webhook is added and again when sending, as a name may be
re-pointed); only under TESTING may it be `http://127.0.0.1` (a test's local receiver).
"""
from __future__ import annotations

import ipaddress
import secrets
import socket
import uuid
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.api.models import Webhook, WebhookEvent
from app.errors import Invalid
from app.extensions import db

_PENDING = "api_case_events"


def _refuse(field: str, message) -> Invalid:
    return Invalid(errors={field: [str(message)]})


def _testing_loopback(host: str) -> bool:
    return bool(current_app.config.get("TESTING")) and host in ("127.0.0.1", "localhost")


def check_url(url: str) -> str:
    """The address if a webhook may post to it; `Invalid` (field "url") otherwise."""
    if not isinstance(url, str) or len(url) > 500:
        raise _refuse("url", _l("Alamat webhook tidak sah."))
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise _refuse("url", _l("Alamat webhook tidak sah.")) from None
    if not host or parts.username or parts.password:
        raise _refuse("url", _l("Alamat webhook tidak sah."))
    if _testing_loopback(host) and parts.scheme in ("http", "https"):
        return url
    if parts.scheme != "https":
        raise _refuse("url", _l("Alamat webhook harus memakai https://."))
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        raise _refuse("url", _l("Nama host webhook tidak dapat ditemukan.")) from None
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise _refuse("url", _l("Alamat webhook harus alamat publik."))
    return url


def add_webhook(url: object, events: object) -> Webhook:
    if not isinstance(url, str):
        raise _refuse("url", _l("Alamat webhook tidak sah."))
    known = set(WebhookEvent.labels())
    if events is None:
        events = list(known)
    if not isinstance(events, list) or not events or not all(isinstance(e, str) and e in known for e in events):
        raise _refuse("events", _l("Jenis peristiwa tidak dikenal."))
    hook = Webhook(url=check_url(url), events=sorted(set(events)), secret=secrets.token_hex(32), active=True)
    db.session.add(hook)
    db.session.flush()
    return hook


def webhooks() -> list[Webhook]:
    return list(db.session.scalars(select(Webhook).where(Webhook.active.is_(True)).order_by(Webhook.created_at)))


def remove_webhook(hook_id: uuid.UUID) -> Webhook:
    """Stops deliveries to the webhook (the row and its delivery log stay)."""
    hook = db.one_or_404(select(Webhook).where(Webhook.id == hook_id, Webhook.active.is_(True)))
    hook.active = False
    return hook


# --- case events are sent after the transaction that made them commits ----------------------

@event.listens_for(Session, "after_flush")
def _note_case_events(session, flush_context) -> None:
    from app.casework.models import CaseEvent

    for obj in session.new:
        if isinstance(obj, CaseEvent) and _has_webhooks(session, obj.tenant_id):
            session.info.setdefault(_PENDING, []).append((str(obj.tenant_id), str(obj.id)))


def _has_webhooks(session, tenant_id) -> bool:
    """Whether the region has an active webhook (asked once per transaction and region)."""
    known = session.info.setdefault("api_has_webhooks", {})
    if tenant_id not in known:
        with session.no_autoflush:
            known[tenant_id] = session.scalar(select(Webhook.id).where(
                Webhook.tenant_id == tenant_id, Webhook.active.is_(True)).limit(1)) is not None
    return known[tenant_id]


@event.listens_for(Session, "after_commit")
def _send_case_events(session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released (after_commit fires for those too): the real commit is still to come
    session.info.pop("api_has_webhooks", None)
    pending = session.info.pop(_PENDING, [])
    by_tenant: dict[str, list[str]] = {}
    for tenant_id, event_id in pending:
        by_tenant.setdefault(tenant_id, []).append(event_id)
    if not by_tenant:
        return
    from app.api.delivery import deliver_case_events, dispatch

    for tenant_id, ids in by_tenant.items():
        dispatch(deliver_case_events, tenant_id, ",".join(ids))


@event.listens_for(Session, "after_transaction_end")
def _forget_case_events(session, transaction) -> None:
    if transaction.parent is None:  # the outer transaction ended without a commit reaching us
        session.info.pop(_PENDING, None)
        session.info.pop("api_has_webhooks", None)
