"""Rollup tables the dashboards read, and the report jobs that turn them into files.

`case_rollups` holds counters per (region, day, metric, dimensions); `citizen_programs`
which programs each citizen was referred to. Both are kept current by the session
listener in `app.dashboard.rollups` and can be recomputed with `flask dashboard rebuild`.

`household_programs` and `program_rollups` hold what households actually receive (the
register extract's program flags and approved participation), kept by the listener in
`app.dashboard.program_rollups` and rebuilt when a register import is confirmed.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.jobs.vocabulary import ACTIVE_JOB_STATUSES, JobStatus
from app.tenancy.keys import tenant_fk
from app.tenancy.models import TenantOwned, utcnow

#: Text dimensions of a rollup row ('' when a metric does not use one, so the unique key works).
DIMENSIONS = ("district_code", "service_area", "channel", "state", "unit_id", "partner_level",
              "partner_id", "detail", "bucket")


class CaseRollup(TenantOwned, Model):
    """One counter: how many of `metric` on `day` for one combination of dimensions."""

    __tablename__ = "case_rollups"
    __table_args__ = (
        UniqueConstraint("tenant_id", "day", "metric", *DIMENSIONS, name="uq_case_rollups_key"),
        Index("ix_case_rollups_metric_day", "tenant_id", "metric", "day"),
        # The auditors' comparison: a metric over a period across every region, index-only on PostgreSQL.
        Index("ix_case_rollups_metric_day_all_regions", "metric", "day",
              postgresql_include=["tenant_id", "partner_level", "bucket", "detail", "value"]),
    )

    day: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(32))
    district_code: Mapped[str] = mapped_column(String(16), default="")
    service_area: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(20), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    unit_id: Mapped[str] = mapped_column(String(36), default="")
    partner_level: Mapped[str] = mapped_column(String(20), default="")
    partner_id: Mapped[str] = mapped_column(String(36), default="")
    detail: Mapped[str] = mapped_column(String(20), default="")
    bucket: Mapped[int] = mapped_column(SmallInteger, default=0)
    value: Mapped[int] = mapped_column(Integer, default=0)


#: The dimensions a month's counter keeps: what the comparison across regions and the trends group by.
MONTH_DIMENSIONS = ("partner_level", "detail", "bucket")


class CaseRollupMonth(TenantOwned, Model):
    """The rollups of one month summed over the place, service area, channel, stage, unit and partner:
    kept with the daily ones in the same statement batch (`app.dashboard.rollups.upsert_counters`), so
    the national figures read 514 regions × months × metrics rows, whatever the number of cases."""

    __tablename__ = "case_rollup_months"
    __table_args__ = (
        UniqueConstraint("tenant_id", "month", "metric", *MONTH_DIMENSIONS, name="uq_case_rollup_months_key"),
        Index("ix_case_rollup_months_metric_month", "metric", "month"),
    )

    month: Mapped[date] = mapped_column(Date)  # the month's first day
    metric: Mapped[str] = mapped_column(String(32))
    partner_level: Mapped[str] = mapped_column(String(20), default="")
    detail: Mapped[str] = mapped_column(String(20), default="")
    bucket: Mapped[int] = mapped_column(SmallInteger, default=0)
    value: Mapped[int] = mapped_column(Integer, default=0)


class CitizenProgram(TenantOwned, Model):
    """A citizen referred to (and perhaps served by) one program: the base of the overlap matrix."""

    __tablename__ = "citizen_programs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "citizen_id", "partner_id", name="uq_citizen_programs_citizen_partner"),
        tenant_fk("citizen_id", "citizens"),
        tenant_fk("partner_id", "partners"),
    )

    citizen_id: Mapped[uuid.UUID] = mapped_column()
    partner_id: Mapped[uuid.UUID] = mapped_column()
    partner_level: Mapped[str] = mapped_column(String(20))
    district_code: Mapped[str] = mapped_column(String(16), default="")
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    served_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HouseholdPrograms(TenantOwned, Model):
    """What one known household receives now, as the program rollups last counted it.

    `receipts` is the sorted, comma-separated set of what makes it a recipient: `f:<flag>`
    for a program flag of the current register extract (household or member), `p:<program
    id>` for an approved participation not ended. Flags are mapped to catalogue programs
    when the figures are read, so catalogue edits need no rebuild.
    """

    __tablename__ = "household_programs"
    __table_args__ = (UniqueConstraint("tenant_id", "kk_number", name="uq_household_programs_kk"),)

    kk_number: Mapped[str] = mapped_column(String(16))
    district_code: Mapped[str] = mapped_column(String(16), default="")
    in_register: Mapped[bool] = mapped_column(Boolean, default=False)
    receipts: Mapped[str] = mapped_column(Text, default="")


class ProgramRollup(TenantOwned, Model):
    """How many known households of a district receive exactly one combination of programs.

    The empty combination counts the households that receive nothing, so the sum over a
    district is every household known there. `combo_key` is a digest of `receipts` (the key
    stays short however many programs a household receives).
    """

    __tablename__ = "program_rollups"
    __table_args__ = (
        UniqueConstraint("tenant_id", "district_code", "in_register", "combo_key", name="uq_program_rollups_key"),
    )

    district_code: Mapped[str] = mapped_column(String(16), default="")
    in_register: Mapped[bool] = mapped_column(Boolean, default=False)
    combo_key: Mapped[str] = mapped_column(String(32))
    receipts: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[int] = mapped_column(Integer, default=0)


class _JobColumns:
    """What a report job records, in a region or on the platform."""

    kind: Mapped[str] = mapped_column(String(10))  # monthly | yearly | national
    period: Mapped[str] = mapped_column(String(7))  # 2026-11 | 2026
    format: Mapped[str] = mapped_column(String(4))  # pdf | xlsx
    status: Mapped[str] = mapped_column(String(10), JobStatus.check("status"), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    file_path: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The language the report was requested in: the PDF or workbook is written in it.
    locale: Mapped[str] = mapped_column(String(8), default="id", server_default="id")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES


class ReportJob(_JobColumns, TenantOwned, Model):
    """A monthly or yearly report of one region, requested by one of its staff or built on schedule.

    A scheduled report has no requester and a `schedule_key` (`monthly:pdf:2026-11`), unique in
    the region: however often the monthly dispatcher runs, each scheduled report is made once.
    """

    __tablename__ = "report_jobs"
    __table_args__ = (Index("ix_report_jobs_requested_by", "tenant_id", "requested_by", "created_at"),
                      UniqueConstraint("tenant_id", "schedule_key", name="uq_report_jobs_schedule_key"))

    requested_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))  # None: scheduled
    schedule_key: Mapped[str | None] = mapped_column(String(40))

    @property
    def scheduled(self) -> bool:
        return self.schedule_key is not None


class PlatformReportJob(_JobColumns, Model):
    """A report requested on the platform (auditor, national admin): one region's, or the national summary."""

    __tablename__ = "platform_report_jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # Not `tenant_id`: this table is platform-level; the region is what the report is about.
    region_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"))


from app.dashboard import bulk_changes, program_rollups, rollups  # noqa: E402,F401  (register the session listeners)
