"""A notice for one member, and a member's choice of which kinds also come by email."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.notices.vocabulary import NoticeKind
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow


class Notice(TenantOwned, Model):
    """One notice in a member's bell. `dedupe` keeps one per (recipient, kind, case, stage)."""

    __tablename__ = "notices"
    __table_args__ = (tenant_fk("case_id", "cases"), UniqueConstraint("tenant_id", "recipient_id", "dedupe"),
                      Index("ix_notices_recipient_unread", "tenant_id", "recipient_id", "read_at"))

    recipient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30), NoticeKind.check("kind"))
    case_id: Mapped[uuid.UUID | None] = mapped_column()
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    dedupe: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NoticePreference(TenantOwned, Model):
    """Whether a member also gets notices of one kind by email (no row: not by email)."""

    __tablename__ = "notice_preferences"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "kind"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30), NoticeKind.check("kind"))
    email: Mapped[bool] = mapped_column(Boolean, default=False)
