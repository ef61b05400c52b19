"""Scheduled reports: at the start of each month, the reports each region chose are built on their own.

`dispatch_all(day)` is the monthly dispatcher. With Redis, RQ's cron scheduler runs it every
hour in the worker (`app.jobs.sla.make_cron`); without, `flask reports run-scheduled` runs it
(from the system's cron, once a day or on the 1st). For each region and each report it chose
(`ReportSchedule`), it makes the report of the period just ended: the previous month for a
monthly report, and in January the previous year for a yearly one. The report waits in the
region's reports list, marked as scheduled, for everyone who may request reports there.

Idempotent: a scheduled job carries `schedule_key` (`monthly:pdf:2026-11`), unique per region,
so running the dispatcher twice (or in two workers at once) makes each report once. Each job
made is audited as the system (`report.scheduled`); it is built after the commit, like a
requested one (`app.jobs.reports`).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.log import record
from app.dashboard.models import ReportJob
from app.extensions import db
from app.jobs.reports import build_region_report, schedule
from app.reports.settings import scheduled_reports
from app.tenancy.context import current_tenant_id, tenant_context
from app.tenancy.models import Tenant, TenantStatus

#: The actor an audit event names when nobody asked: the scheduler did it.
SYSTEM_ACTOR = "system"


def due_period(kind: str, day: date) -> str | None:
    """The period a report scheduled on `day` covers: the month just ended (`2026-11`), or for a
    yearly report in January the year just ended (`2025`); None when a yearly one is not due."""
    if kind == "monthly":
        return (day.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return str(day.year - 1) if day.month == 1 else None


def schedule_key(kind: str, fmt: str, period: str) -> str:
    return f"{kind}:{fmt}:{period}"


def _made(key: str) -> bool:
    return db.session.scalar(select(ReportJob.id).where(ReportJob.schedule_key == key)) is not None


def dispatch_region(day: date) -> list[ReportJob]:
    """Make the current region's scheduled reports due on `day` that are not made yet (flushes; the caller
    commits, and the jobs are built after the commit)."""
    made = []
    for kind, fmt in sorted(scheduled_reports()):
        period = due_period(kind, day)
        if period is None:
            continue
        key = schedule_key(kind, fmt, period)
        if _made(key):
            continue
        job = ReportJob(kind=kind, period=period, format=fmt, requested_by=None, schedule_key=key, locale="id")
        try:
            with db.session.begin_nested():  # another dispatcher may have made it a moment ago
                db.session.add(job)
                db.session.flush()
        except IntegrityError:
            continue
        event = record("report.scheduled", "report_job", job.id, kind=kind, period=period, format=fmt,
                       scheduled=True)
        event.user_id, event.actor = None, SYSTEM_ACTOR
        schedule(build_region_report, str(job.id), str(current_tenant_id()))
        made.append(job)
    return made


def dispatch_all(day: date) -> int:
    """`dispatch_region` in every active region, one commit per region; returns how many reports were made."""
    made = 0
    tenants = db.session.scalars(select(Tenant).where(Tenant.status == TenantStatus.ACTIVE.value)
                                 .order_by(Tenant.slug)).all()
    for tenant in tenants:
        with tenant_context(tenant):
            made += len(dispatch_region(day))
            db.session.commit()
    return made
