"""Data updates proposed for the register (verval) and the batches sent to SIKS-NG."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.reviews.models import Reviewed
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow
from app.verval.vocabulary import BatchStatus, MinistryResult, UpdateKind


class DataUpdate(Reviewed, TenantOwned, Model):
    """A proposed change to the register: a new household, a member's change, birth, death, move,
    a household no longer poor. `data` holds the proposed values (for a new household: its
    members). Approved updates are gathered into an `ExportBatch`; the ministry's answer is
    kept on each one.
    """

    __tablename__ = "data_updates"
    __table_args__ = (
        tenant_fk("case_id", "cases"),
        tenant_fk("citizen_id", "citizens"),
        tenant_fk("batch_id", "export_batches"),
        # the report's list of proposals, read in (created_at, id) chunks (app.dashboard.lists)
        Index("ix_data_updates_kind_created", "tenant_id", "kind", "created_at", "id"),
    )

    kind: Mapped[str] = mapped_column(String(20), UpdateKind.check("kind"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[uuid.UUID | None] = mapped_column()
    citizen_id: Mapped[uuid.UUID | None] = mapped_column()
    batch_id: Mapped[uuid.UUID | None] = mapped_column()
    result: Mapped[str] = mapped_column(String(10), MinistryResult.check("result", ""), default="")
    result_reason: Mapped[str] = mapped_column(Text, default="")
    result_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ExportBatch(TenantOwned, Model):
    """Approved data updates gathered for SIKS-NG, in the documented column layout."""

    __tablename__ = "export_batches"
    __table_args__ = (UniqueConstraint("tenant_id", "number"),)

    number: Mapped[str] = mapped_column(String(30))  # e.g. VERVAL-2026-0001
    status: Mapped[str] = mapped_column(String(10), BatchStatus.check("status"), default=BatchStatus.DRAFT)
    update_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer_filename: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
