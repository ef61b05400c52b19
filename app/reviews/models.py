"""What a reviewed record carries, and the log of every decision taken on one."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.extensions import Model
from app.reviews.vocabulary import ReviewAction, ReviewDecision, ReviewedKind, ReviewStatus
from app.tenancy.models import TenantOwned, utcnow


class Reviewed:
    """Mixin for a record that goes through its region's review chain for its kind.

    `chain` is the chain as it was when the record was made (a list of stages
    `{"action", "roles", "legal_basis"}`), so a later change of the region's configuration
    never strands a record half-way; `stage` is the index of the open stage (len(chain) once
    decided). `district_code`/`village_code` say where the household lives: an area-bound
    reviewer (a supervisor) sees only records of their own districts.
    """

    kk_number: Mapped[str] = mapped_column(String(16), index=True)
    nik: Mapped[str] = mapped_column(String(16), default="")  # "" = the whole household
    district_code: Mapped[str] = mapped_column(String(8), index=True)
    village_code: Mapped[str] = mapped_column(String(13))
    chain: Mapped[list] = mapped_column(JSON, default=list)
    stage: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")  # the last reviewer's note (a rejection's reason)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr
    def status(cls) -> Mapped[str]:
        return mapped_column(String(10), ReviewStatus.check("status"), default=ReviewStatus.PENDING)

    @declared_attr
    def created_by(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("users.id"))


class ReviewStep(TenantOwned, Model):
    """One reviewer's decision at one stage of a record's chain (append-only)."""

    __tablename__ = "review_steps"
    __table_args__ = (Index("ix_review_steps_record", "tenant_id", "record_kind", "record_id"),)

    record_kind: Mapped[str] = mapped_column(String(20), ReviewedKind.check("record_kind"))
    record_id: Mapped[uuid.UUID] = mapped_column()
    stage: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10), ReviewAction.check("action"))
    role: Mapped[str] = mapped_column(String(40))  # the canonical role the reviewer acted as
    decision: Mapped[str] = mapped_column(String(10), ReviewDecision.check("decision"))
    note: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
