"""The referral letter (Surat Rujukan) as a PDF: the region's letterhead, the number and date, the partner,
the citizen as the partner needs them, the approver's signature block, and a QR code to verify it.

The NIK is masked as on the receipt (`mask_nik`: the first 6 digits, where the card was issued,
and the last 4, its serial). The partner serves the citizen in person against their KTP: those
10 digits, with the name and address, are enough to check that the card shown is the person
referred, while the birth date and sex coded in the middle digits stay off a letter that passes
through more hands. A partner that needs the full number asks the citizen or the secretariat.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from app.citizens.identity import mask_nik
from app.reports import pdf
from app.tenants.letterhead import LetterheadFacts

QR_SIZE = 30 * mm


@dataclass(frozen=True)
class LetterFacts:
    """Everything the letter prints, gathered once (see `letter_facts`)."""

    number: str
    issued_on: date
    region_name: str
    service_name: str
    partner_name: str
    partner_address: str
    citizen_name: str
    masked_nik: str
    citizen_address: str
    ticket: str
    reason: str
    approver_name: str
    approver_title: str
    approver_nip: str
    verify_url: str


def _party(case) -> tuple[str, str, str]:
    """(name, masked NIK, address) of who complains: the citizen, or a group and its contact person."""
    if case.is_group:
        from app.extensions import db
        from app.reference.models import Village

        village = db.session.get(Village, case.village_code)
        contact = _("narahubung: %(name)s", name=case.group_contact_name or "—")
        return f"{case.group_name} ({contact})", "—", village.name if village is not None else ""
    citizen = case.citizen
    village_name = citizen.village.name if citizen.village is not None else ""
    return citizen.name, mask_nik(citizen.nik), ", ".join(p for p in (citizen.address, village_name) if p)


def letter_facts(letter, case, tenant, verify_url: str) -> LetterFacts:
    """The letter's facts: the office side as issued (the letter row), the citizen from the case."""
    name, nik, address = _party(case)
    return LetterFacts(
        number=letter.number, issued_on=letter.issued_on, region_name=tenant.name, service_name=tenant.service_name,
        partner_name=letter.partner_name, partner_address=letter.partner_address, citizen_name=name,
        masked_nik=nik, citizen_address=address,
        ticket=case.ticket, reason=letter.referral.reason, approver_name=letter.approver_name,
        approver_title=letter.approver_title, approver_nip=letter.approver_nip, verify_url=verify_url)


def _style(name: str, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, parent=pdf.STYLES["body"], **kw)


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _closing(facts: LetterFacts, width: float) -> Table:
    """The QR code and its caption on the left, the approver's signature block on the right."""
    small = pdf.STYLES["small"]
    signer = _style("signer", alignment=TA_CENTER)
    signature = [Paragraph(pdf.text(facts.approver_title or _("Pejabat yang menyetujui")) + ",", signer),
                 pdf.spacer(20), Paragraph(f"<u><b>{pdf.text(facts.approver_name or '—')}</b></u>", signer)]
    if facts.approver_nip:
        signature.append(Paragraph(pdf.text(_("NIP. %(nip)s", nip=facts.approver_nip)), signer))
    verify = [_qr(facts.verify_url),
              Paragraph(pdf.text(_("Pindai untuk memeriksa keaslian surat ini: %(url)s", url=facts.verify_url)), small)]
    table = Table([[verify, signature]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def letter_pdf(facts: LetterFacts, head: LetterheadFacts) -> bytes:
    """The letter as a one-page A4 PDF."""
    width = A4[0] - 2 * pdf.MARGIN
    day = format_date(facts.issued_on, "d MMMM yyyy")
    story = [
        pdf.letterhead_block(head, facts.region_name, width),
        pdf.spacer(5),
        Paragraph(f"<u><b>{pdf.text(_('SURAT RUJUKAN'))}</b></u>", _style("letter_title", alignment=TA_CENTER,
                                                                            fontSize=12.5, leading=16)),
        Paragraph(pdf.text(_("Nomor: %(number)s", number=facts.number)), _style("letter_no", alignment=TA_CENTER)),
        pdf.spacer(5),
        pdf.paragraph(_("%(region)s, %(day)s", region=facts.region_name, day=day)),
        pdf.spacer(2),
        pdf.paragraph(_("Kepada Yth.")),
        Paragraph(f"<b>{pdf.text(facts.partner_name)}</b>", pdf.STYLES["body"]),
        *([pdf.paragraph(facts.partner_address)] if facts.partner_address else []),
        pdf.paragraph(_("di tempat")),
        pdf.spacer(4),
        pdf.paragraph(_("Dengan hormat, %(service)s merujuk warga berikut untuk mendapatkan layanan sesuai "
                        "kewenangan Bapak/Ibu:", service=facts.service_name)),
        pdf.spacer(2),
        pdf.key_value_table([
            (_("Nama"), facts.citizen_name),
            (_("NIK"), facts.masked_nik),
            (_("Alamat"), facts.citizen_address),
            (_("Nomor pengaduan"), facts.ticket),
            (_("Kebutuhan / alasan rujukan"), facts.reason or "—"),
        ], key_width_mm=52),
        pdf.spacer(3),
        pdf.paragraph(_("NIK ditulis sebagian; mohon dicocokkan dengan KTP asli yang dibawa warga.")),
        pdf.paragraph(_("Mohon hasil penanganannya disampaikan kembali kepada kami dengan menyebut nomor surat ini. "
                        "Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.")),
        pdf.spacer(6),
        pdf.keep_together(_closing(facts, width)),
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                            topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN,
                            title=_("Surat rujukan %(number)s", number=facts.number), author=head.office_name,
                            subject=facts.region_name)
    doc.build(story)
    return buffer.getvalue()
