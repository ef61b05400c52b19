"""The periodic SLA sweep (every 5 minutes) and, beside it, the scheduled-report dispatcher (hourly):
registered with RQ's cron scheduler by the worker."""
from __future__ import annotations

import threading
import time

SWEEP_INTERVAL = 5 * 60


def sweep_job() -> int:
    """Runs in the worker's app context: escalates overdue cases, then reminds partners whose
    referrals wait past the region's response time (both idempotent)."""
    from app.casework.partner_portal import remind_all_partners
    from app.notices.escalation import sweep_overdue
    from app.tenancy.models import utcnow

    now = utcnow()
    fired = sweep_overdue(now)
    remind_all_partners(now)
    return fired


def make_cron(queue):
    """RQ 3's cron scheduler with the sweep registered on `queue`."""
    from rq.cron import CronScheduler

    cron = CronScheduler(connection=queue.connection, name="slrt-sla")
    cron.register(sweep_job, queue_name=queue.name, interval=SWEEP_INTERVAL, name="sla-sweep")
    return cron


def start_cron(queue) -> threading.Thread:
    """Enqueue the sweep on schedule from a daemon thread beside the worker (the sweep is
    idempotent, so two workers doing this only sweep twice)."""
    from app.jobs.scheduled_reports import register_dispatch

    cron = register_dispatch(make_cron(queue), queue)

    def loop() -> None:
        while True:
            cron.enqueue_jobs()
            time.sleep(max(1.0, cron.calculate_sleep_interval()))

    thread = threading.Thread(target=loop, name="sla-cron", daemon=True)
    thread.start()
    return thread
