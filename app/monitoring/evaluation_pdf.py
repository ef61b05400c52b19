"""The year-end evaluation as PDF, from the report's own building blocks (`app.reports.pdf`):
the letterhead, the title and facts, the year's headline figures, plan against realisation,
each Puskesos's figures, the evaluating office's notes and the signature block.
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_datetime
from flask_babel import gettext as _

from app.dashboard.periods import formatted
from app.dashboard.queries import Table
from app.monitoring.evaluation import Evaluation
from app.monitoring.models import FundSource
from app.monitoring.operations import rupiah
from app.reports import pdf
from app.reports.activity import table_block
from app.reports.settings import signer_of
from app.tenants.letterhead import letterhead_of

#: The format of a cell written out already (a share, an amount): laid out as a figure, printed as is.
SHOWN = "shown"


def title_of(evaluation: Evaluation) -> str:
    return _("Evaluasi Akhir Tahun Penyelenggaraan SLRT Tahun %(y)s", y=evaluation.year)


def plan_table(evaluation: Evaluation) -> Table:
    rows = [[p.plan.owner_name, p.activities, p.reached, formatted(p.achievement, "percent"), rupiah(p.budget),
             rupiah(p.spent), formatted(p.absorbed, "percent")] for p in evaluation.plans]
    if evaluation.total is not None and len(evaluation.plans) > 1:
        t = evaluation.total
        rows.append([_("Jumlah"), t.activities, t.reached, formatted(t.achievement, "percent"), rupiah(t.budget),
                     rupiah(t.spent), formatted(t.absorbed, "percent")])
    return Table("plans", _("Rencana dan realisasi per pemilik rencana"),
                 [_("Pemilik rencana"), _("Kegiatan"), _("Mencapai target"), _("Capaian rata-rata"), _("Anggaran"),
                  _("Realisasi"), _("Serapan")], rows, formats=("text", "int", "int", *[SHOWN] * 4), chart_columns=())


def activity_table(evaluation: Evaluation) -> Table:
    rows = [[p.plan.owner_name, a.name, f"{formatted(a.target, 'int')} {a.target_unit}",
             f"{formatted(a.achieved, 'int')} {a.target_unit}", formatted(share, "percent")]
            for p in evaluation.plans for a, share in p.rows]
    return Table("activities", _("Kegiatan: target dan capaian"),
                 [_("Pemilik rencana"), _("Kegiatan"), _("Target"), _("Capaian"), _("%")], rows,
                 formats=("text", "text", SHOWN, SHOWN, SHOWN), chart_columns=())


def budget_table(evaluation: Evaluation) -> Table:
    rows = [[p.plan.owner_name, line.account, FundSource.label_of(line.source), rupiah(line.amount),
             rupiah(sum(s.amount for s in line.spending))] for p in evaluation.plans for line in p.plan.budget_lines]
    return Table("budget", _("Anggaran: pagu dan realisasi"),
                 [_("Pemilik rencana"), _("Mata anggaran"), _("Sumber dana"), _("Pagu"), _("Realisasi")], rows,
                 formats=("text", "text", SHOWN, SHOWN, SHOWN), chart_columns=())


def welfare_center_table(evaluation: Evaluation) -> Table:
    rows = [[r.name, r.district, r.recorded, r.handled, r.referred, r.overdue] for r in evaluation.welfare_centers]
    return Table("welfare_centers", _("Angka setiap Puskesos"),
                 [_("Puskesos"), _("Kecamatan"), _("Pengaduan dicatat"), _("Selesai"), _("Dirujuk"),
                  _("Terlambat saat ini")], rows, formats=("text", "text", "int", "int", "int", "int"),
                 chart_columns=())


def evaluation_pdf(tenant, evaluation: Evaluation, made_by: str, made_on: date) -> bytes:
    """The evaluation of `tenant` (the current region) for one year, as an office files it."""
    title = title_of(evaluation)
    figures = evaluation.figures
    facts = [(_("Daerah"), f"{tenant.name} ({tenant.region_code})"),
             (_("Layanan"), tenant.service_full_name or tenant.service_name),
             (_("Tahun anggaran"), str(evaluation.year)),
             (_("Kantor pengevaluasi"), ", ".join(evaluation.offices) or "\u2014")]
    if evaluation.legal_basis:
        facts.append((_("Dasar hukum"), evaluation.legal_basis))
    facts += [(_("Disusun"), format_datetime(made_on, "d MMMM yyyy")), (_("Diunduh oleh"), made_by)]
    story: list = [pdf.letterhead_block(letterhead_of(tenant), tenant.name), pdf.spacer(4), pdf.title(title),
                   pdf.key_value_table(facts), pdf.spacer(2),
                   pdf.heading_kept(_("I. Angka layanan tahun %(y)s", y=evaluation.year)),
                   pdf.key_value_table([(label, formatted(value, fmt)) for _k, label, value, fmt in figures.headline],
                                       key_width_mm=70),
                   pdf.heading_kept(_("II. Rencana kegiatan dan anggaran terhadap realisasi"))]
    if evaluation.plans:
        for table in (plan_table(evaluation), activity_table(evaluation), budget_table(evaluation)):
            story += table_block(table)
    else:
        story.append(pdf.paragraph(_("Belum ada rencana kegiatan dan anggaran untuk tahun ini.")))
    story.append(pdf.heading_kept(_("III. Puskesos")))
    story += table_block(welfare_center_table(evaluation))
    story.append(pdf.heading_kept(_("IV. Catatan kantor pengevaluasi")))
    if evaluation.notes:
        for note in evaluation.notes:
            story.append(pdf.paragraph(f"{note.author_name} ({note.author_title}, {note.office}): {note.text}"))
    else:
        story.append(pdf.paragraph(_("Belum ada catatan evaluasi.")))
    story.append(pdf.signature_block(signer_of(tenant), made_on))
    return pdf.build_official_pdf(pdf.RunningHeader(title, tenant.name, tenant.service_name), title, story,
                                  author=tenant.service_name)
