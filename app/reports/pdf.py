"""PDF building blocks every report reuses: an A4 document under the region's header,
headings, paragraphs, key/value tables and numbered lists; for documents an office files,
the letterhead (kop surat, with the region's logo), the signature block of the signing
official, and a document whose first page opens with the letterhead.

Text is escaped here, so callers pass plain strings (names, complaint text) safely.
The standard Helvetica font covers Indonesian text (Latin-1 and WinAnsi punctuation).

For a new official document (e.g. a year-end evaluation):

    story = [pdf.letterhead_block(letterhead_of(tenant), tenant.name, pdf.FRAME_WIDTH),
             pdf.title("…"), pdf.heading_kept("I. …"), table, …,
             pdf.signature_block(signer, made_on)]
    data = pdf.build_official_pdf(pdf.RunningHeader("…", tenant.name), "…", story)

`signer` is anything with `name`, `title`, `nip` and `place` (`app.reports.settings.Signer`).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    ListFlowable,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

MARGIN = 18 * mm
HEADER_HEIGHT = 26 * mm
RUNNING_HEIGHT = 12 * mm
LOGO_HEIGHT = 24 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN


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


# --- documents an office files: letterhead, signature, a first page that opens with the letterhead ---

def _centred(name: str, size: float = 10, leading: float = 12.5) -> ParagraphStyle:
    return ParagraphStyle(name, parent=STYLES["body"], alignment=TA_CENTER, fontSize=size, leading=leading)


def heading_kept(value: str) -> Paragraph:
    """A heading that is never left alone at the bottom of a page: it moves with what follows."""
    flowable = heading(value)
    flowable.keepWithNext = True
    return flowable


def letterhead_block(head, region_name: str, width: float = FRAME_WIDTH) -> Table:
    """The kop surat: "PEMERINTAH <REGION>", the office, its address and contacts, the logo on the left,
    a rule beneath. `head` is a `LetterheadFacts` (`app.tenants.letterhead.letterhead_of`)."""
    lines = [Paragraph(text(_("PEMERINTAH %(region)s", region=region_name.upper())), _centred("kop")),
             Paragraph(f"<b>{text(head.office_name.upper())}</b>", _centred("kop_office", 13, 16))]
    if head.address:
        lines.append(Paragraph(text(head.address), _centred("kop_line", 9, 11)))
    contact = " · ".join(p for p in (_("Telp. %(p)s", p=head.phone) if head.phone else "",
                                     _("Surel: %(e)s", e=head.email) if head.email else "") if p)
    if contact:
        lines.append(Paragraph(text(contact), _centred("kop_contact", 9, 11)))
    logo_width = LOGO_HEIGHT
    cells: list[list] = [["", lines, ""]]
    if head.logo_png:
        logo = Image(BytesIO(head.logo_png))
        logo_width = LOGO_HEIGHT * logo.imageWidth / logo.imageHeight
        logo.drawHeight, logo.drawWidth = LOGO_HEIGHT, logo_width
        cells = [[logo, lines, ""]]
    table = Table(cells, colWidths=[logo_width, width - 2 * logo_width, logo_width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 1.6, colors.black),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def signature_block(signer, on: date, width: float = FRAME_WIDTH) -> KeepTogether:
    """Place and date, the official's title, room to sign, the name underlined and the NIP; on the right
    half of the page, kept whole. Without a chosen signer, dotted lines to fill in by hand."""
    centred = _centred("signer", 10, 14)
    dots = "." * 40
    cells = [Paragraph(text(f"{signer.place}, {format_date(on, 'd MMMM yyyy')}"), centred),
             Paragraph(text((signer.title or dots) + ","), centred), Spacer(1, 20 * mm),
             Paragraph(f"<u><b>{text(signer.name or dots)}</b></u>", centred)]
    if signer.nip or not signer.name:
        cells.append(Paragraph(text(_("NIP. %(nip)s", nip=signer.nip or dots[:24])), centred))
    table = Table([["", cells]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 6 * mm), table])


@dataclass(frozen=True)
class RunningHeader:
    """The one line over every page after the first: the document, and the service and region."""

    document_title: str
    region_name: str
    service_name: str = ""


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _("Halaman %(n)s", n=doc.page))
    canvas.restoreState()


def _running(header: RunningHeader):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#333333"))
        top = A4[1] - MARGIN - 3 * mm
        canvas.drawString(MARGIN, top, header.document_title[:60])
        where = f"{header.service_name} · {header.region_name}" if header.service_name else header.region_name
        canvas.drawRightString(A4[0] - MARGIN, top, where[:80])
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2 * mm, A4[0] - MARGIN, top - 2 * mm)
        canvas.restoreState()
        _footer(canvas, doc)

    return draw


def build_official_pdf(header: RunningHeader, document_title: str, story: list, author: str = "") -> bytes:
    """An A4 document whose first page opens with what the story starts with (the letterhead) and whose
    later pages carry `header`; every page is numbered. `story` may be a `LazyStory`."""
    buffer = BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, title=document_title, author=author, subject=header.region_name)
    height = A4[1] - 2 * MARGIN
    doc.addPageTemplates([
        PageTemplate("first", [Frame(MARGIN, MARGIN, FRAME_WIDTH, height, id="first")], onPage=_footer),
        PageTemplate("later", [Frame(MARGIN, MARGIN, FRAME_WIDTH, height - RUNNING_HEIGHT, id="later")],
                     onPage=_running(header)),
    ])
    story.insert(0, NextPageTemplate("later"))
    doc.build(story)
    return buffer.getvalue()
