"""The per-region, per-year sequence of SIKS-NG export batch numbers (`VERVAL-2026-0001`)."""
from __future__ import annotations

from sqlalchemy import Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.tenancy.models import TenantOwned


class BatchCounter(TenantOwned, Model):
    """Per-region, per-year sequence of export batch numbers (bumped by `bump_year_counter`)."""

    __tablename__ = "export_batch_counters"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer, default=0)
