"""An RQ worker in a thread for browser tests (with REDIS_URL the app enqueues its jobs)."""
from __future__ import annotations

import threading
from contextlib import contextmanager


@contextmanager
def report_worker(app):
    """With Redis: an RQ worker in a thread, draining the queue until the block ends."""
    if not app.config.get("REDIS_URL"):
        yield
        return
    from rq import SimpleWorker
    from rq.timeouts import TimerDeathPenalty

    from app.jobs.queue import get_queue

    class ThreadWorker(SimpleWorker):
        death_penalty_class = TimerDeathPenalty

        def _install_signal_handlers(self):  # signals belong to the main thread
            pass

    stop = threading.Event()

    def loop():
        with app.app_context():
            queue = get_queue()
            while not stop.is_set():
                ThreadWorker([queue], connection=queue.connection).work(burst=True)
                stop.wait(0.3)

    thread = threading.Thread(target=loop, name="e2e-rq-worker", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=15)
