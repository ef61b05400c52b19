"""Importing the region's extract of the welfare register (DTKS) from a CSV file.

The file is checked completely before anything is written: one bad row refuses the
whole file, with every problem listed by row and column. A good file replaces the
region's extract in one transaction. Cases keep their `in_register` flag: it records
what the check said at intake, not what the register says today.
"""
from __future__ import annotations

import codecs
import csv
import io
import uuid
from collections.abc import Iterator
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import CursorResult, delete, insert, select

from app.audit.log import record
from app.citizens.models import RegisterEntry, RegisterImport
from app.errors import Invalid
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.context import current_tenant_id

REQUIRED_COLUMNS = ("nik", "no_kk", "nama")
OPTIONAL_COLUMNS = ("kode_wilayah", "alamat")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_LISTED_PROBLEMS = 50
INSERT_CHUNK = 5000
NAME_MAX = 200


class RegisterImportError(Invalid):
    """The file was refused; `problems` lists why, in Bahasa Indonesia, already capped."""

    def __init__(self, problems: list[str], total: int | None = None):
        total = len(problems) if total is None else total
        listed = list(problems[:MAX_LISTED_PROBLEMS])
        if total > len(listed):
            listed.append(_("dan %(n)s masalah lain", n=total - len(listed)))
        self.problems = listed
        super().__init__(errors={"": listed})


class _Problems:
    """Collects problems, keeping only the first ones listed but counting all."""

    def __init__(self) -> None:
        self.listed: list[str] = []
        self.total = 0

    def add(self, line: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.listed) < MAX_LISTED_PROBLEMS:
            self.listed.append(_("baris %(n)s: %(col)s: %(msg)s", n=line, col=column, msg=message))


def _text_stream(stream: IO) -> IO[str]:
    """A text view of an upload: UTF-8, a leading BOM dropped, newlines left to csv."""
    if isinstance(stream, io.TextIOBase):
        return stream
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def _sniff_delimiter(header_line: str) -> str:
    """The header names only letters and underscores, so its separator is whichever appears."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _read_rows(text: IO[str]) -> tuple[list[str], Iterator[list[str]]]:
    header_line = text.readline().lstrip(codecs.BOM_UTF8.decode())
    if not header_line.strip():
        raise RegisterImportError([_("Berkas kosong: baris pertama harus berisi nama kolom.")])
    delimiter = _sniff_delimiter(header_line)
    header = [name.strip().lower() for name in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise RegisterImportError([_("Baris judul tidak sesuai: kolom %(cols)s tidak ada. Kolom yang diharapkan: "
                                     "%(expected)s.", cols=", ".join(missing), expected=", ".join(COLUMNS))])
    return header, csv.reader(text, delimiter=delimiter)


def _digits_problem(value: str, kind: str) -> str | None:
    if len(value) == 16 and value.isdigit():
        return None
    label = "NIK" if kind == "nik" else _("Nomor KK")
    return _("%(label)s harus 16 angka (tertulis %(n)s karakter: \u201c%(v)s\u201d)",
             label=label, n=len(value), v=value[:20])


def parse_register_csv(stream: IO, region_code: str) -> list[dict]:
    """Read and check a register extract; rows ready for `import_register`, or RegisterImportError.

    Columns: nik, no_kk, nama, kode_wilayah (optional, a village of this region), alamat
    (optional). UTF-8 with or without BOM; comma or semicolon separated.
    """
    text = _text_stream(stream)
    try:
        return _parse(text, region_code)
    except UnicodeDecodeError:
        raise RegisterImportError([_("Berkas bukan teks UTF-8. Simpan ulang sebagai \u201cCSV UTF-8\u201d.")]) from None
    except csv.Error as exc:
        raise RegisterImportError([_("Berkas CSV tidak dapat dibaca: %(e)s", e=str(exc))]) from None
    finally:
        if isinstance(text, io.TextIOWrapper) and text is not stream:  # leave the caller's stream open
            text.detach()


def _parse(text: IO[str], region_code: str) -> list[dict]:
    header, reader = _read_rows(text)
    index = {name: header.index(name) for name in COLUMNS if name in header}
    width = len(header)
    problems = _Problems()
    # One query each: every district code (about 7,300) and this region's villages.
    districts = set(db.session.scalars(select(District.code)))
    villages = set(db.session.scalars(select(Village.code).where(Village.code.like(f"{region_code}.%"))))
    rows: list[dict] = []
    first_line_of: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        cells = raw + [""] * (width - len(raw))
        nik, kk, name = (cells[index[c]].strip() for c in REQUIRED_COLUMNS)
        village = cells[index["kode_wilayah"]].strip() if "kode_wilayah" in index else ""
        address = cells[index["alamat"]].strip() if "alamat" in index else ""
        _check_nik(nik, line, districts, first_line_of, problems)
        if message := _digits_problem(kk, "kk"):
            problems.add(line, "no_kk", message)
        if not name:
            problems.add(line, "nama", _("wajib diisi"))
        elif len(name) > NAME_MAX:
            problems.add(line, "nama", _("terlalu panjang (paling banyak %(n)s karakter)", n=NAME_MAX))
        if village and not village.startswith(region_code + "."):
            problems.add(line, "kode_wilayah", _("%(code)s bukan kelurahan/desa di daerah ini (kode daerah %(region)s)",
                                                  code=village, region=region_code))
        elif village and village not in villages:
            problems.add(line, "kode_wilayah", _("%(code)s tidak ada dalam daftar kelurahan/desa Kemendagri",
                                                  code=village))
        if not problems.total:
            rows.append({"nik": nik, "kk_number": kk, "name": name, "village_code": village or None,
                         "address": address})
    if problems.total:
        raise RegisterImportError(problems.listed, problems.total)
    if not rows:
        raise RegisterImportError([_("Berkas tidak berisi satu baris data pun.")])
    return rows


def _check_nik(nik: str, line: int, districts: set[str], first_line_of: dict[str, int],
               problems: _Problems) -> None:
    if message := _digits_problem(nik, "nik"):
        problems.add(line, "nik", message)
        return
    if _district_code(nik) not in districts:
        problems.add(line, "nik", _("6 angka pertama NIK (%(c)s) bukan kode kecamatan yang terdaftar di "
                                    "Kemendagri", c=nik[:6]))
    if nik in first_line_of:
        problems.add(line, "nik", _("NIK yang sama sudah ada di baris %(first)s", first=first_line_of[nik]))
    else:
        first_line_of[nik] = line


def _district_code(nik: str) -> str:
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def import_register(rows: list[dict], filename: str, user) -> RegisterImport:
    """Replace the region's register extract with `rows` (checked by `parse_register_csv`).

    Deletes the region's entries, inserts the new ones in chunks and records the import
    and an audit event. Flushes only: the request commits, or rolls everything back.
    """
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("import_register needs a region in context")
    batch = RegisterImport(filename=(filename or "")[-255:], row_count=len(rows), imported_by=user.id)
    db.session.add(batch)
    # The ORM's tenant filter scopes this delete to the current region.
    deleted = db.session.execute(delete(RegisterEntry).execution_options(synchronize_session=False))
    assert isinstance(deleted, CursorResult)  # a DELETE answers with a CursorResult (typed as any Result)
    replaced = deleted.rowcount
    db.session.flush()
    # Core executemany bypasses the ORM's tenant stamping, so tenant_id is set here.
    # The Table itself (mypy sees `__table__` as any FromClause).
    entries = RegisterEntry.metadata.tables[RegisterEntry.__tablename__]
    statement, batch_id = insert(entries), batch.id
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = [{**row, "id": uuid.uuid4(), "tenant_id": tenant_id, "import_id": batch_id}
                 for row in rows[start:start + INSERT_CHUNK]]
        db.session.execute(statement, chunk)
    record("register.import", "register_import", batch.id, filename=batch.filename, rows=len(rows),
           replaced=replaced)
    return batch
