"""Engine-level settings that must hold on every connection."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

_configured: set[int] = set()


def configure_engine_events(engine: Engine) -> None:
    """SQLite: enforce foreign keys and wait on locks instead of failing at once."""
    if engine.dialect.name != "sqlite" or id(engine) in _configured:
        return
    _configured.add(id(engine))

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
