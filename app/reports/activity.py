"""Activity reports as PDF: figures tables and charts, long lists laid out while they are read,
the national summary for auditors and a case's summary. The region's monthly and year-end
report as offices file it is put together from these in `app.reports.office`.

Built from the same `Figures` as the dashboard, on the shared building blocks of
`app.reports.pdf` (region header on every page, key/value tables, headings). Long lists
are added in chunks of rows, each its own table, so layout time stays linear.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, Paragraph, TableStyle
from reportlab.platypus import Table as PdfTable

from app.dashboard.charts import PALETTE, SERIES_COLOURS
from app.dashboard.periods import formatted
from app.dashboard.queries import Figures, Table
from app.reports import pdf
from app.reports.list_table import ListTable

WIDTH = A4[0] - 2 * pdf.MARGIN - 12  # the frame's own padding: 6 pt each side
Progress = Callable[[int], None]


def _cell_style():
    return pdf.STYLES["small"].clone("cell", textColor=colors.black, fontSize=8.5, leading=10.5)


CELL = _cell_style()
HEAD = CELL.clone("head", fontName="Helvetica-Bold", fontSize=7.5, leading=9)
TOTAL = CELL.clone("total", fontName="Helvetica-Bold")
FONT = "Helvetica"


def _grid(data: list[list], widths: list[float], highlight: Iterable[bool] = (), font_size: float = 8.5) -> PdfTable:
    table = PdfTable(data, colWidths=widths, repeatRows=1)
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), font_size),
                        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)])
    for i, flag in enumerate(highlight, start=1):
        if flag:
            style.add("BACKGROUND", (0, i), (-1, i), colors.HexColor("#fde8e8"))
    table.setStyle(style)
    return table


def figures_table(table: Table) -> PdfTable:
    """A figures table with wrapping cells; flagged rows shaded, a totals row ("Jumlah") in bold."""
    text_cols = sum(1 for i in range(len(table.columns)) if table.format_of(i) == "text")
    number_cols = len(table.columns) - text_cols
    room = WIDTH - 38 * pdf.mm * text_cols
    number_width = min(22 * pdf.mm, room / max(1, number_cols)) if text_cols else WIDTH / len(table.columns)
    text_width = (WIDTH - number_width * number_cols) / max(1, text_cols)
    widths = [text_width if table.format_of(i) == "text" else number_width for i in range(len(table.columns))]
    data = [[Paragraph(pdf.text(c), HEAD) for c in table.columns]]
    total = _("Jumlah")
    for row in table.rows:
        style = TOTAL if row and row[0] == total else CELL  # a totals row in bold
        data.append([Paragraph(pdf.text(formatted(v, table.format_of(i))), style) for i, v in enumerate(row)])
    return _grid(data, widths, table.highlight)


def chart_limit(table: Table) -> int:
    """How many bars fit on one page."""
    stacked = table.stacked or len(table.chart_columns) == 1
    return int(560 // (22 if stacked else 14 + 8 * len(table.chart_columns)))


def _bar(x: float, y: float, width: float, height: float, colour: colors.Color) -> Rect:
    """A filled rectangle without an outline. The colours are set after construction: types-reportlab
    declares Rect's keyword arguments without Unpack, so it refuses `fillColor=`."""
    rect = Rect(x, y, width, height)
    rect.fillColor, rect.strokeColor = colour, None
    return rect


def chart(table: Table) -> Drawing | None:
    """The table's bar chart drawn with reportlab shapes (same design as the web's SVG)."""
    stacked = table.stacked or len(table.chart_columns) == 1
    row_height = 22 if stacked else 14 + 8 * len(table.chart_columns)
    rows = table.chart_rows(limit=chart_limit(table))  # a chart never outgrows a page
    if not table.chart_columns or not rows:
        return None
    colours = SERIES_COLOURS.get(table.key, PALETTE)
    top = max((sum(v) if stacked else max(v)) for _l, v in rows) or 1
    usable = WIDTH - 60
    legend = 14 if len(table.chart_columns) > 1 else 0
    height = legend + row_height * len(rows)
    drawing = Drawing(WIDTH, height)
    x: float = 0
    for i, name in enumerate(table.chart_series if legend else []):
        drawing.add(_bar(x, height - 9, 8, 8, colors.HexColor(colours[i % len(colours)])))
        drawing.add(String(x + 11, height - 8, name[:40], fontSize=7.5, fontName=FONT))
        x += 16 + 4.2 * len(name[:40])
    y = height - legend
    for label, values in rows:
        drawing.add(String(0, y - 9, label[:90], fontSize=7.5, fontName=FONT))
        bar_y, start = y - 19, 0.0
        for i, value in enumerate(values):
            width = usable * value / top
            colour = colors.HexColor(colours[i % len(colours)])
            if stacked:
                drawing.add(_bar(start, bar_y, max(width, 0.5), 8, colour))
                start += width
            else:
                drawing.add(_bar(0, bar_y - 8 * i, max(width, 0.5), 6, colour))
                drawing.add(String(width + 3, bar_y - 8 * i, formatted(value, "hours" if table.chart_unit else "int"),
                                   fontSize=6.5, fontName=FONT))
        if stacked:
            total = sum(values)
            drawing.add(String(start + 4, bar_y + 1, formatted(total, "hours" if table.chart_unit else "int"),
                               fontSize=7.5, fontName=FONT))
        y -= row_height
    return drawing


def heading(title: str):
    """A section heading that never ends a page alone."""
    flowable = pdf.heading(title)
    flowable.keepWithNext = True
    return flowable


def table_block(table: Table) -> list:
    """One table as the report prints it: its title kept with its chart (or its first rows), the table, its note."""
    title_style = pdf.STYLES["body"].clone("sub", fontName="Helvetica-Bold")
    parts: list[Flowable] = [Paragraph(pdf.text(table.title), title_style)]
    drawing = chart(table)
    if drawing is not None:
        parts += [pdf.spacer(1), drawing]
        if table.chart_is_cut(chart_limit(table)):
            parts.append(pdf.paragraph(_("Grafik: %(n)s baris terbesar; semuanya ada di tabel.",
                                         n=chart_limit(table)), "small"))
    if table.rows:
        parts += [pdf.spacer(1), figures_table(table)]
    else:
        parts.append(pdf.paragraph(_("Belum ada data untuk periode ini."), "small"))
    if table.note:
        parts.append(pdf.paragraph(table.note, "small"))
    if drawing is None:  # a title never ends a page alone: it goes with the table (split past a page)
        return [pdf.keep_together(*parts), pdf.spacer(3)]
    return [pdf.keep_together(*parts[:3]), *parts[3:], pdf.spacer(3)]


def figures_story(figures: Figures) -> list:
    """Headline figures, then each section's charts and tables."""
    story = [heading(_("Ringkasan")),
             pdf.key_value_table([(label, formatted(value, fmt)) for _k, label, value, fmt in figures.headline],
                                 key_width_mm=70)]
    for section in figures.sections:
        story.append(heading(section.title))
        if section.intro:
            story.append(pdf.paragraph(section.intro))
        for table in section.tables:
            story += table_block(table)
    return story


class LazyStory(list):
    """A story that platypus consumes from the front while it is produced from an iterator.

    `doc.build` only looks a few flowables ahead, so long lists never sit in memory whole:
    at most AHEAD flowables (each a chunk of rows) are materialised at a time.
    """

    AHEAD = 8  # more than the longest run of flowables kept with the next (heading, intro, sub-heading, intro, table)

    def __init__(self, items: Iterable[Flowable]):
        super().__init__()
        self._source: Iterator[Flowable] | None = iter(items)
        self._fill()

    def _fill(self) -> None:
        while self._source is not None and list.__len__(self) < self.AHEAD:
            try:
                list.append(self, next(self._source))
            except StopIteration:
                self._source = None

    def __len__(self) -> int:
        self._fill()
        return list.__len__(self)

    def __getitem__(self, index):
        self._fill()
        return list.__getitem__(self, index)

    def __delitem__(self, index) -> None:
        list.__delitem__(self, index)
        self._fill()


def _cell(value) -> str:
    """A list cell as text: dates as `03-02-2025` (digits in every language: no locale lookup per row)."""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def list_story(title: str, columns: list[str], chunks: Iterable[list[list]], widths_mm: list[float],
               progress: Progress = lambda p: None, start: int = 0, end: int = 0) -> Iterator:
    """A long list, one `ListTable` (`app.reports.list_table`) per chunk of rows read, produced as the PDF
    is laid out; the columns share the page's width in the proportions of `widths_mm`."""
    yield heading(title)
    scale = WIDTH / (sum(widths_mm) * pdf.mm)
    widths = [w * pdf.mm * scale for w in widths_mm]
    count = 0
    memo: dict = {}  # cells fitted to their column, for this list only
    for step, rows in enumerate(chunks, 1):
        if rows:
            count += len(rows)
            yield ListTable.of(columns, [[_cell(c) for c in row] for row in rows], widths, memo=memo)
        if end > start:
            progress(min(end - 1, start + step))
    if not count:
        yield pdf.paragraph(_("Tidak ada."), "small")
    else:
        yield pdf.paragraph(_("Jumlah: %(n)s baris.", n=formatted(count, "int")), "small")


def report_pdf(header: pdf.RegionHeader, document_title: str, facts: list[tuple[str, str]],
               story: Iterable) -> bytes:
    """Title and facts about the report first, then `story`, every page under the region's header."""
    opening = [pdf.title(document_title), pdf.key_value_table(facts), pdf.spacer(2)]
    return pdf.build_pdf(header, document_title, LazyStory(itertools.chain(opening, story)))


def national_report_pdf(period_label: str, columns: list[str], rows: list, total, requested_by: str,
                        made_at: str, extra: Iterable[Table] = ()) -> bytes:
    """The national summary: one row per region and a national row; then the `extra` tables
    (received by built-in service area and channel, `app.dashboard.national_areas`)."""
    header = pdf.RegionHeader("SLRT Cloud", _("Ringkasan nasional seluruh daerah"),
                              _("Permensos Nomor 15 Tahun 2018 tentang SLRT"))
    formats = ("text", "text", "int", "int", "int", "int", "int", "hours")
    table = Table("national", _("Ringkasan per daerah"), columns, [r.values() for r in rows] + [total.values()],
                  formats=formats, chart_columns=())
    title = _("Ringkasan Nasional SLRT %(period)s", period=period_label)
    facts = [(_("Periode"), period_label), (_("Jumlah daerah"), str(len(rows))), (_("Disusun"), made_at),
             (_("Diminta oleh"), requested_by)]
    note = _("Terlambat: kasus terbuka yang melewati batas waktu tahapnya pada saat laporan disusun. Median: "
             "perkiraan dari kelompok durasi.")
    more = [flowable for t in extra for flowable in (pdf.spacer(4), pdf.paragraph(t.title, "small"), figures_table(t))]
    return report_pdf(header, title, facts, [figures_table(table), pdf.spacer(2), pdf.paragraph(note, "small"), *more])
