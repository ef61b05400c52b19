"""The scheduled-report dispatcher as an RQ job, registered with RQ's cron scheduler by the worker
(`register_dispatch`, called by `app.jobs.sla.start_cron`; the worker runs `with_scheduler=True`).
It runs when the worker starts and every hour after, so the reports of the month just ended are
made within the hour the month starts (in the platform's time zone), and a worker that was down
catches up when it comes back. The dispatcher is idempotent
(`app.reports.scheduled`), so several workers running it only find the reports already made."""
from __future__ import annotations

#: Seconds between two runs of the dispatcher.
DISPATCH_INTERVAL = 60 * 60


def dispatch_job() -> int:
    """Runs in the worker's app context: make the scheduled reports due today in every region."""
    from app.dashboard.periods import today
    from app.jobs.reports import job_app
    from app.reports.scheduled import dispatch_all

    with job_app():
        return dispatch_all(today())


def register_dispatch(cron, queue):
    """Add the dispatcher to RQ's cron scheduler `cron`, on `queue`; returns `cron`."""
    cron.register(dispatch_job, queue_name=queue.name, interval=DISPATCH_INTERVAL, name="scheduled-reports")
    return cron
