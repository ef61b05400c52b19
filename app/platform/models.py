"""Platform tables: old subdomains that redirect, and the platform's own audit log."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.tenants.models import Tenant, utcnow


class TenantAlias(db.Model):
    """A region's former subdomain; requests to it are redirected (301) to the current one."""

    __tablename__ = "tenant_aliases"
    __platform_table__ = ("resolved from the request host before any tenant is known, to redirect "
                          "a former subdomain; holds no region data, only the slug it used")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    old_slug: Mapped[str] = mapped_column(String(63), unique=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tenant: Mapped[Tenant] = relationship()


class PlatformAuditEvent(db.Model):
    """An action that belongs to no region's own log: a region suspended, a platform user
    invited, an auditor's page view or download. `tenant_id` names the region it concerns,
    if any. Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "platform_audit_events"
    __platform_table__ = ("written by platform code about a region (or none), read only by the "
                          "national administrator and auditor; tenant_id is nullable, not an owner")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60))
    tenant_id: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("tenants.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
