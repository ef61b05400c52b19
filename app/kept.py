"""Values read once per transaction: what several parts of one request (or one step) ask for.

`kept(name, load, watch=(Model, …))` returns `load()`, read once per database transaction and
region and then kept in the session (`session.info`). Meant for small region configuration that
a request reads several times and does not change meanwhile: the SOP versions in use, the unit
tree. The kept value is dropped

* when the transaction ends (commit, rollback, close) or a savepoint ends, so the next
  transaction — the next request — reads afresh;
* by any flush that writes an instance of a `watch` type, and by any ORM UPDATE or DELETE
  statement; and it is not used while such an instance has unflushed changes (a query would
  have flushed them first and seen them);
* when a kept ORM instance is no longer in the session (expunged).

Nothing is kept across transactions or processes, so there is nothing to invalidate elsewhere.
"""
from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.extensions import db
from app.tenancy.context import current_tenant_id

T = TypeVar("T")
_INFO = "kept"


def _pending(session: Session, watch: tuple[type, ...]) -> bool:
    return any(isinstance(o, watch) for o in chain(session.new, session.dirty, session.deleted))


def _in_session(value: Any, session: Session) -> bool:
    """Whether every ORM instance in `value` (one, or a list) is still in the session."""
    for item in value if isinstance(value, list) else [value]:
        state = inspect(item, raiseerr=False) if item is not None else None
        if state is not None and getattr(state, "mapper", None) is not None and item not in session:
            return False
    return True


def kept(name: str, load: Callable[[], T], watch: tuple[type, ...]) -> T:
    """`load()`, once per transaction and region (see the module docstring)."""
    session = db.session()
    if _pending(session, watch):
        return load()
    entry = _entry(session, name)
    if entry is None:
        entry = session.info.setdefault(_INFO, {})[(name, current_tenant_id())] = (watch, load())
    return entry[1]


def already_kept(name: str, watch: tuple[type, ...]):
    """What `kept(name, …)` holds now in this transaction and region, or None when nothing is kept (or it
    would not be used: a `watch` instance has unflushed changes). Lets one kept value answer from another."""
    session = db.session()
    entry = None if _pending(session, watch) else _entry(session, name)
    return entry[1] if entry is not None else None


def _entry(session: Session, name: str) -> tuple | None:
    """The (watch, value) kept under `name` for the region in context, if its instances are still in the session."""
    entry = (session.info.get(_INFO) or {}).get((name, current_tenant_id()))
    return entry if entry is not None and _in_session(entry[1], session) else None


@event.listens_for(Session, "after_transaction_end")
def _forget_on_transaction_end(session, transaction) -> None:
    # Each flush runs in an inner transaction of its own: only the real end (or a savepoint's) counts.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_INFO, None)


@event.listens_for(Session, "after_flush")
def _forget_on_write(session, _flush_context) -> None:
    memo = session.info.get(_INFO)
    if not memo:
        return
    written = {type(o) for o in chain(session.new, session.dirty, session.deleted)}
    for key in [k for k, (watch, _v) in memo.items() if any(issubclass(t, watch) for t in written)]:
        del memo[key]


@event.listens_for(Session, "do_orm_execute")
def _forget_on_bulk_write(state) -> None:
    """An UPDATE or DELETE statement (not through instances) may change anything kept: drop all."""
    if state.is_update or state.is_delete:
        state.session.info.pop(_INFO, None)
