"""The ranking's PDF: A4 landscape, the region's letterhead (kop) on the first page, the facts, the
weights, the tie-break rule, then the candidates in tables of `ROWS_PER_TABLE` rows (short tables
keep reportlab's layout time linear in the number of rows), each with its header repeated.
"""
from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.programs.ranking import TIE_BREAK_RULE
from app.programs.ranking_export import (
    PDF_LIMIT,
    available_rows,
    cap_note,
    columns,
    row_values,
    summary_lines,
    weight_lines,
)
from app.programs.ranking_views import RankingFacts, export_rows
from app.reports import pdf
from app.tenants.letterhead import letterhead_of

PAGE = landscape(A4)
WIDTH = PAGE[0] - 2 * pdf.MARGIN
ROWS_PER_TABLE = 200
#: Column widths in mm; the head of household's (0) takes what is left of the landscape page's width.
COLUMN_MM = (14, 23, 0, 23, 32, 30, 9, 13, 11, 9, 32, 15)
PADDING = 2  # points, each side of a cell
LOGO_HEIGHT = 18 * mm
FONT_SIZE = 7.5


def _style(name: str, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, parent=pdf.STYLES["body"], **kw)


CELL = _style("rank_cell", fontSize=FONT_SIZE, leading=9)
HEAD = _style("rank_head", fontName="Helvetica-Bold", fontSize=FONT_SIZE, leading=9)


def _kop(tenant) -> Table:
    head = letterhead_of(tenant)
    centred = _style("rank_kop", alignment=TA_CENTER, fontSize=10, leading=12.5)
    lines = [Paragraph(pdf.text(_("PEMERINTAH %(region)s", region=tenant.name.upper())), centred),
             Paragraph(f"<b>{pdf.text(head.office_name.upper())}</b>",
                       _style("rank_kop_office", alignment=TA_CENTER, fontSize=13, leading=16))]
    if head.address:
        lines.append(Paragraph(pdf.text(head.address), _style("rank_kop_line", alignment=TA_CENTER, fontSize=9)))
    logo_width = LOGO_HEIGHT
    first: object = ""
    if head.logo_png:
        logo = Image(BytesIO(head.logo_png))
        logo_width = LOGO_HEIGHT * logo.imageWidth / logo.imageHeight
        logo.drawHeight, logo.drawWidth = LOGO_HEIGHT, logo_width
        first = logo
    table = Table([[first, lines, ""]], colWidths=[logo_width, WIDTH - 2 * logo_width, logo_width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LINEBELOW", (0, 0), (-1, 0), 1.6, colors.black),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _weights_table(facts: RankingFacts, labels: list[str]) -> Table:
    data = [[_("Bobot"), _("Syarat"), _("Poin"), _("Dasar hukum")]]
    data += [[code, Paragraph(pdf.text(label), CELL), f"{points:+d}", Paragraph(pdf.text(basis), CELL)]
             for code, label, points, basis in weight_lines(facts.ranking.weights or [], labels)]
    table = Table(data, colWidths=[16 * mm, WIDTH * 0.5, 16 * mm, WIDTH * 0.5 - 32 * mm], repeatRows=1)
    table.setStyle(_grid())
    return table


def _grid() -> TableStyle:
    return TableStyle([("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
                       ("FONT", (0, 1), (-1, -1), "Helvetica", 7.5),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                       ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                       ("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING)])


def _cell(value, width: float) -> object:
    """Plain text (fast) when it fits the column; a wrapping paragraph when it does not."""
    text = "" if value is None else str(value)
    if stringWidth(text, "Helvetica", FONT_SIZE) <= width - 2 * PADDING:
        return text
    return Paragraph(pdf.text(text), CELL)


def _widths() -> list[float]:
    fixed = sum(COLUMN_MM) * mm
    return [w * mm if w else WIDTH - fixed for w in COLUMN_MM]


def build_ranking_pdf(facts: RankingFacts, labels: list[str], tenant, proposed_only: bool
                      ) -> tuple[bytes, int, bool]:
    """(PDF bytes, number of candidate rows, whether the list was cut at `PDF_LIMIT`)."""
    ranking = facts.ranking
    day = ranking.created_at.date()
    widths, header = _widths(), [Paragraph(pdf.text(c), HEAD) for c in columns()]
    tables: list[Flowable] = []
    count = 0
    for chunk in export_rows(ranking, proposed_only, PDF_LIMIT):
        for start in range(0, len(chunk), ROWS_PER_TABLE):
            rows = [[_cell(v, w) for v, w in zip(row_values(r, day), widths, strict=True)]
                    for r in chunk[start:start + ROWS_PER_TABLE]]
            table = Table([header, *rows], colWidths=widths, repeatRows=1)
            table.setStyle(_grid())
            tables.append(table)
        count += len(chunk)
    note = cap_note(count, available_rows(facts, proposed_only), PDF_LIMIT)
    title = _("DAFTAR PERINGKAT CALON PENERIMA %(program)s", program=facts.program.name.upper())
    story = [_kop(tenant), pdf.spacer(4),
             Paragraph(f"<b>{pdf.text(title)}</b>", _style("rank_title", alignment=TA_CENTER, fontSize=12, leading=15)),
             pdf.spacer(3), pdf.key_value_table(summary_lines(facts, count, proposed_only, note)),
             pdf.heading(_("Bobot penilaian")), _weights_table(facts, labels),
             pdf.heading(_("Aturan bila nilai sama")), pdf.paragraph(str(TIE_BREAK_RULE)),
             pdf.heading(_("Daftar calon")), pdf.paragraph(_("No. KK dan NIK ditulis sebagian."), "small"),
             *([pdf.paragraph(note)] if note else []),
             pdf.spacer(2), *(tables or [pdf.paragraph(_("Tidak ada calon."))])]
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                            topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN, title=title,
                            author=tenant.service_name, subject=tenant.name)

    def page_number(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(PAGE[0] - pdf.MARGIN, pdf.MARGIN / 2, _("Halaman %(n)s", n=doc_.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue(), count, bool(note)
