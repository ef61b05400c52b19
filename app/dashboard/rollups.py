"""Keeping the rollups current: a session listener on the case event stream.

After every flush that wrote case events or proposals to add a household (data updates of
kind `new_household`: the pre-list), the counters they add
(see `app.dashboard.metrics`) are upserted into `case_rollups` in the same transaction
(so a rollback takes them back too), and citizens' programs into `citizen_programs`.
A case whose district, service area, channel or unit changed has its whole
contribution moved. Nothing in `app.casework` knows about this.
"""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict

from flask import current_app, has_app_context
from sqlalchemy import event, func, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.casework.models import Case, CaseEvent
from app.dashboard.facts import load_histories
from app.dashboard.metrics import DEFAULT_ZONE, CaseFacts, Key, prelist_key, prelist_stage
from app.dashboard.models import MONTH_DIMENSIONS, CaseRollup, CaseRollupMonth, CitizenProgram
from app.extensions import upsert_insert
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

CASE_DIMENSIONS = ("district_code", "service_area", "channel", "unit_id")
PRELIST_FIELDS = ("created_at", "district_code", "status", "result", "kind")


def zone() -> str:
    """The region's local time zone for day boundaries."""
    if has_app_context():
        return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE
    return DEFAULT_ZONE


_STATEMENTS: dict = {}


def _upsert(dialect: str, name: str):
    """The two upsert statements, built once per dialect (building `excluded` is not free)."""
    key = (dialect, name)
    if key not in _STATEMENTS:
        insert = upsert_insert(dialect)
        stmt: postgresql.Insert | sqlite.Insert
        if name in ("counters", "months"):
            model = CaseRollup if name == "counters" else CaseRollupMonth
            table = model.__table__
            stmt = insert(model)
            stmt = stmt.on_conflict_do_update(
                index_elements=[c.name for c in table.c if c.name not in ("id", "value")],
                set_={"value": table.c.value + stmt.excluded.value})
        else:
            table = CitizenProgram.__table__
            stmt = insert(CitizenProgram)
            stmt = stmt.on_conflict_do_update(
                index_elements=["tenant_id", "citizen_id", "partner_id"],
                set_={"served_at": func.coalesce(table.c.served_at, stmt.excluded.served_at)})
        _STATEMENTS[key] = stmt
    return _STATEMENTS[key]


def upsert_counters(connection, tenant_id, deltas: Counter) -> None:
    """Add `deltas` to the region's counters (insert, or value = value + delta), in key order, and
    their sums per month to the month's counters (`CaseRollupMonth`)."""
    rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "value": value, **key._asdict()}
            for key, value in sorted(deltas.items()) if value]
    if not rows:
        return
    connection.execute(_upsert(connection.dialect.name, "counters"), rows)
    months: Counter = Counter()
    for key, value in deltas.items():
        months[(key.day.replace(day=1), key.metric, *(getattr(key, d) for d in MONTH_DIMENSIONS))] += value
    month_rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "month": month, "metric": metric, "value": value,
                   **dict(zip(MONTH_DIMENSIONS, dims, strict=True))}
                  for (month, metric, *dims), value in sorted(months.items()) if value]
    if month_rows:
        connection.execute(_upsert(connection.dialect.name, "months"), month_rows)


def upsert_programs(connection, tenant_id, rows: list[tuple]) -> None:
    """Record citizen ↔ program links (the first one wins; `served_at` is set once)."""
    stmt = _upsert(connection.dialect.name, "programs")
    for citizen, partner, level, district, at, served in rows:
        connection.execute(stmt, {"tenant_id": tenant_id, "id": uuid.uuid4(), "citizen_id": citizen,
                                  "partner_id": uuid.UUID(str(partner)), "partner_level": level,
                                  "district_code": district, "first_at": at, "served_at": at if served else None})


def _old_value(obj, name: str):
    history = inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(obj, name)


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _prelist_key(update: DataUpdate, tz: str) -> Key | None:
    """The counter a proposal to add a household counts in (None for other kinds of update)."""
    if update.kind != UpdateKind.NEW_HOUSEHOLD:
        return None
    return prelist_key(update.created_at, update.district_code, prelist_stage(update.status, update.result), tz)


def _old_prelist_key(update: DataUpdate, tz: str) -> Key | None:
    """The counter the proposal counted in before this flush's changes."""
    created_at, district_code, status, result, kind = (_old_value(update, name) for name in PRELIST_FIELDS)
    if kind != UpdateKind.NEW_HOUSEHOLD:
        return None
    return prelist_key(created_at, district_code, prelist_stage(status, result), tz)


def _prelist_deltas(session, tz: str) -> dict:
    out: dict = defaultdict(Counter)

    def add(update: DataUpdate, key: Key | None, n: int) -> None:
        if key is not None:
            out[update.tenant_id][key] += n

    for obj in session.new:
        if isinstance(obj, DataUpdate):
            add(obj, _prelist_key(obj, tz), 1)
    for obj in session.dirty:
        if isinstance(obj, DataUpdate) and obj not in session.new and _changed(obj, PRELIST_FIELDS):
            add(obj, _old_prelist_key(obj, tz), -1)
            add(obj, _prelist_key(obj, tz), 1)
    for obj in session.deleted:
        if isinstance(obj, DataUpdate):
            add(obj, _old_prelist_key(obj, tz), -1)
    return out


def _case_deltas(session, tz: str) -> tuple[dict, dict]:
    """Per region: counter deltas and program links from new events and moved cases."""
    new_events: dict = defaultdict(set)
    touched: dict = defaultdict(set)
    for obj in session.new:
        if isinstance(obj, CaseEvent):
            new_events[obj.tenant_id].add(obj.id)
            touched[obj.tenant_id].add(obj.case_id)
    moved: dict = {}
    for obj in session.dirty:
        if isinstance(obj, Case) and obj not in session.new and _changed(obj, CASE_DIMENSIONS):
            old = {n: _old_value(obj, n) for n in CASE_DIMENSIONS}
            moved[obj.id] = CaseFacts(old["district_code"] or "", old["service_area"] or "", old["channel"] or "",
                                      str(old["unit_id"]) if old["unit_id"] else "", obj.citizen_id)
            touched[obj.tenant_id].add(obj.id)
    deltas: dict = defaultdict(Counter)
    programs: dict = defaultdict(list)
    for tenant_id, case_ids in touched.items():
        fresh = new_events.get(tenant_id, set())
        for case_id, history in load_histories(session, tenant_id, case_ids).items():
            if case_id in moved:
                deltas[tenant_id].subtract(history.deltas(moved[case_id], exclude=fresh, zone=tz))
                deltas[tenant_id].update(history.deltas(zone=tz))
            else:
                deltas[tenant_id].update(history.deltas(only=fresh, zone=tz))
            programs[tenant_id].extend(history.programs(only=fresh))
    return deltas, programs


@event.listens_for(Session, "after_flush")
def _roll_up(session: Session, flush_context) -> None:
    """Turn what this flush wrote into counter deltas, applied in the same transaction."""
    if not any(isinstance(o, (CaseEvent, DataUpdate, Case)) for o in
               (*session.new, *session.dirty, *session.deleted)):
        return
    tz = zone()
    deltas, programs = _case_deltas(session, tz)
    for tenant_id, counter in _prelist_deltas(session, tz).items():
        deltas[tenant_id].update(counter)
    connection = session.connection()
    for tenant_id in sorted(set(deltas) | set(programs), key=str):
        upsert_counters(connection, tenant_id, deltas.get(tenant_id, Counter()))
        upsert_programs(connection, tenant_id, programs.get(tenant_id, []))


def read_counters(session, tenant_id) -> Counter:
    """Every counter of a region as {Key: value} (zeros left out), for checks and rebuilds."""
    cols = [CaseRollup.day, CaseRollup.metric] + [getattr(CaseRollup, d) for d in Key._fields[2:]]
    out: Counter = Counter()
    for row in session.execute(select(*cols, CaseRollup.value).where(CaseRollup.tenant_id == tenant_id)):
        if row.value:
            out[Key(*row[:-1])] = row.value
    return out
