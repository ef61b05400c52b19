"""One case on paper (for the file or a meeting), on the shared building blocks of `app.reports.pdf`."""
from __future__ import annotations

from flask_babel import gettext as _

from app.reports import pdf


def case_summary_pdf(case, tenant) -> bytes:
    """One case on paper (for the file or a meeting): facts, its timeline and its referrals.

    The NIK is masked; notes are printed as written. Expects the case's citizen, events,
    referrals (with partners) and SOP version loaded.
    """
    from app.casework.vocabulary import Outcome, ReferralStatus
    from app.citizens.identity import mask_nik
    from app.org.service_areas import area_label
    from app.templating import localtime

    sop = case.sop_version.sop
    channel = sop.channels.get(case.channel)
    state = sop.states.get(case.state)
    facts = [(_("Nomor tiket"), case.ticket), (_("Diterima"), localtime(case.created_at)),
             (_("Nama warga"), case.party_name),
             (_("NIK"), mask_nik(case.citizen.nik) if case.citizen is not None else "—"),
             (_("Bidang layanan"), area_label(case.service_area)),
             (_("Jalur"), channel.label if channel else case.channel),
             (_("Tahap sekarang"), state.label if state else case.state),
             (_("Selesai"), localtime(case.closed_at) if case.closed_at else _("Belum"))]
    timeline = [f"{localtime(e.at)} — {e.label or e.action} ({e.actor_name}, {e.actor_title})"
                + (f": {e.note}" if e.note else "") for e in case.events]
    story = [pdf.title(_("Ringkasan Kasus %(ticket)s", ticket=case.ticket)), pdf.key_value_table(facts),
             pdf.heading(_("Keluhan")), pdf.paragraph(case.complaint),
             pdf.heading(_("Riwayat penanganan")), pdf.numbered_list(timeline)]
    if case.referrals:
        story += [pdf.heading(_("Rujukan")), pdf.numbered_list(
            [f"{r.partner.name} — {ReferralStatus.label_of(r.status)}"
             + (f", {Outcome.label_of(r.outcome)}" if r.outcome else "")
             + (f" ({localtime(r.requested_at)})" if r.requested_at else "") for r in case.referrals])]
    return pdf.build_pdf(pdf.RegionHeader.of(tenant), _("Ringkasan kasus %(ticket)s", ticket=case.ticket), story)
