"""What the region's monthly or year-end report says, in the order a Dinas Sosial files it.

`report_contents` gathers everything once (the dashboard's `Figures`, the people served,
what was recorded, the signer and the letterhead); `chapters` puts the tables in the order of
the report, numbered as offices number them. The PDF (`app.reports.office`) and the Excel
workbook (`app.reports.workbook`) both walk the same chapters, so they always agree.

    I    Ringkasan (headline figures)
    II   Warga yang dilayani: by sex, age group and disability
    III  Pengaduan: by district and service area
    IV   Rujukan: outcomes by partner level, by partner
    V    Kepesertaan dan kebutuhan program yang dicatat
    VI   Pemutakhiran data (verval): proposals and their results
    VII  Kinerja layanan (channels, steps, durations, informing; per month in a year)
    VIII Analisis dasbor: the rest of the dashboard (program access, overlap, gaps, referral overlap)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.dashboard.figures import figures as dashboard_figures
from app.dashboard.periods import Period, formatted
from app.dashboard.queries import Figures, Labels, Reader, Section, Table
from app.reports.people import PeopleServed, group_note, people_served, people_tables
from app.reports.recorded import area_district_table, data_updates_table, needs_table, participation_table
from app.reports.settings import Signer, signer_of
from app.tenants.letterhead import LetterheadFacts, letterhead_of

#: Chapter → the dashboard tables it carries (after its own); what no chapter names goes to VIII.
FROM_DASHBOARD = {"complaints": ("by_area", "gaps_by_area"), "referrals": ("referral_levels", "by_partner"),
                  "programs": ("access_levels",), "updates": ("prelist",),
                  "service": ("by_channel", "open_by_step", "overdue", "durations", "informed", "monthly")}


@dataclass
class ReportContents:
    """Everything one report prints."""

    figures: Figures
    people: PeopleServed
    signer: Signer
    letterhead: LetterheadFacts
    recorded: dict[str, Table] = field(default_factory=dict)

    @property
    def period(self) -> Period:
        return self.figures.period

    def headline(self) -> list[tuple[str, str, object, str]]:
        """The dashboard's headline figures and the people served."""
        return [*self.figures.headline[:2],
                ("people", _("Warga yang dilayani"), self.people.total, "int"), *self.figures.headline[2:]]

    def headline_text(self) -> list[tuple[str, str]]:
        return [(str(label), formatted(value, fmt)) for _key, label, value, fmt in self.headline()]


def report_contents(tenant, period: Period, district: str = "") -> ReportContents:
    """Gather the current region's report for `period` (optionally one district)."""
    reader, labels = Reader(period, district), Labels(tenant)
    return ReportContents(
        figures=dashboard_figures(tenant, period, district), people=people_served(period, district),
        signer=signer_of(tenant), letterhead=letterhead_of(tenant),
        recorded={"area_district": area_district_table(reader, labels), "participation": participation_table(reader),
                  "needs": needs_table(reader), "data_updates": data_updates_table(reader)})


def _dashboard_tables(figs: Figures, keys: tuple[str, ...]) -> list[Table]:
    present = {t.key: t for s in figs.sections for t in s.tables}
    return [present[k] for k in keys if k in present]


def chapters(contents: ReportContents) -> list[Section]:
    """Chapters II–VIII (chapter I, the summary, is the headline) with their tables in order."""
    figs, recorded, people = contents.figures, contents.recorded, contents.people
    served = _("Warga yang pengaduannya diterima dalam periode ini, masing-masing dihitung sekali: %(n)s orang.",
               n=formatted(people.total, "int"))
    out = [
        Section("people", _("II. Warga yang dilayani"), " ".join(p for p in (served, group_note(people)) if p),
                people_tables(people)),
        Section("complaints", _("III. Pengaduan menurut kecamatan dan bidang layanan"), "",
                [recorded["area_district"], *_dashboard_tables(figs, FROM_DASHBOARD["complaints"])]),
        Section("referrals", _("IV. Rujukan dan hasilnya menurut tingkat lembaga"),
                _("Rujukan yang dibuat sekretariat: diajukan, dikirim, dijawab lembaga, dan hasil tindak lanjutnya."),
                _dashboard_tables(figs, FROM_DASHBOARD["referrals"])),
        Section("programs", _("V. Kepesertaan dan kebutuhan program yang dicatat"), "",
                [recorded["participation"], recorded["needs"], *_dashboard_tables(figs, FROM_DASHBOARD["programs"])]),
        Section("updates", _("VI. Pemutakhiran data (verifikasi dan validasi)"), "",
                [recorded["data_updates"], *_dashboard_tables(figs, FROM_DASHBOARD["updates"])]),
        Section("service", _("VII. Kinerja layanan"), "", _dashboard_tables(figs, FROM_DASHBOARD["service"])),
    ]
    used = {k for keys in FROM_DASHBOARD.values() for k in keys}
    rest = [Section(s.key, s.title, s.intro, [t for t in s.tables if t.key not in used]) for s in figs.sections]
    rest = [s for s in rest if s.tables]
    if rest:
        out.append(Section("analysis", _("VIII. Analisis dasbor SLRT"),
                           _("Bagian dasbor lainnya: akses dan irisan program yang diterima rumah tangga, "
                             "kesenjangan layanan, dan rujukan antartingkat."), []))
        out += [Section(f"analysis_{s.key}", s.title, s.intro, s.tables) for s in rest]
    return out
