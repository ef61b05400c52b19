"""`python -m app.jobs.worker`: an RQ worker whose jobs run inside an app context."""
from __future__ import annotations

from rq import Worker

from app import create_app
from app.jobs.queue import get_queue

#: How often a worker runs RQ's maintenance, which retries or fails the jobs of dead workers
#: (their heartbeat lapses 90 s after the last beat): a lost job is noticed within ~3 minutes.
MAINTENANCE_INTERVAL = 60


def make_worker() -> Worker:
    queue = get_queue()
    return Worker([queue], connection=queue.connection, maintenance_interval=MAINTENANCE_INTERVAL)


def main() -> None:
    app = create_app()
    with app.app_context():
        if not app.config.get("REDIS_URL"):
            raise SystemExit("REDIS_URL is not set: jobs run inline in the web process.")
        from app.jobs.sla import start_cron

        worker = make_worker()
        start_cron(worker.queues[0])
        worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
