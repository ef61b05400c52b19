"""Load the official list of administrative areas (data/wilayah/) into the reference tables.

The four files are read and validated as a whole before anything is written; every
problem is reported with the file, the line and what is wrong. The load is then an
in-place sync, not delete-all: new codes are inserted, changed names updated and
vanished codes deleted, so tenants, org units and memberships that point at a
regency, district or village keep working. A vanished code that something still
references refuses the whole load. Everything happens in the current transaction
(`db.session`); the caller commits or rolls back.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import (
    BindParameter,
    ColumnClause,
    Table,
    bindparam,
    column,
    delete,
    insert,
    inspect,
    select,
    table,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from app.errors import Invalid
from app.extensions import db
from app.reference.models import District, Province, Regency, Village

CHUNK = 5_000  # rows per executemany batch
IN_CHUNK = 500  # codes per `IN (...)` when looking for references
MAX_PROBLEMS = 20  # problems listed before the rest are summarised
NAME_MAX = 100  # the name columns are String(100)


@dataclass(frozen=True)
class Level:
    """One file of the list and the table it fills."""

    file: str  # base name without .csv / .csv.gz
    table: Table
    parent_column: str | None  # None for provinces
    parent_file: str | None
    shape: str  # human-readable code shape
    pattern: re.Pattern[str]

    @property
    def header(self) -> list[str]:
        return ["code", self.parent_column, "name"] if self.parent_column else ["code", "name"]


def _table_of(model: type[Province | Regency | District | Village]) -> Table:
    """The model's Table (mypy sees `__table__` as any FromClause)."""
    return model.metadata.tables[model.__tablename__]


LEVELS: tuple[Level, ...] = (
    Level("provinces", _table_of(Province), None, None, "NN", re.compile(r"[0-9]{2}")),
    Level("regencies", _table_of(Regency), "province_code", "provinces", "NN.NN",
          re.compile(r"[0-9]{2}\.[0-9]{2}")),
    Level("districts", _table_of(District), "regency_code", "regencies", "NN.NN.NN",
          re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}")),
    Level("villages", _table_of(Village), "district_code", "districts", "NN.NN.NN.NNNN",
          re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")),
)
REFERENCE_TABLES = frozenset(level.table.name for level in LEVELS)

Rows = dict[str, tuple[str | None, str]]  # code -> (parent code, name), in file order


class WilayahError(Invalid):
    """The area list was refused; `problems` lists what is wrong (file, line, problem)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems), {"": problems})


class WilayahCounts(dict):
    """Rows per table after the load (a plain `dict[str, int]`).

    `changes` holds, per table, how many rows were inserted, updated and deleted.
    """

    def __init__(self, counts: dict[str, int], changes: dict[str, dict[str, int]]):
        super().__init__(counts)
        self.changes = changes


def _raise_if_any(problems: list[str]) -> None:
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("... dan %(n)s masalah lain", n=len(problems) - MAX_PROBLEMS))
        raise WilayahError(shown)


def _source(directory: Path, level: Level) -> Path:
    for candidate in (directory / f"{level.file}.csv.gz", directory / f"{level.file}.csv"):
        if candidate.is_file():
            return candidate
    raise WilayahError([
        _("berkas %(f)s.csv.gz (atau %(f)s.csv) tidak ditemukan di %(d)s", f=level.file, d=directory)
    ])


def _read_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields); line 1 is the header."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        for fields in reader:
            yield reader.line_num, fields


def _parse(path: Path, level: Level, parents: Rows | None, problems: list[str]) -> Rows:
    """Read one file into `code -> (parent, name)`, appending every problem found."""
    name = path.name
    rows: Rows = {}
    seen_at: dict[str, int] = {}
    expected = level.header
    header_seen = False
    try:
        for line, fields in _read_lines(path):
            where = f"{name} baris {line}"  # plain f-string: no gettext call per row
            if not header_seen:
                header_seen = True
                if fields != expected:
                    problems.append(_("%(w)s: kepala kolom harus '%(e)s', bukan '%(g)s'",
                                      w=where, e=",".join(expected), g=",".join(fields)))
                    return rows
                continue
            if not fields:
                continue  # blank line
            if len(fields) != len(expected):
                problems.append(_("%(w)s: harus ada %(k)s kolom, ada %(m)s",
                                  w=where, k=len(expected), m=len(fields)))
                continue
            code, label = fields[0].strip(), fields[-1].strip()
            parent = fields[1].strip() if level.parent_column else None
            if not level.pattern.fullmatch(code):
                problems.append(_("%(w)s: kode '%(c)s' tidak berbentuk %(s)s",
                                  w=where, c=code, s=level.shape))
                continue
            if code in seen_at:
                problems.append(_("%(w)s: kode %(c)s ganda (sudah ada di baris %(m)s)",
                                  w=where, c=code, m=seen_at[code]))
                continue
            seen_at[code] = line
            if not label:
                problems.append(_("%(w)s: nama untuk kode %(c)s kosong", w=where, c=code))
            elif len(label) > NAME_MAX:
                problems.append(_("%(w)s: nama untuk kode %(c)s lebih dari %(k)s karakter",
                                  w=where, c=code, k=NAME_MAX))
            if parents is not None and parent not in parents:
                problems.append(_("%(w)s: %(col)s %(p)s (kode %(c)s) tidak ada di %(pf)s",
                                  w=where, col=level.parent_column, p=parent, c=code,
                                  pf=level.parent_file))
            elif parents is not None and code.rsplit(".", 1)[0] != parent:
                problems.append(_("%(w)s: kode %(c)s tidak diawali kode induknya %(p)s",
                                  w=where, c=code, p=parent))
            rows[code] = (parent, label)
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(_("%(f)s: berkas tidak dapat dibaca (%(e)s)", f=name, e=str(exc)))
        return rows
    if not header_seen:
        problems.append(_("%(f)s: berkas kosong", f=name))
    elif not rows and not problems:
        problems.append(_("%(f)s: tidak ada baris data", f=name))
    return rows


def read_wilayah(directory: Path) -> dict[str, Rows]:
    """Read and validate the four files; raise WilayahError listing every problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise WilayahError([_("folder data wilayah %(d)s tidak ditemukan", d=directory)])
    problems: list[str] = []
    data: dict[str, Rows] = {}
    parents: Rows | None = None
    for level in LEVELS:
        rows = _parse(_source(directory, level), level, parents, problems)
        data[level.file] = rows
        parents = rows
    _raise_if_any(problems)
    return data


def _existing(conn: Connection, level: Level) -> Rows:
    tbl = level.table
    parent = tbl.c[level.parent_column] if level.parent_column else None
    columns = [tbl.c.code, tbl.c.name] + ([parent] if parent is not None else [])
    result = conn.execute(select(*columns))
    if parent is None:
        return {code: (None, name) for code, name in result}
    return {code: (par, name) for code, name, par in result}


def _references(conn: Connection, vanished: dict[str, set[str]]) -> list[str]:
    """Problems for vanished codes still referenced by any other table in the database.

    The database is reflected rather than `db.metadata` used, so a table whose model
    is not imported here is still seen.
    """
    problems: list[str] = []
    inspector = inspect(conn)
    for table_name in sorted(inspector.get_table_names()):
        if table_name in REFERENCE_TABLES:
            continue  # children of a vanished code vanish too, or fail validation
        for fk in inspector.get_foreign_keys(table_name):
            target = fk.get("referred_table")
            if not vanished.get(target) or fk.get("referred_schema"):
                continue
            for local, remote in zip(fk["constrained_columns"], fk["referred_columns"], strict=True):
                if remote == "code":
                    problems.extend(_used(conn, table_name, local, target, vanished[target]))
    return problems


def _every_region(conn: Connection) -> Connection:
    """A connection that sees every region's rows: the platform role's when configured (see
    app.tenancy.rls). Without it row-level security hides other regions' references, and the
    foreign key refuses the delete instead (caught below)."""
    from app.tenancy.scoping import PLATFORM_BIND, platform_connection

    return platform_connection() if PLATFORM_BIND in db.engines else conn


def _used(conn: Connection, table_name: str, local: str, target: str, gone: set[str]) -> list[str]:
    col: ColumnClause[str] = column(local)
    source = table(table_name, col)
    codes = sorted(gone)
    found: list[str] = []
    for start in range(0, len(codes), IN_CHUNK):
        stmt = select(col).select_from(source).where(col.in_(codes[start:start + IN_CHUNK]))
        for (code,) in conn.execute(stmt.distinct()):
            found.append(_(
                "kode %(c)s (%(t)s) tidak ada lagi di data baru, tetapi masih dipakai di %(r)s.%(col)s",
                c=code, t=target, r=table_name, col=local,
            ))
    return found


def _chunks(items: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def load_wilayah(directory: Path) -> dict[str, int]:
    """Sync the reference tables with the area list in `directory`; return rows per table.

    Reads `provinces`, `regencies`, `districts` and `villages` as `.csv.gz` (or `.csv`
    when the `.gz` is absent) and validates them completely before writing. Then, in
    the current transaction and without committing: inserts new codes (parents first),
    updates changed names, and deletes vanished codes (children first). Raises
    WilayahError, before anything is written, when a file is invalid or a vanished code
    is still referenced elsewhere (a tenant, an org unit, a membership, ...).
    The result is a `WilayahCounts` (a dict) whose `.changes` tells what changed.
    """
    data = read_wilayah(directory)
    conn = db.session.connection()

    plans = []
    vanished: dict[str, set[str]] = {}
    for level in LEVELS:
        new = data[level.file]
        old = _existing(conn, level)
        added = [code for code in new if code not in old]
        changed = [code for code, row in new.items() if code in old and old[code] != row]
        gone = set(old) - set(new)
        if gone:
            vanished[level.table.name] = gone
        plans.append((level, new, added, changed, gone))

    if vanished:
        _raise_if_any(_references(_every_region(conn), vanished))

    changes: dict[str, dict[str, int]] = {}
    for level, new, added, changed, gone in plans:  # parents first
        tbl, parent = level.table, level.parent_column
        rows = [{"code": code, "name": new[code][1], **({parent: new[code][0]} if parent else {})}
                for code in added]
        for chunk in _chunks(rows):
            conn.execute(insert(tbl), chunk)
        if changed:
            values: dict[str, BindParameter[str]] = {"name": bindparam("new_name")}
            if parent:
                values[parent] = bindparam("new_parent")
            stmt = update(tbl).where(tbl.c.code == bindparam("old_code")).values(values)
            params = [{"old_code": code, "new_name": new[code][1], "new_parent": new[code][0]}
                      for code in changed]
            for chunk in _chunks(params):
                conn.execute(stmt, chunk)
        changes[level.table.name] = {"inserted": len(added), "updated": len(changed),
                                     "deleted": len(gone)}

    for level, _new, _added, _changed, gone in reversed(plans):  # children first
        if not gone:
            continue
        remove = delete(level.table).where(level.table.c.code == bindparam("old_code"))
        try:
            for chunk in _chunks([{"old_code": code} for code in sorted(gone)]):
                conn.execute(remove, chunk)
        except IntegrityError as exc:  # a reference our check could not see (e.g. hidden by RLS)
            raise WilayahError([_("kode di %(t)s yang tidak ada lagi masih dipakai data lain: %(e)s",
                                  t=level.table.name, e=str(exc.orig))]) from exc

    # rows changed behind the ORM's back: refresh any reference objects already loaded
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, (Province, Regency, District, Village)):
            db.session.expire(obj)
    counts = {level.table.name: len(data[level.file]) for level in LEVELS}
    return WilayahCounts(counts, changes)


def wilayah_loaded() -> bool:
    """True when the regencies table has at least one row."""
    return db.session.execute(select(Regency.__table__.c.code).limit(1)).first() is not None
