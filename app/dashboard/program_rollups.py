"""Program receipt rollups: which programs each known household receives, and how many
households of each district receive each combination of programs.

A household *receives* a program when the region's current register extract flags it (the
household's or a member's program flags) or it has an approved participation that has not
ended. A household is *known* when it is in the current extract, a citizen of the region
carries its KK number, or it receives something.

Two tables (`app.dashboard.models`): `household_programs`, one row per known household
with what it receives (`f:<flag>` and `p:<program id>` items, so catalogue edits need no
rebuild), and `program_rollups`, households per (district, in the register or not,
combination). Every figure of program access and overlap is derived from the second.

Kept current two ways:

* `rebuild_program_rollups(tenant_id)`: everything from the raw tables, chunk by chunk.
  Called when a register import is confirmed, and by `flask dashboard rebuild`.
* a session listener: after a flush that wrote participations or citizens, the households
  they touch are counted again from the raw tables (`app.dashboard.receipt_sources`) and
  their contribution moved, in the same transaction (a rollback takes it back too); bulk
  UPDATE/DELETE statements (a reviewer's decision) are watched in `app.dashboard.bulk_changes`.
"""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import and_, delete, event, inspect, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.citizens.models import Citizen, RegisterHousehold
from app.dashboard.models import HouseholdPrograms, ProgramRollup
from app.dashboard.receipt_sources import Household, collect, combo_key, current_import
from app.extensions import upsert_insert
from app.programs.models import Participation

CHUNK = 5000
PARTICIPATION_FIELDS = ("status", "ended_at", "program_id", "kk_number", "district_code")
CITIZEN_FIELDS = ("kk_number", "village_code")

_STATEMENTS: dict = {}


def _upsert(dialect: str, name: str):
    key = (dialect, name)
    if key not in _STATEMENTS:
        insert = upsert_insert(dialect)
        stmt: postgresql.Insert | sqlite.Insert
        if name == "rollup":
            stmt = insert(ProgramRollup)
            stmt = stmt.on_conflict_do_update(
                index_elements=["tenant_id", "district_code", "in_register", "combo_key"],
                set_={"value": ProgramRollup.__table__.c.value + stmt.excluded.value})
        else:
            stmt = insert(HouseholdPrograms)
            stmt = stmt.on_conflict_do_update(
                index_elements=["tenant_id", "kk_number"],
                set_={"district_code": stmt.excluded.district_code, "in_register": stmt.excluded.in_register,
                      "receipts": stmt.excluded.receipts})
        _STATEMENTS[key] = stmt
    return _STATEMENTS[key]


def add_to_rollups(connection, tenant_id, deltas: Counter) -> None:
    """Add households to (or take them from) the (district, register, combination) counters."""
    rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "district_code": h.district_code,
             "in_register": h.in_register, "combo_key": combo_key(h.receipts), "receipts": h.receipts,
             "value": value} for h, value in sorted(deltas.items()) if value]
    if rows:
        connection.execute(_upsert(connection.dialect.name, "rollup"), rows)


def refresh_households(connection, tenant_id, kk_numbers: Iterable[str]) -> int:
    """Count these households again from the raw tables and move what changed; returns how many moved."""
    kks = sorted({kk for kk in kk_numbers if kk})
    if not kks:
        return 0
    s = HouseholdPrograms.__table__.c
    import_id = current_import(connection, tenant_id)
    deltas: Counter = Counter()
    changed: list[dict] = []
    gone: list[str] = []
    for start in range(0, len(kks), 500):
        part = kks[start:start + 500]
        now = collect(connection, tenant_id, import_id, lambda column, part=part: column.in_(part))
        stored = {row.kk_number: Household(row.district_code, row.in_register, row.receipts)
                  for row in connection.execute(select(s.kk_number, s.district_code, s.in_register, s.receipts)
                                                .where(s.tenant_id == tenant_id, s.kk_number.in_(part)))}
        for kk in part:
            old, new = stored.get(kk), now.get(kk)
            if old == new:
                continue
            if old is not None:
                deltas[old] -= 1
            if new is not None:
                deltas[new] += 1
                changed.append({"tenant_id": tenant_id, "id": uuid.uuid4(), "kk_number": kk, **new._asdict()})
            else:
                gone.append(kk)
    if gone:
        connection.execute(delete(HouseholdPrograms).where(s.tenant_id == tenant_id, s.kk_number.in_(gone)))
    if changed:
        connection.execute(_upsert(connection.dialect.name, "household"), changed)
    add_to_rollups(connection, tenant_id, deltas)
    return len(changed) + len(gone)


def _kk_ranges(connection, tenant_id, import_id, chunk: int) -> Iterator[Callable]:
    """KK-number ranges of about `chunk` register households each, then everything after the last."""
    h = RegisterHousehold.__table__.c
    low = None
    while import_id is not None:
        stmt = (select(h.kk_number).where(h.tenant_id == tenant_id, h.import_id == import_id)
                .order_by(h.kk_number).offset(chunk - 1).limit(1))
        if low is not None:
            stmt = stmt.where(h.kk_number > low)
        high = connection.execute(stmt).scalar()
        if high is None:
            break
        yield lambda column, low=low, high=high: and_(column > low if low is not None else true(), column <= high)
        low = high
    yield lambda column, low=low: column > low if low is not None else true()


def compute_households(connection, tenant_id, chunk: int = CHUNK) -> Iterator[dict[str, Household]]:
    """Every known household of the region, from the raw tables, a KK range at a time."""
    for _kk_filter, households in _ranges_and_households(connection, tenant_id, chunk):
        yield households


def _ranges_and_households(connection, tenant_id, chunk: int) -> Iterator[tuple[Callable, dict[str, Household]]]:
    import_id = current_import(connection, tenant_id)
    for kk_filter in _kk_ranges(connection, tenant_id, import_id, chunk):
        yield kk_filter, collect(connection, tenant_id, import_id, kk_filter)


def _write_changes(connection, tenant_id, kk_filter: Callable, households: dict[str, Household]) -> int:
    """Make the stored households of one KK range what `households` says; returns the rows written."""
    s = HouseholdPrograms.__table__.c
    stored = {row.kk_number: Household(row.district_code, row.in_register, row.receipts) for row in
              connection.execute(select(s.kk_number, s.district_code, s.in_register, s.receipts)
                                 .where(s.tenant_id == tenant_id, kk_filter(s.kk_number)))}
    gone = [kk for kk in stored if kk not in households]
    for start in range(0, len(gone), 500):
        connection.execute(delete(HouseholdPrograms).where(s.tenant_id == tenant_id,
                                                           s.kk_number.in_(gone[start:start + 500])))
    rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "kk_number": kk, "district_code": h[0], "in_register": h[1],
             "receipts": h[2]} for kk, h in households.items() if stored.get(kk) != h]
    if rows:
        connection.execute(_upsert(connection.dialect.name, "household"), rows)
    return len(rows) + len(gone)


def rebuild_program_rollups(tenant_id) -> int:
    """Recompute the region's program receipt rollups from the raw tables; returns the households known.

    Call it after a register import is confirmed (the extract's flags changed wholesale).
    Only the households whose receipts or place changed are written again; the counters are
    replaced. Flushes only, in the region's context (entered here when another one is
    current); the caller commits.
    """
    from app.extensions import db
    from app.tenancy.context import current_tenant_id, tenant_context
    from app.tenancy.models import Tenant

    if current_tenant_id() != tenant_id:
        with tenant_context(db.session.get(Tenant, tenant_id)):
            return rebuild_program_rollups(tenant_id)
    db.session.flush()
    connection = db.session.connection()
    totals: Counter = Counter()
    for kk_filter, households in _ranges_and_households(connection, tenant_id, CHUNK):
        _write_changes(connection, tenant_id, kk_filter, households)
        totals.update(households.values())
    connection.execute(delete(ProgramRollup).where(ProgramRollup.__table__.c.tenant_id == tenant_id))
    add_to_rollups(connection, tenant_id, totals)
    return sum(totals.values())


def read_rollups(session, tenant_id) -> Counter:
    """The region's counters as {Household: households} (zeros left out), for checks."""
    r = ProgramRollup.__table__.c
    out: Counter = Counter()
    for district, registered, receipts, value in session.connection().execute(
            select(r.district_code, r.in_register, r.receipts, r.value).where(r.tenant_id == tenant_id)):
        if value:
            out[Household(district, registered, receipts)] += value
    return out


# --- keeping them current ------------------------------------------------------------------------

def _old(obj, name: str):
    history = inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(obj, name)


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def touched_households(session) -> dict:
    """{region id: KK numbers} whose receipts or place this flush may have changed."""
    out: dict = defaultdict(set)
    for obj in session.new:
        if isinstance(obj, (Participation, Citizen)):
            out[obj.tenant_id].add(obj.kk_number)
    for obj in session.dirty:
        if (isinstance(obj, Participation) and _changed(obj, PARTICIPATION_FIELDS)) or \
                (isinstance(obj, Citizen) and _changed(obj, CITIZEN_FIELDS)):
            out[obj.tenant_id] |= {obj.kk_number, _old(obj, "kk_number")}
    for obj in session.deleted:
        if isinstance(obj, (Participation, Citizen)):
            out[obj.tenant_id] |= {obj.kk_number, _old(obj, "kk_number")}
    return out


@event.listens_for(Session, "after_flush")
def _refresh(session: Session, flush_context) -> None:
    """Move the households this flush touched, in the same transaction."""
    if not any(isinstance(o, (Participation, Citizen)) for o in (*session.new, *session.dirty, *session.deleted)):
        return
    touched = touched_households(session)
    if not touched:
        return
    connection = session.connection()
    for tenant_id in sorted(touched, key=str):
        refresh_households(connection, tenant_id, touched[tenant_id])
