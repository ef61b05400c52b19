"""Reading an extract file row by row, never all at once: CSV or Excel (.xlsx).

CSV: comma or semicolon separated (whichever the header line has more of), UTF-8 with or
without a byte-order mark, or Windows-1252 (what Excel writes as "CSV" on Indonesian
Windows). Each line is decoded on its own, so a 2 GB file never sits in memory. Excel: the
first sheet, read with openpyxl in read-only mode (streamed from the zip).
"""
from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from flask_babel import gettext as _

from app.citizens.extract_format import normalise_header

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class FileProblem(Exception):
    """The file as a whole cannot be read; `row` is where it went wrong (0: the file)."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.message, self.row = message, row


@dataclass
class Sheet:
    """A header (normalised names) and an iterator of (row number, cells); `done()` is the share read (0..1)."""

    header: list[str]
    rows: Iterator[tuple[int, list]]
    done: Callable[[], float]
    kind: str = "csv"
    _close: list = field(default_factory=list)

    def close(self) -> None:
        for closer in self._close:
            closer()


def open_extract(stream: IO[bytes]) -> Sheet:
    """A `Sheet` over a seekable binary stream (an upload or an open file), from its start."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head == ZIP_MAGIC:
        return _open_xlsx(stream)
    if head == OLE_MAGIC:
        raise FileProblem(_("Berkas Excel lama (.xls) tidak dapat dibaca: simpan ulang sebagai .xlsx atau CSV."))
    if head[:2] in UTF16_BOMS:
        raise FileProblem(_("Berkas teks UTF-16 tidak dapat dibaca: simpan ulang sebagai \u201cCSV UTF-8\u201d."))
    return _open_csv(stream)


def _size_of(stream: IO[bytes]) -> int:
    here = stream.tell()
    size = stream.seek(0, 2)
    stream.seek(here)
    return size


def _decode(raw: bytes, row: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(_("teks bukan UTF-8 atau Windows-1252; simpan ulang sebagai \u201cCSV UTF-8\u201d."),
                          row) from None


def _open_csv(stream: IO[bytes]) -> Sheet:
    size = max(1, _size_of(stream))
    first = stream.readline()
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    header_line = _decode(first, 1)
    if not header_line.strip():
        raise FileProblem(_("Berkas kosong: baris pertama harus berisi nama kolom."))
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [normalise_header(name) for name in next(csv.reader([header_line], delimiter=delimiter))]

    def lines() -> Iterator[str]:
        for number, raw in enumerate(iter(stream.readline, b""), start=2):
            yield _decode(raw, number)

    reader = csv.reader(lines(), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list]]:
        try:
            yield from enumerate(reader, start=2)
        except csv.Error as exc:
            raise FileProblem(_("Berkas CSV tidak dapat dibaca: %(e)s", e=str(exc))) from None

    return Sheet(header=header, rows=rows(), done=lambda: min(1.0, stream.tell() / size))


def _open_xlsx(stream: IO[bytes]) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or not a workbook at all: openpyxl raises many kinds
        raise FileProblem(_("Berkas Excel tidak dapat dibuka (%(e)s). Simpan ulang sebagai .xlsx atau CSV.",
                            e=type(exc).__name__)) from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        book.close()
        raise FileProblem(_("Berkas kosong: baris pertama harus berisi nama kolom."))
    values = sheet.iter_rows(values_only=True)
    first = next(values, None)
    if not first or not any(cell not in (None, "") for cell in first):
        book.close()
        raise FileProblem(_("Berkas kosong: baris pertama harus berisi nama kolom."))
    header = [normalise_header("" if cell is None else str(cell)) for cell in first]
    total = max(1, (sheet.max_row or 0) - 1)
    state = {"row": 1}

    def rows() -> Iterator[tuple[int, list]]:
        for number, cells in enumerate(values, start=2):
            state["row"] = number
            yield number, ["" if cell is None else cell for cell in cells]

    return Sheet(header=header, rows=rows(), done=lambda: min(1.0, (state["row"] - 1) / total), kind="xlsx",
                 _close=[book.close])
