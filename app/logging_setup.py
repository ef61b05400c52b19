"""Structured logs: one JSON line per request and one per job run.

* Every request gets an id: the incoming `X-Request-ID` when a proxy sent a well-formed one
  (8-64 letters, digits, `.`, `_`, `:` or `-`), else a new one. It is returned in the
  `X-Request-ID` header of every response and shown on the 500 page, so a person can quote it
  and the operator can find the line (and the traceback, which carries it too).
* Logger `slrt.request`: request_id, region (slug, or null on the platform), user_id, method,
  route (the URL rule, never the query string, which may hold a NIK), status, duration_ms.
* Logger `slrt.job`: job_id, region, kind, status (done, skipped, failed, error), duration_ms,
  and the error's type when the run raised; a run whose worker died gets a line with status lost.

Lines go to stderr (gunicorn and the RQ worker pass it on to the platform's log collector).
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_LOG = logging.getLogger("slrt.request")
JOB_LOG = logging.getLogger("slrt.job")
HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,64}")


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is written (servers and test runners swap it)."""

    stream = property(lambda self: sys.stderr, lambda self, value: None)


class _RequestIdFilter(logging.Filter):
    """Adds the request id to the app's own log records (tracebacks of 500s included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def _install_handlers() -> None:
    """Once per process: JSON lines to stderr for `slrt.*`; the request id on Flask's own lines."""
    root = logging.getLogger("slrt")
    if not any(isinstance(h, _Stderr) for h in root.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    if not any(isinstance(f, _RequestIdFilter) for f in default_handler.filters):
        default_handler.addFilter(_RequestIdFilter())
        default_handler.setFormatter(logging.Formatter(
            "[%(asctime)s] %(levelname)s request_id=%(request_id)s in %(module)s: %(message)s"))


def emit(logger: logging.Logger, fields: dict) -> None:
    logger.info(json.dumps(fields, default=str, ensure_ascii=False))


def init_app(app: Flask) -> None:
    """Give each request an id first thing, and log it with the response."""
    _install_handlers()
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(finish_request)


def start_request() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if _WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _identity() -> tuple[str | None, str | None]:
    tenant = g.get("tenant")
    user = g.get("_login_user")  # only if Flask-Login loaded it: logging never queries
    return getattr(tenant, "slug", None), str(user.id) if getattr(user, "is_authenticated", False) else None


def note_identity(response):
    """`after_request`, run before the request's commit: the region and user for the log line,
    read while they are loaded (after the commit they are expired, and reading them would
    open a transaction and query both again)."""
    g.log_identity = _identity()
    return response


def finish_request(response):
    """The `X-Request-ID` header, and the request's log line (static files are not logged)."""
    request_id = g.get("request_id") or uuid.uuid4().hex  # a request refused before any hook ran
    response.headers[HEADER] = request_id
    if request.endpoint == "static":
        return response
    started = g.get("request_started", time.perf_counter())
    noted = g.pop("log_identity", None)
    # A streamed body (CSV downloads) runs after this, once the session is gone: it reads the user
    # and region, which the commit expired, so they are read again here, as before the note.
    region, user_id = _identity() if noted is None or response.is_streamed else noted
    emit(REQUEST_LOG, {
        "request_id": request_id,
        "region": region,
        "user_id": user_id,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    })
    return response


@contextmanager
def job_run(kind: str, job_id: object, region: str | None) -> Iterator[dict]:
    """Log one line when a job run ends; the body sets `line["status"]` to how the run ended."""
    line: dict[str, object] = {"job_id": str(job_id), "region": region, "kind": kind, "status": "done"}
    started = time.perf_counter()
    try:
        yield line
    except BaseException as exc:
        line["status"], line["error"] = "error", type(exc).__name__
        raise
    finally:
        line["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
        emit(JOB_LOG, line)


def log_lost(kind: str, job_id: object, region: str | None, retrying: bool) -> None:
    """The line of a run whose worker died (recorded afterwards by RQ's failure callback)."""
    emit(JOB_LOG, {"job_id": str(job_id), "region": region, "kind": kind,
                   "status": "lost", "retrying": retrying})
