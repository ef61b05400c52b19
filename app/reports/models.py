"""How a region files its activity reports: who signs them, and which are built on their own each month.

Both are the region's configuration, set by a member who may configure the region (the
report settings page). Until a signer is chosen the signature block prints dotted lines.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow


class ReportSettings(TenantOwned, Model):
    """The signature block of the region's reports; one row per region.

    The signer is either a member of the region's staff (`signer_membership_id`: the name,
    the post's title and the NIP come from the staff record) or an official without an
    account, typed in (e.g. the head of the Dinas Sosial). `signer_title` overrides the
    post's title when set; `sign_place` is the place written before the date.
    """

    __tablename__ = "report_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id", name="uq_report_settings_tenant"),
        tenant_fk("signer_membership_id", "memberships"),
    )

    signer_membership_id: Mapped[uuid.UUID | None] = mapped_column()
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    signer_nip: Mapped[str] = mapped_column(String(18), default="")
    sign_place: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class ReportSchedule(TenantOwned, Model):
    """One report the region has built automatically at the start of each month (kind and format)."""

    __tablename__ = "report_schedules"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "format", name="uq_report_schedules_kind"),)

    kind: Mapped[str] = mapped_column(String(10))  # monthly | yearly
    format: Mapped[str] = mapped_column(String(4))  # pdf | xlsx
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
