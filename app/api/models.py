"""API tokens, webhooks and the log of webhook deliveries (all owned by one region)."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model, Vocabulary
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow


class ApiScope(Vocabulary):
    READ = "read", _l("Hanya baca")
    WRITE = "write", _l("Baca dan tulis")


class WebhookEvent(Vocabulary):
    CASE_EVENT = "case.event", _l("Peristiwa kasus")


class ApiToken(TenantOwned, Model):
    """A region's API token. Only its SHA-256 is kept; `prefix` identifies it in lists and logs."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("tenant_id", "token_hash"),)

    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10), ApiScope.check("scope"))
    prefix: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def may_write(self) -> bool:
        return self.scope == ApiScope.WRITE


class Webhook(TenantOwned, Model):
    """An address that receives the region's case events, signed with HMAC-SHA256 of `secret`."""

    __tablename__ = "api_webhooks"

    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(64))
    events: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookDelivery(TenantOwned, Model):
    """One event sent (or being sent) to one webhook: the last status code and the attempts."""

    __tablename__ = "api_webhook_deliveries"
    __table_args__ = (tenant_fk("webhook_id", "api_webhooks"), UniqueConstraint("tenant_id", "webhook_id", "event_id"))

    webhook_id: Mapped[uuid.UUID] = mapped_column(index=True)
    event_id: Mapped[uuid.UUID] = mapped_column()
    status_code: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
