"""Outgoing email. Every message is stored in the outbox; with MAIL_SMTP_URL set, an RQ job
sends it, otherwise (development) it is only logged and shown to the inviter.

A message may carry a secret (an invitation link): the stored copy has it replaced by a
marker with a fingerprint of its hash, so neither the table nor a development mailbox
reading it can rebuild the link. A sender must therefore get the full text when the
message is queued (never from this table); none is built yet.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model, db
from app.tenancy.models import utcnow


class OutboundEmail(Model):
    __tablename__ = "outbound_emails"
    __platform_table__ = ("one outbox for the platform and every region, drained by one sender; "
                          "tenant_id (nullable) only says which region a message is about")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"))
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def redacted(text: str, secret: str, secret_hash: str) -> str:
    """`text` with `secret` replaced by a marker naming the first characters of its hash."""
    if not secret:
        return text
    marker = _("[tautan rahasia, tidak disimpan; sidik %(h)s]", h=secret_hash[:12])
    return text.replace(secret, marker)


def send_email(to: str, subject: str, body: str, tenant_id=None, *, secret: str = "",
               secret_hash: str = "") -> OutboundEmail:
    """Queue an email (flushes); `secret` (a link inside `body`) is not stored. Delivery needs
    an SMTP relay; without one the subject is logged."""
    message = OutboundEmail(to=to, subject=subject, body=redacted(body, secret, secret_hash), tenant_id=tenant_id)
    db.session.add(message)
    db.session.flush()
    current_app.logger.info("email to %s: %s", to, subject)
    return message
