"""The citizen's receipt for a complaint: what was recorded, what happens next, how to follow it.

One set of facts (`receipt_of`) feeds both the HTML page and the PDF, so they never differ.
It carries the masked NIK only.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.casework.sop import Sop
from app.citizens.identity import mask_nik
from app.org.service_areas import area_label
from app.reports import pdf
from app.templating import localtime, region_url

#: Characters of the complaint a receipt shows: about three lines, so the receipt stays one page.
SUMMARY_LIMIT = 240


@dataclass(frozen=True)
class Receipt:
    ticket: str
    received_at: str
    service_name: str
    region_name: str
    citizen_name: str
    masked_nik: str
    service_area: str
    channel: str
    officer: str
    officer_name: str
    stages: list[str]
    status_url: str
    has_phone: bool
    #: The complaint on one line, cut to a summary a receipt can hold.
    complaint: str


def handling_stages(sop: Sop, entry: str) -> list[str]:
    """Labels of the stages a case from `entry` passes through, in the SOP's order.

    Stages reached only by sending work back (a `return` step) are detours, not the path.
    """
    reached, frontier = {entry}, [entry]
    while frontier:
        for step in sop.transitions_from(frontier.pop()):
            if not step.step_kind.sends_back and step.target not in reached:
                reached.add(step.target)
                frontier.append(step.target)
    return [state.label for key, state in sop.states.items() if key in reached]


def receipt_of(case, tenant) -> Receipt:
    """The receipt's facts for `case` (its citizen and SOP version loaded) in `tenant`."""
    sop = case.sop_version.sop
    channel = sop.channels.get(case.channel)
    entry = channel.entry if channel else case.state
    first = case.events[0] if case.events else None
    return Receipt(
        ticket=case.ticket, received_at=localtime(case.created_at), service_name=tenant.service_name,
        region_name=tenant.name, citizen_name=case.party_name,
        masked_nik="" if case.is_group else mask_nik(case.citizen.nik),
        service_area=area_label(case.service_area),
        channel=channel.label if channel else case.channel,
        officer=f"{first.actor_name}, {first.actor_title}" if first else "",
        officer_name=first.actor_name if first else "", complaint=pdf.summary(case.complaint, SUMMARY_LIMIT),
        stages=handling_stages(sop, entry), status_url=region_url(tenant.slug, "public.status"),
        has_phone=bool(case.contact_phone),
    )


def status_instructions(receipt: Receipt) -> str:
    if receipt.has_phone:
        return _("Buka %(url)s, lalu masukkan nomor tiket %(ticket)s dan 4 angka terakhir nomor telepon "
                 "yang Anda berikan kepada petugas.", url=receipt.status_url, ticket=receipt.ticket)
    return _("Nomor telepon tidak dicatat, jadi status tidak dapat dicek di %(url)s. Tanyakan status kepada "
             "petugas dengan menyebut nomor tiket %(ticket)s.", url=receipt.status_url, ticket=receipt.ticket)


def receipt_pdf(receipt: Receipt, header: pdf.RegionHeader) -> bytes:
    """The receipt as a one-page PDF under the region's header."""
    facts = [
        (_("Nomor tiket"), receipt.ticket),
        (_("Tanggal diterima"), receipt.received_at),
        (_("Layanan"), f"{receipt.service_name} — {receipt.region_name}"),
        (_("Nama warga"), receipt.citizen_name),
        (_("NIK"), receipt.masked_nik),
        (_("Bidang layanan"), receipt.service_area),
        (_("Jalur pengaduan"), receipt.channel),
        (_("Diterima oleh"), receipt.officer),
    ]
    story = [
        pdf.title(_("Tanda Terima Pengaduan")),
        pdf.key_value_table(facts),
        pdf.keep_together(pdf.heading(_("Ringkasan pengaduan")), pdf.paragraph(receipt.complaint)),
        pdf.keep_together(pdf.heading(_("Bagaimana pengaduan ditangani")), pdf.numbered_list(receipt.stages)),
        pdf.keep_together(pdf.heading(_("Cara memeriksa status pengaduan")),
                          pdf.paragraph(status_instructions(receipt))),
        pdf.spacer(4),
        pdf.keep_together(pdf.signature_lines([(_("Petugas penerima"), receipt.officer_name),
                                               (_("Warga / pelapor"), receipt.citizen_name)]),
                          pdf.spacer(4),
                          pdf.paragraph(_("Simpan tanda terima ini sampai pengaduan selesai."), "small")),
    ]
    return pdf.build_pdf(header, _("Tanda terima %(ticket)s", ticket=receipt.ticket), story)
