"""Audit events. Append-only: triggers refuse UPDATE and DELETE in the database itself."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.tenancy.models import TenantOwned, utcnow


class AuditEvent(TenantOwned, Model):
    """One recorded action in a region (state change, personal-data edit, NIK reveal…)."""

    __tablename__ = "audit_events"
    # A region's newest events (the console's "last activity", a region's own trail) without a scan.
    __table_args__ = (Index("ix_audit_events_tenant_at", "tenant_id", "at"),)

    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
