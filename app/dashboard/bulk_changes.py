"""Rollups kept current through bulk ORM statements too.

The flush listeners (`app.dashboard.rollups`, `app.dashboard.program_rollups`) see what the
unit of work writes. A reviewer's decision is an `UPDATE … WHERE stage = …` statement
(`app.reviews.operations.decide`: it guards against two reviewers at once), which never
passes through a flush. So ORM UPDATE and DELETE statements on the tables the board counts
are watched here: the rows they match are read before and after, and what changed is moved
in the same transaction.

* data updates of kind `new_household` → the `prelist` counters;
* participations and citizens → the households they touch, counted again.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from app.citizens.models import Citizen
from app.programs.models import Participation
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

WATCHED = (DataUpdate, Participation, Citizen)


def _prelist_rows(session: Session, where) -> dict:
    """id → (tenant, created_at, district, status, result) of the new-household updates matched."""
    stmt = select(DataUpdate.id, DataUpdate.tenant_id, DataUpdate.created_at, DataUpdate.district_code,
                  DataUpdate.status, DataUpdate.result).where(DataUpdate.kind == UpdateKind.NEW_HOUSEHOLD)
    if where is not None:
        stmt = stmt.where(where)
    return {row[0]: tuple(row[1:]) for row in session.execute(stmt)}


def _prelist_deltas(before: dict, after: dict) -> dict:
    from app.dashboard.metrics import prelist_key, prelist_stage
    from app.dashboard.rollups import zone

    tz = zone()
    out: dict = defaultdict(Counter)
    for rows, sign in ((before, -1), (after, 1)):
        for tenant_id, created_at, district, status, result in rows.values():
            out[tenant_id][prelist_key(created_at, district, prelist_stage(status, result), tz)] += sign
    return out


def _households(session: Session, model, where, ids=None) -> dict:
    """id → (tenant, KK number) of the participations or citizens matched."""
    stmt = select(model.id, model.tenant_id, model.kk_number)
    if ids is not None:
        stmt = stmt.where(model.id.in_(list(ids)))
    elif where is not None:
        stmt = stmt.where(where)
    return {row[0]: (row[1], row[2]) for row in session.execute(stmt)}


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState):
    """Run a bulk UPDATE/DELETE on a watched table, then move the rollups it changed."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    if model not in WATCHED:
        return None
    session, where = state.session, getattr(state.statement, "whereclause", None)
    if model is DataUpdate:
        before = _prelist_rows(session, where)
        result = state.invoke_statement()
        after = _prelist_rows(session, DataUpdate.id.in_(list(before))) if before and state.is_update else {}
        deltas = _prelist_deltas(before, after)
        if deltas:
            from app.dashboard.rollups import upsert_counters

            connection = session.connection()
            for tenant_id in sorted(deltas, key=str):
                upsert_counters(connection, tenant_id, deltas[tenant_id])
        return result
    before = _households(session, model, where)
    result = state.invoke_statement()
    after = _households(session, model, None, before) if before and state.is_update else {}
    touched: dict = defaultdict(set)
    for tenant_id, kk in (*before.values(), *after.values()):
        touched[tenant_id].add(kk)
    if touched:
        from app.dashboard.program_rollups import refresh_households

        connection = session.connection()
        for tenant_id in sorted(touched, key=str):
            refresh_households(connection, tenant_id, touched[tenant_id])
    return result
