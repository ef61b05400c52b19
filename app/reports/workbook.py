"""The same reports as Excel workbooks (openpyxl, write-only: rows stream to disk, memory stays flat).

Every row goes through `append_safe` (`app.reports.cells`): text that would run as a formula
is neutralised.

Numbers are real numbers in the cells (durations in hours, shares in percent), so the
national secretariat can add them up; dates are real dates (shown `03-02-2025`). One sheet per
table in the order of the report's chapters (`app.reports.contents`), and the long lists last.
Columns are sized to their content: a table's from all its rows, a list's from its first chunk
(a list is streamed; its later rows are not looked at twice).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.dashboard.queries import Table
from app.reports.cells import append_safe

if TYPE_CHECKING:
    from app.reports.contents import ReportContents

Progress = Callable[[int], None]
BOLD = Font(bold=True)
FLAG = PatternFill("solid", fgColor="FDE8E8")
SHEETS = {
    "national_areas": _l("Per bidang layanan"), "national_channels": _l("Per jalur"),
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
    "people_sex": _l("Warga per jenis kelamin"), "people_age": _l("Warga per kelompok umur"),
    "people_disability": _l("Warga per disabilitas"), "area_district": _l("Kecamatan dan bidang"),
    "participation": _l("Kepesertaan dicatat"), "needs": _l("Kebutuhan dicatat"),
    "data_updates": _l("Usulan pemutakhiran data"),
}
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"
MIN_WIDTH, MAX_WIDTH = 8, 60


def _bold(ws, values: list) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = BOLD
        cells.append(cell)
    return cells


def _dated(ws, values: list) -> list:
    """Dates and times as date cells shown the Indonesian way; everything else as it is."""
    out = []
    for value in values:
        if isinstance(value, (date, datetime)):
            moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
            cell = WriteOnlyCell(ws, value=moment)
            cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
            out.append(cell)
        else:
            out.append(value)
    return out


def _width(value) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.1f}")
    return max((len(line) for line in str(value if value is not None else "").splitlines()), default=0)


def size_columns(ws, rows: Iterable[Iterable], skip_first: bool = False) -> None:
    """Set each column's width to its widest cell (within MIN_WIDTH..MAX_WIDTH); before any row is written.

    `skip_first`: the first row is a title spanning the sheet and does not size column A."""
    widths: dict[int, int] = {}
    for n, row in enumerate(rows):
        if skip_first and n == 0:
            continue
        for i, value in enumerate(row):
            widths[i] = max(widths.get(i, 0), _width(value))
    for i, width in widths.items():
        ws.column_dimensions[get_column_letter(i + 1)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))


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
    header = [header_of(table, i) for i in range(len(table.columns))]
    body = [[cell_value(v, table.format_of(i)) for i, v in enumerate(row)] for row in table.rows]
    size_columns(ws, [[table.title], header, *body], skip_first=True)
    append_safe(ws, _bold(ws, [table.title]))
    ws.append([])
    append_safe(ws, _bold(ws, header))
    for n, values in enumerate(body):
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
    count = 0
    for step, rows in enumerate(chunks, 1):
        if step == 1:
            size_columns(ws, [columns, *rows])
            append_safe(ws, _bold(ws, [title]))
            append_safe(ws, _bold(ws, columns))
        for row in rows:
            append_safe(ws, _dated(ws, row))
        count += len(rows)
        if end > start:
            progress(min(end - 1, start + step))
    if not count:
        size_columns(ws, [columns])
        append_safe(ws, _bold(ws, [title]))
        append_safe(ws, _bold(ws, columns))
    return count


def _summary_sheet(wb: Workbook, facts: list[tuple[str, object]], contents: ReportContents) -> None:
    signer = contents.signer
    rows: list[list] = [[label, value] for label, value in facts]
    rows += [[_("Tanggal awal periode"), contents.period.start], [_("Tanggal akhir periode"), contents.period.end], []]
    for _key, name, amount, fmt in contents.headline():
        rows.append([unit_label(name, "hours") if fmt == "hours" else str(name), cell_value(amount, fmt)])
    rows += [[], [_("Penanda tangan"), signer.name or "—"], [_("Jabatan"), signer.title or "—"],
             [_("NIP"), signer.nip or "—"], [_("Tempat"), signer.place]]
    ws = wb.create_sheet(_("Ringkasan"))
    size_columns(ws, rows)
    for row in rows:
        append_safe(ws, _dated(ws, row))


def region_workbook(target, facts: list[tuple[str, object]], contents: ReportContents, prelist_chunks,
                    referral_chunks, progress: Progress = lambda p: None) -> None:
    """Write the region's report to `target` (a path or a binary file): the summary with the signer,
    a sheet per table in the order of the chapters, then the lists."""
    from app.dashboard.lists import prelist_columns, referral_columns
    from app.reports.contents import chapters

    wb = Workbook(write_only=True)
    _summary_sheet(wb, facts, contents)
    for chapter in chapters(contents):
        for table in chapter.tables:
            write_table(wb, table)
    progress(30)
    write_list(wb, _("Daftar usulan"), _("Daftar usulan penambahan data penerima manfaat"), prelist_columns(),
               prelist_chunks, progress, 30, 50)
    write_list(wb, _("Daftar rujukan"), _("Daftar rujukan"), referral_columns(), referral_chunks, progress, 50, 70)
    progress(70)
    wb.save(target)


def national_workbook(target, facts: list[tuple[str, str]], columns: list[str], rows: list, total,
                      extra: Iterable[Table] = ()) -> None:
    """Write the national summary (one row per region, then the national row) to `target`, then one
    sheet per `extra` table (received by built-in service area and channel)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Ringkasan nasional"))
    for label, value in facts:
        append_safe(ws, [label, value])
    ws.append([])
    append_safe(ws, _bold(ws, list(columns)))
    for row in [*rows, total]:
        values = row.values()
        append_safe(ws, [*values[:-1], cell_value(values[-1], "hours")])
    for table in extra:
        write_table(wb, table)
    wb.save(target)
