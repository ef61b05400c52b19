"""Spreadsheet-safe cells: text that a spreadsheet would run as a formula is neutralised.

A citizen's name, a partner's name or an audit detail typed as `=HYPERLINK(...)` or
`=cmd|' /C calc'!A0` must reach Excel or LibreOffice as text, never as a formula (OWASP
"CSV injection"). Every XLSX cell and CSV field the app writes goes through `safe_value`:
text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single
quote. Numbers are left alone, so a negative number stays a number; so is text that is
just a number or a lone sign, which no spreadsheet evaluates.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d*(?:[.,]\d+)?")


def safe_value(value: Any) -> Any:
    """`value`, or for text a spreadsheet would evaluate, the same text after a `'`."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every value of a row through `safe_value` (openpyxl cells have theirs replaced)."""
    out = []
    for value in values:
        if isinstance(value, Cell):
            value.value = safe_value(value.value)
            out.append(value)
        else:
            out.append(safe_value(value))
    return out


class SafeCsvWriter:
    """`csv.writer` whose every field goes through `safe_value`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def append_safe(ws, values: Iterable[Any]) -> None:
    """`ws.append` for a worksheet, with every value through `safe_value`."""
    ws.append(safe_row(values))
