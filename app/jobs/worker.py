"""`python -m app.jobs.worker`: an RQ worker whose jobs run inside an app context."""
from __future__ import annotations

from rq import Worker

from app import create_app
from app.jobs.queue import get_queue


def main() -> None:
    app = create_app()
    with app.app_context():
        if not app.config.get("REDIS_URL"):
            raise SystemExit("REDIS_URL is not set: jobs run inline in the web process.")
        queue = get_queue()
        Worker([queue], connection=queue.connection).work(with_scheduler=True)


if __name__ == "__main__":
    main()
