"""The region's monthly or year-end report as a Dinas Sosial files it, as PDF.

The first page opens with the region's letterhead (kop surat, with its logo), the title and
the facts of the report; the chapters of `app.reports.contents` follow, each heading kept with
its table; then the signature block of the official the region chose (name, title, NIP), and
the long lists as appendices, laid out while they are read (`LazyStory`), so a year of a big
region never sits in memory whole. Later pages carry a one-line running header.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.platypus import PageBreak, Paragraph

from app.reports import pdf
from app.reports.activity import LazyStory, list_story, table_block
from app.reports.contents import ReportContents, chapters

Progress = Callable[[int], None]
TITLES = {"monthly": _l("Laporan Kegiatan SLRT %(period)s"),
          "yearly": _l("Laporan Evaluasi Penyelenggaraan SLRT %(period)s")}
AUDIENCE = {"monthly": _l("Sekretariat Nasional SLRT dan pihak terkait di daerah"),
            "yearly": _l("Evaluasi penyelenggaraan SLRT pada akhir tahun anggaran")}


def title_of(kind: str, contents: ReportContents) -> str:
    return str(TITLES[kind] % {"period": contents.period.label()})


def region_facts(tenant, kind: str, contents: ReportContents, requested_by: str,
                 made_at: str) -> list[tuple[str, str]]:
    """What the report is: region, service, legal basis, period, audience, when and for whom it was made."""
    figures = contents.figures
    regulation = (_("%(title)s tentang %(about)s", title=tenant.regulation_title, about=tenant.regulation_about)
                  if tenant.regulation_about else tenant.regulation_title)
    facts = [(_("Daerah"), f"{tenant.name} ({tenant.region_code})"),
             (_("Layanan"), tenant.service_full_name or tenant.service_name),
             (_("Dasar hukum"), regulation), (_("Periode"), figures.period.label())]
    if figures.district:
        facts.append((_("Kecamatan"), figures.district_name))
    return [*facts, (_("Disampaikan kepada"), str(AUDIENCE[kind])), (_("Disusun"), made_at),
            (_("Diminta oleh"), requested_by)]


def _sub_heading(value: str) -> Paragraph:
    flowable = Paragraph(pdf.text(value), pdf.STYLES["heading"].clone("sub_heading", fontSize=10.5, leading=14,
                                                                       spaceBefore=3 * pdf.mm))
    flowable.keepWithNext = True
    return flowable


def chapters_story(contents: ReportContents) -> Iterator:
    """Chapter I (the headline figures), then II–VIII: each heading kept with what follows it."""
    yield pdf.heading_kept(_("I. Ringkasan"))
    yield pdf.key_value_table(contents.headline_text(), key_width_mm=70)
    for chapter in chapters(contents):
        sub = chapter.key.startswith("analysis_")
        yield _sub_heading(chapter.title) if sub else pdf.heading_kept(chapter.title)
        if chapter.intro:
            intro = pdf.paragraph(chapter.intro)
            intro.keepWithNext = True  # with its first table, or the first sub-chapter's heading
            yield intro
        for table in chapter.tables:
            yield from table_block(table)


def closing_story(contents: ReportContents, made_on: date) -> list:
    """The signature block of the region's signing official (dotted lines until one is chosen)."""
    return [pdf.signature_block(contents.signer, made_on), PageBreak()]  # the appendices start on a page of their own


def region_report_pdf(tenant, kind: str, contents: ReportContents, prelist_chunks, referral_chunks,
                      requested_by: str, made_at: str, made_on: date, progress: Progress = lambda p: None) -> bytes:
    """The monthly or yearly report of one region: letterhead, chapters, signature, then the lists."""
    from app.dashboard.lists import prelist_columns, referral_columns

    title = title_of(kind, contents)
    progress(30)
    opening = [pdf.letterhead_block(contents.letterhead, tenant.name), pdf.spacer(4), pdf.title(title),
               pdf.key_value_table(region_facts(tenant, kind, contents, requested_by, made_at)), pdf.spacer(2)]
    story = itertools.chain(
        opening, chapters_story(contents), closing_story(contents, made_on),
        list_story(_("Lampiran 1. Daftar usulan penambahan data penerima manfaat"), prelist_columns(),
                   prelist_chunks, [20, 42, 30, 34, 30, 22], progress, 30, 55),
        list_story(_("Lampiran 2. Daftar rujukan"), referral_columns(), referral_chunks,
                   [16, 30, 20, 21, 34, 18, 20, 24], progress, 55, 85))
    return pdf.build_official_pdf(pdf.RunningHeader(title, tenant.name, tenant.service_name), title, LazyStory(story),
                                  author=tenant.service_name)
