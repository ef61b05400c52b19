"""Reads that may go to a read replica: one switch per request, routed where every statement passes.

* `REPLICA_DATABASE_URL` (the app role on a streaming replica) and `PLATFORM_REPLICA_DATABASE_URL`
  (the platform role on it) become the binds `replica` and `platform_replica`
  (`configure_replica_binds`, before `db.init_app`). Both are optional; without them nothing
  here changes anything.
* `read_from_replica()` marks the current request (flask `g`). `replica_reads(bp)` does it
  before every GET of a blueprint, unless its view is marked `@reads_primary`, and only after
  the login check (server-side session, user, membership) has read the primary, so a logout
  or a revoked post takes effect at once.
* From then on the session's tenant listener (`app.tenancy.scoping`) sends each plain SELECT to
  the replica: tenant-scoped ones to `replica`, with the same tenant criteria and, on
  PostgreSQL, the same `app.tenant_id` (the session's `after_begin` runs for every connection
  of the transaction); `all_tenants` ones to `platform_replica`, or the platform engine if
  that is not configured.
* Everything else stays on the primary: INSERT/UPDATE/DELETE and flushes, SELECT … FOR UPDATE,
  textual SQL, the reload of an object's attributes (refresh, expired attributes), and any
  statement with the execution option `primary=True`: a read that must see the request's own
  writes (the replica does not see them, and may be seconds behind).
* Replica connections are read-only (`PRAGMA query_only` on SQLite, `BEGIN READ ONLY` on
  PostgreSQL), so even a write forced onto one is refused by the database.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, Flask, current_app, g, has_app_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.sql import CompoundSelect, Select

#: Flask-SQLAlchemy bind keys of the replica engines (no model is mapped to them).
REPLICA_BIND = "replica"
PLATFORM_REPLICA_BIND = "platform_replica"
#: Execution option that keeps one SELECT on the primary while the request reads the replica.
PRIMARY = "primary"

_SETTINGS = ((REPLICA_BIND, "REPLICA_DATABASE_URI"), (PLATFORM_REPLICA_BIND, "PLATFORM_REPLICA_DATABASE_URI"))
_FLAG = "_read_from_replica"
_PRIMARY_VIEW = "_reads_primary"

F = TypeVar("F", bound=Callable)


def configure_replica_binds(app: Flask) -> None:
    """Add (or drop) the replica binds from the config (before `db.init_app`)."""
    binds = dict(app.config.get("SQLALCHEMY_BINDS") or {})  # never mutate a shared default
    for key, setting in _SETTINGS:
        url = app.config.get(setting)
        if url and url != app.config.get("SQLALCHEMY_DATABASE_URI"):
            binds[key] = url
        else:  # unset here, even if the config was copied from an app that had one
            binds.pop(key, None)
    app.config["SQLALCHEMY_BINDS"] = binds


def configure_replica_engines() -> None:
    """Make every replica connection read-only (in an app context, after `db.init_app`)."""
    from app.extensions import db

    for key, _setting in _SETTINGS:
        engine = db.engines.get(key)
        if engine is not None and not event.contains(engine, "connect", _read_only):
            event.listen(engine, "connect", _read_only)


def _read_only(dbapi_connection, _record) -> None:
    if hasattr(dbapi_connection, "read_only"):  # psycopg 3: each transaction begins READ ONLY
        dbapi_connection.read_only = True
    else:  # sqlite3
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only = ON")
        cursor.close()


def replica_configured() -> bool:
    from app.extensions import db

    return any(key in db.engines for key, _setting in _SETTINGS)


def read_from_replica() -> None:
    """From now on, in this request (app context), plain SELECTs read the replica when one is configured."""
    setattr(g, _FLAG, True)


def reading_from_replica() -> bool:
    return has_app_context() and bool(g.get(_FLAG))


def reads_primary(view: F) -> F:
    """Keep one view of a `replica_reads` blueprint on the primary: a page that must show what the
    request before it just wrote (the target of a redirect after a form, a job's progress)."""
    setattr(view, _PRIMARY_VIEW, True)
    return view


def replica_reads(blueprint: Blueprint) -> None:
    """Every GET of `blueprint` reads the replica (when configured), except views marked `@reads_primary`."""
    blueprint.before_request(_switch_for_reads)


def _switch_for_reads() -> None:
    if request.method not in ("GET", "HEAD") or not replica_configured():
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, _PRIMARY_VIEW, False):
        return
    _ = current_user.is_authenticated  # the login check reads the primary, before the switch
    read_from_replica()


def replica_for(state: ORMExecuteState, *, all_tenants: bool = False) -> Engine | None:
    """The replica engine this statement reads from, or None: it runs where it would anyway."""
    if not reading_from_replica() or not _plain_read(state):
        return None
    from app.extensions import db

    return db.engines.get(PLATFORM_REPLICA_BIND if all_tenants else REPLICA_BIND)


def _plain_read(state: ORMExecuteState) -> bool:
    statement = state.statement
    return (state.is_select and isinstance(statement, (Select, CompoundSelect))
            and getattr(statement, "_for_update_arg", None) is None  # a row lock needs the primary
            and not state.is_column_load  # refresh / expired attributes: the row as written
            and not state.execution_options.get(PRIMARY))
