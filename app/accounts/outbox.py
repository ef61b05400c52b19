"""Outgoing email. Every message is stored in the outbox; with MAIL_SMTP_URL set, an RQ job
sends it, otherwise (development) it is only logged and shown to the inviter."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Optional

from flask import current_app
from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.tenants.models import utcnow


class OutboundEmail(db.Model):
    __tablename__ = "outbound_emails"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("tenants.id"))
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


def send_email(to: str, subject: str, body: str, tenant_id=None) -> OutboundEmail:
    """Queue an email (flushes). Delivery needs an SMTP relay; without one it is logged."""
    message = OutboundEmail(to=to, subject=subject, body=body, tenant_id=tenant_id)
    db.session.add(message)
    db.session.flush()
    current_app.logger.info("email to %s: %s", to, subject)
    return message
