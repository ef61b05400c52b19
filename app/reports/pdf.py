"""PDF building blocks every report reuses: an A4 document under the region's header,
headings, paragraphs, key/value tables and numbered lists.

Text is escaped here, so callers pass plain strings (names, complaint text) safely.
The standard Helvetica font covers Indonesian text (Latin-1 and WinAnsi punctuation).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

MARGIN = 18 * mm
HEADER_HEIGHT = 26 * mm


@dataclass(frozen=True)
class RegionHeader:
    """What heads every page: the service's name, the region, and the regulation it runs under."""

    service_name: str
    region_name: str
    regulation_title: str

    @classmethod
    def of(cls, tenant) -> RegionHeader:
        return cls(tenant.service_name, tenant.name, tenant.regulation_title)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10, leading=14)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=15, leading=19,
                                alignment=TA_CENTER, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", fontSize=11.5, leading=15,
                                  spaceBefore=5 * mm, spaceAfter=2 * mm),
        "key": ParagraphStyle("key", parent=body, textColor=colors.HexColor("#444444")),
        "header_name": ParagraphStyle("header_name", parent=body, fontName="Helvetica-Bold", fontSize=12.5,
                                      leading=15),
        "header_line": ParagraphStyle("header_line", parent=body, fontSize=9, leading=11.5),
    }


STYLES = _styles()


def text(value) -> str:
    """Plain text made safe for a reportlab paragraph (line breaks kept)."""
    return escape(str(value if value is not None else "")).replace("\n", "<br/>")


def title(value: str) -> Paragraph:
    return Paragraph(text(value), STYLES["title"])


def heading(value: str) -> Paragraph:
    return Paragraph(text(value), STYLES["heading"])


def paragraph(value: str, style: str = "body") -> Paragraph:
    return Paragraph(text(value), STYLES[style])


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def key_value_table(rows: Sequence[tuple[str, str]], key_width_mm: float = 48) -> Table:
    """Two columns, label and value, each cell wrapping; for facts about one thing."""
    data = [[Paragraph(text(k), STYLES["key"]), Paragraph(text(v), STYLES["body"])] for k, v in rows]
    table = Table(data, colWidths=[key_width_mm * mm, A4[0] - 2 * MARGIN - key_width_mm * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def numbered_list(items: Iterable[str]) -> ListFlowable:
    """1., 2., 3. … one paragraph per item.

    The text is indented past the widest number plus a gap, so "10." never runs into its item.
    """
    items = list(items)
    indent = stringWidth(f"{max(len(items), 1)}.", "Helvetica", 10) + 2 * mm
    # Plain paragraphs take the list's leftIndent (the same output as a ListItem each, which the stubs don't accept).
    return ListFlowable([paragraph(item) for item in items], bulletType="1",
                        bulletFormat="%s.", bulletFontName="Helvetica", bulletFontSize=10, leftIndent=indent)


def summary(value: str, limit: int = 400) -> str:
    """`value` on one line, cut at a word before `limit` characters with "…" when longer."""
    flat = " ".join(str(value or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",.;:") + "…"


def signature_lines(columns: Sequence[tuple[str, str]], space_mm: float = 14) -> Table:
    """Side by side: a role above room to sign, then the signer's name in brackets; one column per signer."""
    width = (A4[0] - 2 * MARGIN) / len(columns)
    centred = ParagraphStyle("signature", parent=STYLES["body"], alignment=TA_CENTER)
    cells = [[Paragraph(text(role), centred), Spacer(1, space_mm * mm), Paragraph(f"( {text(name)} )", centred)]
             for role, name in columns]
    table = Table([cells], colWidths=[width] * len(columns))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def keep_together(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def _draw_header(header: RegionHeader):
    width = A4[0] - 2 * MARGIN

    def draw(canvas, doc):
        canvas.saveState()
        top = A4[1] - MARGIN
        for value, style in ((header.service_name, "header_name"), (header.region_name, "header_line"),
                             (header.regulation_title, "header_line")):
            para = Paragraph(text(value), STYLES[style])
            _w, h = para.wrap(width, HEADER_HEIGHT)
            top -= h
            para.drawOn(canvas, MARGIN, top)
        canvas.setStrokeColor(colors.HexColor("#333333"))
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, top - 2 * mm, A4[0] - MARGIN, top - 2 * mm)
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _("Halaman %(n)s", n=doc.page))
        canvas.restoreState()

    return draw


def build_pdf(header: RegionHeader, document_title: str, story: list[Flowable]) -> bytes:
    """Render `story` on A4 pages, each under the region's header; returns the PDF bytes."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + HEADER_HEIGHT, bottomMargin=MARGIN,
                            title=document_title, author=header.service_name, subject=header.region_name)
    draw = _draw_header(header)
    doc.build(story, onFirstPage=draw, onLaterPages=draw)
    return buffer.getvalue()
