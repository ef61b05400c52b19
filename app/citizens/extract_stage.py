"""Checking an extract row by row and writing it under a pending import, in chunks.

Memory stays flat whatever the file's size: rows are read one at a time and written 5,000
members at a time; what is kept across the whole file is one integer per NIK (to refuse a NIK
twice) and one per KK (a fingerprint of its household columns, to refuse rows of one KK that
disagree). The first problem stops the writing; checking goes on so that every problem (the
first fifty listed) is named by row and column, and the caller removes what was written.
"""
from __future__ import annotations

import itertools
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import insert, select

from app.citizens.extract_format import AGREEING, COLUMNS, REQUIRED_COLUMNS, RowProblems, RowReader
from app.citizens.extract_read import FileProblem, Sheet
from app.citizens.models import RegisterEntry, RegisterHousehold
from app.errors import Invalid
from app.extensions import db
from app.reference.models import District, Village

MAX_LISTED_PROBLEMS = 50
CHUNK = 5000


class RegisterImportError(Invalid):
    """The file was refused; `problems` lists why, in Bahasa Indonesia, already capped."""

    def __init__(self, problems: list[str], total: int | None = None):
        total = len(problems) if total is None else total
        listed = list(problems[:MAX_LISTED_PROBLEMS])
        if total > len(listed):
            listed.append(_("dan %(n)s masalah lain", n=total - len(listed)))
        self.problems = listed
        super().__init__(errors={"": listed})


class Problems:
    """The file's problems in row order: the first fifty kept, all counted. A repeated NIK names
    the row it first appeared on, found by a second reading (`first_rows`) only when refusing."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, str, str, int]] = []  # (row, column, message, repeated NIK or 0)
        self.total = 0

    def add(self, row: int, column: str, message: str, nik: int = 0) -> None:
        self.total += 1
        if len(self.entries) < MAX_LISTED_PROBLEMS:
            self.entries.append((row, column, message, nik))

    def repeated(self) -> set[int]:
        return {nik for *_rest, nik in self.entries if nik}

    def error(self, first_rows: dict[int, int] | None = None) -> RegisterImportError:
        listed = []
        for row, column, message, nik in self.entries:
            if nik:
                message = _("NIK yang sama sudah ada di baris %(first)s", first=(first_rows or {}).get(nik, "?"))
            listed.append(_("baris %(n)s: %(col)s: %(msg)s", n=row, col=column, msg=message) if column
                          else _("baris %(n)s: %(msg)s", n=row, msg=message))
        return RegisterImportError(listed, self.total)


@dataclass
class Counts:
    """What a file held: households, members, and the figures the preview shows of one import."""

    households: int = 0
    members: int = 0
    deciles: Counter = field(default_factory=Counter)
    household_programs: Counter = field(default_factory=Counter)
    member_programs: Counter = field(default_factory=Counter)

    def figures(self) -> dict:
        return {"deciles": dict(sorted(self.deciles.items())),
                "programs": dict(sorted(self.household_programs.items())),
                "member_programs": dict(sorted(self.member_programs.items()))}


def header_problem(header: list[str]) -> RegisterImportError | None:
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if not missing:
        return None
    return RegisterImportError([_("Baris judul tidak sesuai: kolom %(cols)s tidak ada. Kolom yang diharapkan: "
                                  "%(expected)s.", cols=", ".join(missing), expected=", ".join(COLUMNS))])


def _fingerprint(row: int, household: dict) -> int:
    """The row number in the low 32 bits, then a hash of each household column that must agree."""
    packed = row
    for shift, column in enumerate(AGREEING, start=1):
        packed |= (hash(household[_FIELD[column]]) & 0xFFFFFFFF) << (32 * shift)
    return packed


_FIELD = {"kode_wilayah": "village_code", "alamat": "address", "desil": "decile", "kondisi_rumah": "housing",
          "program_keluarga": "programs"}


def _disagreeing(old: int, new: int) -> list[str]:
    return [column for shift, column in enumerate(AGREEING, start=1)
            if (old >> (32 * shift)) & 0xFFFFFFFF != (new >> (32 * shift)) & 0xFFFFFFFF]


class Stager:
    """Checks every row of a sheet; with `import_id`, writes the good ones under that import.

    `on_chunk(share_read)` is called after each written chunk (the job commits there and
    shows its progress). `limit` stops after that many data rows (the upload's quick check).
    """

    def __init__(self, region_code: str, *, tenant_id=None, import_id=None,
                 on_chunk: Callable[[float], None] | None = None, limit: int | None = None):
        self.region_code, self.tenant_id, self.import_id = region_code, tenant_id, import_id
        self.on_chunk, self.limit = on_chunk, limit
        self.problems, self.counts = Problems(), Counts()
        self.niks: set[int] = set()
        self.households: dict[int, int] = {}
        self.member_rows: list[dict] = []
        self.household_rows: list[dict] = []
        self.complete = True  # False when `limit` stopped the reading early
        self.ids = ascending_ids()

    def run(self, sheet: Sheet, reopen: Callable[[], Sheet] | None = None) -> Counts:
        if error := header_problem(sheet.header):
            raise error
        districts = set(db.session.scalars(select(District.code)))
        villages = set(db.session.scalars(select(Village.code).where(Village.code.like(f"{self.region_code}.%"))))
        reader = RowReader(sheet.header, self.region_code, villages, districts)
        try:
            self._read(sheet, reader)
        except FileProblem as exc:  # reading cannot go on: what was found so far, and where it stopped
            if not exc.row:
                raise RegisterImportError([exc.message]) from None
            self.problems.add(exc.row, "", exc.message)
        if self.problems.total:
            self.household_rows, self.member_rows = [], []
        self._flush(sheet)
        if self.problems.total:
            raise self.problems.error(self._first_rows(reopen) if self.problems.repeated() else None)
        if not self.counts.members:
            raise RegisterImportError([_("Berkas tidak berisi satu baris data pun.")])
        return self.counts

    def _read(self, sheet: Sheet, reader: RowReader) -> None:
        seen = 0
        for row, cells in sheet.rows:
            if not any(str(cell).strip() for cell in cells):
                continue
            seen += 1
            if self.limit is not None and seen > self.limit:
                self.complete = False
                return
            self._row(row, cells, reader)
            if len(self.member_rows) >= CHUNK:
                self._flush(sheet)

    def _row(self, row: int, cells: list, reader: RowReader) -> None:
        problems = RowProblems()
        household, member = reader.read(cells, problems)
        if problems:
            for column, message in problems:
                self.problems.add(row, column, message)
            return
        nik, kk = int(member["nik"]), int(household["kk_number"])
        if nik in self.niks:
            self.problems.add(row, "nik", "", nik=nik)
            return
        fingerprint, known = _fingerprint(row, household), self.households.get(kk)
        if known is not None and (columns := _disagreeing(known, fingerprint)):
            self.problems.add(row, "no_kk", _("data keluarga (%(cols)s) berbeda dengan baris %(first)s untuk Nomor "
                                              "KK yang sama", cols=", ".join(columns), first=known & 0xFFFFFFFF))
            return
        self.niks.add(nik)
        self._count(member, household if known is None else None)
        if known is None:
            self.households[kk] = fingerprint
        if self.problems.total or self.import_id is None:
            return  # refused already, or only checking: nothing more to write
        if known is None:
            self.household_rows.append(household | {"id": next(self.ids), "tenant_id": self.tenant_id,
                                                    "import_id": self.import_id})
        self.member_rows.append(member | {"id": next(self.ids), "tenant_id": self.tenant_id,
                                          "import_id": self.import_id})

    def _count(self, member: dict, household: dict | None) -> None:
        counts = self.counts
        counts.members += 1
        counts.member_programs.update(member["programs"].split(",") if member["programs"] else ())
        if household is not None:
            counts.households += 1
            counts.deciles[str(household["decile"] or "-")] += 1
            counts.household_programs.update(household["programs"].split(",") if household["programs"] else ())

    def _flush(self, sheet: Sheet) -> None:
        if self.household_rows:
            db.session.execute(insert(_table(RegisterHousehold)), self.household_rows)
        if self.member_rows:
            db.session.execute(insert(_table(RegisterEntry)), self.member_rows)
        written = bool(self.household_rows or self.member_rows)
        self.household_rows, self.member_rows = [], []
        if written and self.on_chunk is not None:
            self.on_chunk(sheet.done())

    def _first_rows(self, reopen: Callable[[], Sheet] | None) -> dict[int, int]:
        """Where each repeated NIK among the listed problems first appears (a second reading)."""
        wanted, found = self.problems.repeated(), dict[int, int]()
        if reopen is None:
            return found
        sheet = reopen()
        try:
            position = sheet.header.index("nik")
            for row, cells in sheet.rows:
                value = str(cells[position]).strip() if position < len(cells) else ""
                if value.isdigit() and int(value) in wanted and int(value) not in found:
                    found[int(value)] = row
                    if len(found) == len(wanted):
                        break
        finally:
            sheet.close()
        return found


def ascending_ids() -> Iterator[uuid.UUID]:
    """Unique ids that ascend: the time (ms) and 16 random bits, then a counter. Rows written in key
    order append to the primary-key index instead of landing all over it (random UUIDs make a large
    import several times slower on SQLite)."""
    base = (int(time.time() * 1000) << 80) | (secrets.randbits(16) << 64)
    return (uuid.UUID(int=base | n) for n in itertools.count())


def _table(model):
    """The model's Table: Core executemany bypasses the ORM's tenant stamping (tenant_id is set above)."""
    return model.metadata.tables[model.__tablename__]
