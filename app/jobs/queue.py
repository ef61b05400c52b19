"""The job queue: one `enqueue` for both modes.

Jobs receive the tenant id explicitly and enter `tenant_context` themselves
(see `run_in_tenant`), because a worker has no request and no Host header.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app


def _redis():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2)


def redis_status() -> str:
    """'inline' when jobs run in-process, else 'ok' or 'down'."""
    if not current_app.config.get("REDIS_URL"):
        return "inline"
    try:
        _redis().ping()
        return "ok"
    except Exception as exc:
        current_app.logger.warning("healthz: redis check failed: %s", exc)
        return "down"


def get_queue():
    from rq import Queue

    return Queue(current_app.config["RQ_QUEUE"], connection=_redis())


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any):
    """Run `func` on the RQ queue, or right now when there is no Redis."""
    if not current_app.config.get("REDIS_URL"):
        return func(*args, **kwargs)
    return get_queue().enqueue(func, *args, **kwargs)
