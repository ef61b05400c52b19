"""The platform's own audit log (former subdomains live with host resolution, in `app.tenancy`)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.tenancy.models import utcnow


class PlatformAuditEvent(Model):
    """An action that belongs to no region's own log: a region suspended, a platform user
    invited, an auditor's page view or download. `tenant_id` names the region it concerns,
    if any. Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "platform_audit_events"
    __platform_table__ = ("written by platform code about a region (or none), read only by the "
                          "national administrator and auditor; tenant_id is nullable, not an owner")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
