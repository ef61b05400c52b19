"""The dashboard's contents: the four parts of the web-based visual board (summary of
pre-list proposals, access to central and regional programs, program complementarity
and overlap, service-gap analysis), the referrals to programs, and the casework figures,
for every region.

Parts b and c are about programs households actually receive (`app.dashboard.program_figures`);
what the secretariat referred citizens to stays under its own heading, "Rujukan ke program".
One `figures()` call feeds the web page, the PDF and the Excel workbook alike.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.casework.steps import INFORM_CHANNELS
from app.casework.vocabulary import Outcome, PartnerLevel, ReferralStatus
from app.dashboard.metrics import PRELIST_STAGES, median_hours
from app.dashboard.overlap import referral_overlap_tables
from app.dashboard.periods import Period, formatted
from app.dashboard.program_access import Receipts
from app.dashboard.program_figures import access_section, overlap_section
from app.dashboard.queries import Figures, Labels, Reader, Section, Table
from app.dashboard.sections import section_keys, section_title
from app.org.service_areas import area_label, area_labels


def figures(tenant, period: Period, district: str = "") -> Figures:
    """Every figure for `tenant` (the current region) over `period`, optionally one district."""
    reader, labels = Reader(period, district), Labels(tenant)
    receipts = Receipts.read(district)
    totals: dict = {}
    sections = [build_section(key, reader, labels, totals, receipts) for key in section_keys(period)]
    return Figures(period=period, district=district, district_name=labels.district(district) if district else "",
                   headline=headline_rows(totals), sections=sections, totals=totals)


def build_section(key: str, reader: Reader, labels: Labels, totals: dict, receipts: Receipts | None) -> Section:
    """One section of the board; fills the `totals` it knows. `receipts` is needed by "access" and "overlap"."""
    if key in ("access", "overlap"):
        assert receipts is not None
        return (access_section if key == "access" else overlap_section)(reader, labels, totals, receipts)
    if key == "monthly":
        return monthly_section(reader)
    builders = {"prelist": prelist_section, "gaps": gap_section, "referrals": referrals_section,
                "casework": casework_section}
    return builders[key](reader, labels, totals)


def headline_rows(totals: dict) -> list[tuple[str, str, object, str]]:
    """The figures at the top of the board, from `totals` (all sections', or `board.headline_totals`)."""
    return [
        ("received", _("Pengaduan diterima"), totals["received"], "int"),
        ("closed", _("Selesai"), totals["closed"], "int"),
        ("open", _("Terbuka saat ini"), totals["open"], "int"),
        ("overdue", _("Terlambat saat ini"), totals["overdue"], "int"),
        ("referrals", _("Rujukan diajukan"), totals["referrals"], "int"),
        ("informed", _("Warga diberi tahu hasilnya"), totals["informed"], "int"),
        ("prelist", _("Usulan daftar awal"), totals["prelist"], "int"),
        ("close_median_hours", _("Median waktu sampai selesai"), totals["close_median_hours"], "hours"),
        ("households_receiving", _("Rumah tangga penerima program"), totals["households_receiving"],
         "int"),
        ("receiving_3plus", _("Penerima 3 program atau lebih"), totals["receiving_3plus"], "int"),
    ]


def prelist_section(r: Reader, L: Labels, totals: dict) -> Section:
    data = r.sum(["prelist"], ["district_code", "detail"])
    stages = list(PRELIST_STAGES)
    rows = []
    for code in sorted({k[0] for k in data}, key=L.district):
        counts = [data.get((code, s), 0) for s in stages]
        rows.append([L.district(code), *counts, sum(counts)])
    totals["prelist"] = sum(data.values())
    totals["prelist_by_stage"] = {s: sum(v for k, v in data.items() if k[1] == s) for s in stages}
    table = Table("prelist", _("Usulan penambahan data penerima manfaat per kecamatan"),
                  [_("Kecamatan"), *[str(label) for label in PRELIST_STAGES.values()], _("Jumlah")], rows,
                  chart_columns=tuple(range(1, len(stages) + 1)),
                  note=_("Usulan rumah tangga baru (verval) yang dibuat dalam periode ini; tahap adalah keadaannya "
                         "sekarang: dalam penelaahan, disetujui atau ditolak penelaah, lalu hasil dari Kementerian "
                         "Sosial."))
    return Section("prelist", section_title("prelist"), "", [table])


def referrals_section(r: Reader, L: Labels, totals: dict) -> Section:
    """Referrals the secretariat made to programs: what was asked of programs, not what households receive."""
    requested = r.by("referral_requested", "partner_level")
    sent, answered = r.by("referral_sent", "partner_level"), r.by("referral_answered", "partner_level")
    decided = r.sum(["referral_decision"], ["partner_level", "detail"])
    outcome = r.sum(["referral_outcome"], ["partner_level", "detail"])
    rows = []
    for level, label in PartnerLevel.labels().items():
        values = [requested.get(level, 0), decided.get((level, ReferralStatus.RETURNED), 0), sent.get(level, 0),
                  answered.get(level, 0), *[outcome.get((level, o), 0) for o in Outcome]]
        if any(values):
            rows.append([str(label), *values])
    totals["referrals"] = sum(requested.values())
    totals["referrals_by_level"] = {level: requested.get(level, 0) for level in PartnerLevel}
    totals["outcomes"] = {o: sum(v for k, v in outcome.items() if k[1] == o) for o in Outcome}
    table = Table("referral_levels", _("Rujukan dan hasilnya menurut tingkat lembaga tujuan"),
                  [_("Tingkat lembaga"), _("Diajukan"), _("Dikembalikan"), _("Dikirim"), _("Dijawab"),
                   *[str(o.label) for o in Outcome]], rows, chart_columns=(1, 5), stacked=False,
                  note=_("Diajukan, dikembalikan pemberi persetujuan, dikirim, dijawab lembaga, dan hasil "
                         "tindak lanjut, menurut tanggal masing-masing langkah dalam periode ini."))
    intro = _("Rujukan yang dibuat sekretariat dari pengaduan: apa yang dimintakan kepada program, bukan program "
              "yang diterima rumah tangga (itu ada di bagian b dan c).")
    return Section("referrals", section_title("referrals"), intro, [table, *referral_overlap_tables(r, L, totals)])


def gap_section(r: Reader, L: Labels, totals: dict) -> Section:
    received = r.received_by(1, 2)
    resolution = r.sum(["resolution"], ["service_area", "district_code", "detail"])
    resolved: dict[tuple[str, str], int] = {}
    unserved: dict[tuple[str, str], int] = {}
    for (area, district, detail), n in resolution.items():
        target = resolved if detail in ("handled", "served") else unserved
        target[(area, district)] = target.get((area, district), 0) + n
    keys = set(received) | set(resolved) | set(unserved)
    overall = sum(resolved.values()) / max(1, sum(received.values()))
    rows, flags = [], []
    for area, district in keys:
        got, done, lost = received.get((area, district), 0), resolved.get((area, district), 0), \
            unserved.get((area, district), 0)
        rate = done / got if got else None
        rows.append([area_label(area), L.district(district), got, done, lost,
                     max(0, got - done), rate])
        flags.append(lost > 0 or (got >= 3 and rate is not None and rate < overall - 0.2))
    order = sorted(range(len(rows)), key=lambda i: (-rows[i][5], rows[i][0], rows[i][1]))
    detail = Table("gaps", _("Pengaduan dibandingkan penanganannya, per bidang layanan dan kecamatan"),
                   [_("Bidang layanan"), _("Kecamatan"), _("Diterima"), _("Tertangani"), _("Tidak terlayani"),
                    _("Kesenjangan"), _("% tertangani")], [rows[i] for i in order],
                   formats=("text", "text", "int", "int", "int", "int", "percent"), chart_columns=(),
                   highlight=[flags[i] for i in order],
                   note=_("Tertangani: ditangani sekretariat atau dilayani program dalam periode ini. Baris yang "
                          "ditandai: ada pengaduan yang tidak dapat dilayani, atau tingkat penanganannya lebih "
                          "dari 20 poin di bawah rata-rata daerah (%(avg)s).", avg=formatted(overall, "percent")))
    by_area = []
    for area, label in area_labels().items():
        got = sum(v for k, v in received.items() if k[0] == area)
        done = sum(v for k, v in resolved.items() if k[0] == area)
        lost = sum(v for k, v in unserved.items() if k[0] == area)
        if got or done or lost:
            by_area.append([str(label), done, lost, max(0, got - done - lost), got])
    summary = Table("gaps_by_area", _("Penanganan menurut bidang layanan"),
                    [_("Bidang layanan"), _("Tertangani"), _("Tidak terlayani"), _("Belum selesai"), _("Diterima")],
                    by_area, chart_columns=(1, 2, 3))
    totals["gap_rows_flagged"] = sum(flags)
    return Section("gaps", section_title("gaps"), "", [summary, detail])


def casework_section(r: Reader, L: Labels, totals: dict) -> Section:
    channels = r.received_by(0)
    areas = r.received_by(1)
    open_now = r.by("open", "state", snapshot=True)
    overdue = r.overdue()
    totals.update(received=sum(channels.values()), closed=r.total("closed"), open=sum(open_now.values()),
                  overdue=sum(overdue.values()), informed=r.total("informed"))
    step_hist = r.histograms("state_hours", "state")
    close_hist = r.histograms("close_hours").get(None, {})
    totals["close_median_hours"] = median_hours(close_hist)
    durations = [[L.state(s), median_hours(h), sum(h.values())] for s, h in
                 sorted(step_hist.items(), key=lambda item: L.state_rank(item[0]))]
    if close_hist:
        durations.append([_("Seluruh proses sampai selesai"), totals["close_median_hours"], sum(close_hist.values())])
    tables = [
        Table("by_channel", _("Pengaduan diterima menurut jalur"), [_("Jalur"), _("Jumlah")],
              [[L.channels.get(k, k), v] for k, v in sorted(channels.items(), key=lambda i: -i[1])]),
        Table("by_area", _("Pengaduan diterima menurut bidang layanan"), [_("Bidang layanan"), _("Jumlah")],
              [[area_label(k), v] for k, v in sorted(areas.items(), key=lambda i: -i[1])]),
        Table("open_by_step", _("Kasus terbuka menurut tahap (saat ini)"), [_("Tahap"), _("Jumlah")],
              [[L.state(k), v] for k, v in sorted(open_now.items(), key=lambda i: L.state_rank(i[0])) if v]),
        Table("overdue", _("Kasus terlambat menurut tahap dan unit (saat ini)"),
              [_("Tahap"), _("Unit"), _("Jumlah")],
              [[L.state(s), L.unit(u), n] for (s, u), n in sorted(overdue.items(), key=lambda i: -i[1])],
              formats=("text", "text", "int"), chart_columns=(2,),
              note=_("Dihitung langsung dari kasus saat halaman dibuka: melewati batas waktu tahapnya dan belum "
                     "selesai.")),
        Table("durations", _("Median lama per tahap"), [_("Tahap"), _("Median"), _("Jumlah langkah")], durations,
              formats=("text", "hours", "int"),
              note=_("Perkiraan dari kelompok durasi (ketelitian sekitar 20%), untuk langkah dalam periode ini.")),
        referrals_table(r, L, totals),
        Table("informed", _("Warga diberi tahu hasilnya, menurut cara"), [_("Cara"), _("Jumlah")],
              [[str(INFORM_CHANNELS.get(k, k)), v] for k, v in sorted(r.by("informed", "detail").items(),
                                                                     key=lambda i: -i[1])]),
    ]
    return Section("casework", section_title("casework"), "", tables)


def referrals_table(r: Reader, L: Labels, totals: dict) -> Table:
    requested, answered = r.by("referral_requested", "partner_id"), r.by("referral_answered", "partner_id")
    outcome = r.sum(["referral_outcome"], ["partner_id", "detail"])
    response = r.histograms("response_hours", "partner_id")
    ids = set(requested) | set(answered) | {k[0] for k in outcome}
    partners = sorted(((pid, *L.partner(pid)) for pid in ids), key=lambda p: (-requested.get(p[0], 0), p[1]))
    rows = [[name, PartnerLevel.label_of(level), requested.get(pid, 0), answered.get(pid, 0),
             median_hours(response.get(pid, {})), *[outcome.get((pid, o), 0) for o in Outcome]]
            for pid, name, level in partners]
    return Table("by_partner", _("Rujukan menurut lembaga tujuan"),
                 [_("Lembaga"), _("Tingkat"), _("Diajukan"), _("Dijawab"), _("Median waktu jawab"),
                  *[str(o.label) for o in Outcome]], rows,
                 formats=("text", "text", "int", "int", "hours", "int", "int", "int"), chart_columns=(2,),
                 note=_("Waktu jawab: dari surat rujukan dikirim sampai jawaban lembaga dicatat."))


def monthly_section(r: Reader) -> Section:
    data = r.sum(["received", "closed", "referral_requested", "informed"], ["metric", "day"])
    rows = []
    for month in r.period.months():
        inside = {k: v for k, v in data.items() if month.start <= k[1] <= month.end}
        rows.append([month.label(), *[sum(v for k, v in inside.items() if k[0] == m)
                                      for m in ("received", "closed", "referral_requested", "informed")]])
    table = Table("monthly", _("Per bulan"), [_("Bulan"), _("Diterima"), _("Selesai"), _("Rujukan"),
                                               _("Diberi tahu")], rows, chart_columns=(1, 2), stacked=False)
    return Section("monthly", section_title("monthly"), "", [table])
