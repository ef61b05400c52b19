"""The same reports as Excel workbooks (openpyxl, write-only: rows stream to disk, memory stays flat).

Every row goes through `append_safe` (`app.reports.cells`): text that would run as a formula
is neutralised.

Numbers are real numbers in the cells (durations in hours, shares in percent), so the
national secretariat can add them up; one sheet per table, and the long lists last.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from app.dashboard.queries import Figures, Table
from app.reports.cells import append_safe

Progress = Callable[[int], None]
BOLD = Font(bold=True)
FLAG = PatternFill("solid", fgColor="FDE8E8")
SHEETS = {
    "prelist": _l("Usulan per kecamatan"), "access_levels": _l("Akses per tingkat"),
    "access_districts": _l("Akses per kecamatan"), "access_programs": _l("Akses per program"),
    "overlap_counts": _l("Jumlah program diterima"), "overlap_matrix": _l("Irisan program (matriks)"),
    "overlap_pairs": _l("Irisan pasangan program"), "overlap_combos": _l("Kombinasi program"),
    "referral_levels": _l("Rujukan per tingkat"), "referral_overlap_levels": _l("Rujukan antartingkat"),
    "referral_overlap_pairs": _l("Rujukan antarlembaga"),
    "gaps_by_area": _l("Kesenjangan per bidang"), "gaps": _l("Kesenjangan rinci"),
    "by_channel": _l("Diterima per jalur"), "by_area": _l("Diterima per bidang"),
    "open_by_step": _l("Terbuka per tahap"), "overdue": _l("Terlambat"), "durations": _l("Lama per tahap"),
    "by_partner": _l("Rujukan per lembaga"), "informed": _l("Diberi tahu"), "monthly": _l("Per bulan"),
}


def _bold(ws, values: list) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = BOLD
        cells.append(cell)
    return cells


def cell_value(value, fmt: str):
    """What goes into a cell: numbers stay numbers (hours to one decimal, shares as whole percents)."""
    if value is None:
        return None
    if fmt == "hours":
        return round(float(value), 1)
    if fmt == "percent":
        return round(100 * float(value))
    if fmt == "int":
        return int(value)
    return str(value)


def header_of(table: Table, index: int) -> str:
    return unit_label(table.columns[index], table.format_of(index))


def unit_label(label: str, fmt: str) -> str:
    """A column or figure label with its unit: `Lama (jam)`, `Bagian (%)`."""
    if fmt == "hours":
        return _("%(label)s (jam)", label=label)
    return f"{label} (%)" if fmt == "percent" else str(label)


def write_table(wb: Workbook, table: Table) -> None:
    ws = wb.create_sheet(str(SHEETS.get(table.key, table.key))[:31])
    append_safe(ws, _bold(ws, [table.title]))
    ws.append([])
    append_safe(ws, _bold(ws, [header_of(table, i) for i in range(len(table.columns))]))
    for n, row in enumerate(table.rows):
        values = [cell_value(v, table.format_of(i)) for i, v in enumerate(row)]
        if n < len(table.highlight) and table.highlight[n]:
            cells = []
            for value in values:
                cell = WriteOnlyCell(ws, value=value)
                cell.fill = FLAG
                cells.append(cell)
            append_safe(ws, cells)
        else:
            append_safe(ws, values)
    if table.note:
        ws.append([])
        append_safe(ws, [table.note])


def write_list(wb: Workbook, name: str, title: str, columns: list[str], chunks: Iterable[list[list]],
               progress: Progress = lambda p: None, start: int = 0, end: int = 0) -> int:
    """A long list streamed chunk by chunk; returns the number of rows."""
    ws = wb.create_sheet(name[:31])
    append_safe(ws, _bold(ws, [title]))
    append_safe(ws, _bold(ws, columns))
    count = 0
    for step, rows in enumerate(chunks, 1):
        for row in rows:
            append_safe(ws, row)
        count += len(rows)
        if end > start:
            progress(min(end - 1, start + step))
    return count


def region_workbook(target, facts: list[tuple[str, str]], figures: Figures, prelist_chunks, referral_chunks,
                    progress: Progress = lambda p: None) -> None:
    """Write the region's report to `target` (a path or a binary file)."""
    from app.dashboard.lists import prelist_columns, referral_columns

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Ringkasan"))
    for label, value in facts:
        append_safe(ws, [label, value])
    ws.append([])
    for _key, name, amount, fmt in figures.headline:
        append_safe(ws, [unit_label(name, "hours") if fmt == "hours" else str(name), cell_value(amount, fmt)])
    for section in figures.sections:
        for table in section.tables:
            write_table(wb, table)
    progress(30)
    write_list(wb, _("Daftar usulan"), _("Daftar usulan penambahan data penerima manfaat"), prelist_columns(),
               prelist_chunks, progress, 30, 50)
    write_list(wb, _("Daftar rujukan"), _("Daftar rujukan"), referral_columns(), referral_chunks, progress, 50, 70)
    progress(70)
    wb.save(target)


def national_workbook(target, facts: list[tuple[str, str]], columns: list[str], rows: list, total) -> None:
    """Write the national summary (one row per region, then the national row) to `target`."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Ringkasan nasional"))
    for label, value in facts:
        append_safe(ws, [label, value])
    ws.append([])
    append_safe(ws, _bold(ws, list(columns)))
    for row in [*rows, total]:
        values = row.values()
        append_safe(ws, [*values[:-1], cell_value(values[-1], "hours")])
    wb.save(target)
