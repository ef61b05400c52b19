"""Report content against a known data set: the figures in the PDF text and in the Excel cells
are the ones the data says, and the dashboard shows the same.

The data set: five cases in February 2025 in a fresh region (made from the Bekasi
template), walked step by step on a fixed clock.
"""
from __future__ import annotations

import io
import subprocess
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from app.dashboard.figures import figures
from app.dashboard.lists import prelist_rows, referral_rows
from app.dashboard.periods import Period
from app.extensions import db
from app.reports.contents import report_contents
from app.reports.office import region_facts, region_report_pdf
from app.reports.workbook import region_workbook
from tests.helpers.reports import FEBRUARY


def test_figures_match_the_known_data(in_known_region, known):
    figs = figures(in_known_region, FEBRUARY)
    t = figs.totals
    assert (t["received"], t["closed"], t["referrals"], t["informed"], t["prelist"]) == (5, 3, 4, 3, 3)
    assert t["referrals_by_level"] == {"village": 0, "district": 0, "regency": 1, "province": 2, "central": 1,
                                       "non_government": 0}
    assert t["outcomes"] == {"served": 1, "not_served": 1, "redirected": 0}
    assert t["prelist_by_stage"] == {"pending": 2, "approved": 1, "rejected": 0, "ministry_accepted": 0,
                                     "ministry_rejected": 0}
    assert t["multi_program_citizens"] == 1 and t["multi_served_citizens"] == 0
    assert t["open"] >= 2  # snapshot: the referral awaiting an answer and the approved field record
    channels = {row[0]: row[1] for row in figs.table("by_channel").rows}
    assert sorted(channels.values()) == [1, 4]
    levels = {row[0]: row[1:] for row in figs.table("referral_levels").rows}
    assert levels["Provinsi"] == [2, 0, 2, 1, 0, 1, 0] and levels["Pusat"] == [1, 1, 0, 0, 0, 0, 0]
    matrix = {row[0]: row[1:] for row in figs.table("referral_overlap_levels").rows}
    # columns: desa/kelurahan, kecamatan, kabupaten/kota, provinsi, pusat, non-pemerintah
    assert matrix["Kabupaten/Kota"][3] == 1 and matrix["Provinsi"][2] == 1
    prelist = {row[0]: row[1:] for row in figs.table("prelist").rows}
    assert prelist[known["d1"].name] == [2, 0, 0, 0, 0, 2] and prelist[known["d2"].name] == [0, 1, 0, 0, 0, 1]
    gaps = {(row[0], row[1]): row[2:6] for row in figs.table("gaps").rows}
    assert gaps[("Pendidikan", known["d2"].name)] == [1, 1, 0, 0]
    assert gaps[("Sosial", known["d1"].name)] == [1, 0, 1, 1]
    # Another month and one district filter down as they should.
    assert figures(in_known_region, Period.month(2025, 3)).totals["received"] == 0
    only_d2 = figures(in_known_region, FEBRUARY, known["d2"].code).totals
    assert (only_d2["received"], only_d2["prelist"], only_d2["referrals"]) == (2, 1, 2)
    assert (only_d2["households"], only_d2["households_receiving"]) == (5, 1)


def test_program_access_and_overlap_come_from_what_households_receive(in_known_region, known):
    """Parts b and c: the register's flags and approved participation, not the referrals (`_known_receipts`)."""
    figs = figures(in_known_region, FEBRUARY)
    t = figs.totals
    assert (t["households"], t["households_registered"]) == (9, 5)
    assert (t["households_receiving"], t["receiving_3plus"]) == (3, 1)
    assert t["receiving_by_level"] == {"national": 2, "provincial": 0, "regional": 1, "village": 0,
                                       "non_government": 0}
    assert t["recipients_by_program"] == {"PKH": 1, "BPNT": 2, "PBI_JK": 2, "UJI_DAERAH": 1}
    assert t["program_pairs"] == {("PKH", "BPNT"): 1, ("PKH", "PBI_JK"): 1, ("BPNT", "PBI_JK"): 2}
    by_level = {row[0]: row[1:] for row in figs.table("access_levels").rows}
    assert by_level["Pusat"] == [2, 2 / 9] and by_level["Program apa pun (minimal satu)"] == [3, 3 / 9]
    districts = {row[0]: row[1:5] for row in figs.table("access_districts").rows}
    assert districts[known["d1"].name] == [2, 2, 4, 0.5] and districts[known["d2"].name] == [1, 4, 5, 0.2]
    matrix = figs.table("overlap_matrix")
    names = matrix.columns[1:]
    cells = {(row[0], names[i]): n for row in matrix.rows for i, n in enumerate(row[1:])}
    assert cells[("BPNT", "PBI-JK")] == cells[("PBI-JK", "BPNT")] == 2 and cells[("BPNT", "BPNT")] == 2
    assert names == ["PKH", "BPNT", "PBI-JK", "UJI-DAERAH"]
    assert "BPNT = Program Sembako (BPNT)" in next(s for s in figs.sections if s.key == "overlap").intro
    assert figs.table("overlap_pairs").rows[0] == ["BPNT", "PBI-JK", 2]
    assert [row[1:] for row in figs.table("overlap_counts").rows] == [[6, 6 / 9], [1, 1 / 9], [1, 1 / 9], [1, 1 / 9]]
    assert figs.table("overlap_combos").rows == [["PKH + BPNT + PBI-JK", 3, 1], ["BPNT + PBI-JK", 2, 1]]
    sections = [s.key for s in figs.sections]
    assert sections[:6] == ["prelist", "access", "overlap", "gaps", "referrals", "casework"]


def _pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def test_pdf_carries_region_regulation_figures_and_lists(in_known_region, known):
    contents = report_contents(in_known_region, FEBRUARY)
    data = region_report_pdf(in_known_region, "monthly", contents, prelist_rows(FEBRUARY), referral_rows(FEBRUARY),
                             "Manajer Uji", "01-03-2025 09:00 WIB", date(2025, 3, 1))
    text = _pdf_text(data)
    flat = " ".join(text.split())
    assert "Laporan Kegiatan SLRT Februari 2025" in flat
    assert in_known_region.name in flat and in_known_region.regulation_title in flat
    assert in_known_region.service_name in flat
    for label, value in (("Pengaduan diterima", "5"), ("Selesai", "3"), ("Rujukan diajukan", "4"),
                         ("Warga diberi tahu hasilnya", "3"), ("Usulan daftar awal", "3")):
        assert f"{label} {value} " in flat + " ", label
    assert "VI. Pemutakhiran data (verifikasi dan validasi)" in flat
    assert "Usulan penambahan data penerima manfaat per kecamatan" in flat
    assert "d. Informasi dan analisis kesenjangan layanan sosial" in flat
    assert "b. Akses program pusat dan daerah" in flat and "Rujukan ke program" in flat
    assert "Rumah tangga penerima program menurut tingkat program" in flat and "Bantuan Daerah Uji" in flat
    assert "Rumah tangga penerima program 3 " in flat
    assert known["partners"]["province"] in flat
    assert "Lampiran 1. Daftar usulan penambahan data penerima manfaat" in flat
    assert "Jumlah: 3 baris." in flat and "Jumlah: 4 baris." in flat  # three proposals, four referrals
    assert "••••••" in flat  # NIKs are masked in the list


def test_excel_cells_match_the_known_data(in_known_region, known):
    contents = report_contents(in_known_region, FEBRUARY)
    facts = region_facts(in_known_region, "monthly", contents, "Manajer Uji", "01-03-2025 09:00 WIB")
    out = io.BytesIO()
    region_workbook(out, facts, contents, prelist_rows(FEBRUARY), referral_rows(FEBRUARY))
    wb = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Daerah"].startswith(in_known_region.name) and summary["Periode"] == "Februari 2025"
    assert summary["Pengaduan diterima"] == 5 and summary["Selesai"] == 3 and summary["Rujukan diajukan"] == 4
    programs = {row[0]: row[1:] for row in wb["Rujukan per tingkat"].iter_rows(min_row=4, values_only=True)
                if len(row) > 1}
    assert programs["Provinsi"] == (2, 0, 2, 1, 0, 1, 0)
    access = {row[0]: row[1:] for row in wb["Akses per tingkat"].iter_rows(min_row=4, values_only=True)
              if len(row) > 1}
    assert access["Pusat"] == (2, 22) and access["Kabupaten/Kota"] == (1, 11)  # households, whole percent
    assert summary["Rumah tangga penerima program"] == 3
    referrals = list(wb["Daftar rujukan"].iter_rows(min_row=3, values_only=True))
    assert len(referrals) == 4 and {r[4] for r in referrals} == set(known["partners"].values())
    proposals = list(wb["Daftar usulan"].iter_rows(min_row=3, values_only=True))
    assert len(proposals) == 3 and all("••••••" in r[2] for r in proposals)
    durations = {row[0]: row[1] for row in wb["Lama per tahap"].iter_rows(min_row=4, values_only=True)
                 if len(row) > 1 and row[1] is not None}
    assert durations
    assert all(isinstance(v, (int, float)) for v in durations.values()), durations
    assert 24 <= durations["Menunggu jawaban pengelola program"] <= 60  # 48 h and 30 h waits


def test_lists_are_read_in_chunks(in_known_region, known):
    chunks = list(referral_rows(FEBRUARY, chunk=1))
    assert [len(c) for c in chunks] == [1, 1, 1, 1]
    assert [r[0] for c in chunks for r in c] == sorted(r[0] for c in chunks for r in c)


def test_case_summary_uses_the_same_building_blocks(in_known_region, known):
    from sqlalchemy.orm import selectinload

    from app.casework.models import Case, Referral
    from app.reports.case_summary import case_summary_pdf

    case = db.session.scalar(select(Case).where(Case.service_area == "sosial").options(
        selectinload(Case.citizen), selectinload(Case.events), selectinload(Case.sop_version),
        selectinload(Case.referrals).selectinload(Referral.partner)))
    flat = " ".join(_pdf_text(case_summary_pdf(case, in_known_region)).split())
    assert f"Ringkasan Kasus {case.ticket}" in flat and in_known_region.regulation_title in flat
    assert case.citizen.nik not in flat and "••••••" in flat
    assert known["partners"]["province"] in flat and "Tidak dapat dilayani" in flat
    assert flat.count("Catatan.") >= 5  # each step's note on the timeline


def test_long_lists_are_laid_out_while_they_are_read(app):
    from app.reports import pdf
    from app.reports.activity import LazyStory, list_story, report_pdf

    pulled = []
    story = LazyStory(pulled.append(i) or i for i in range(1000))
    assert len(pulled) == LazyStory.AHEAD  # only a few flowables ahead of the layout
    del story[0]
    assert len(pulled) == LazyStory.AHEAD + 1 and story[0] == 1

    read = []

    def chunks():
        for n in range(6):
            read.append(n)
            yield [[f"0{n}-01-2025", f"PLG-{n}{i:05d}", "Nama Panjang Sekali", "Kelurahan"] for i in range(200)]

    with app.app_context():
        data = report_pdf(pdf.RegionHeader("L", "D", "P"), "Uji", [("a", "b")],
                          list_story("Daftar", ["A", "B", "C", "D"], chunks(), [20, 20, 40, 40]))
    assert read == list(range(6))
    flat = " ".join(_pdf_text(data).split())
    assert "Jumlah: 1.200 baris." in flat and "PLG-500199" in flat


def test_a_chart_with_many_rows_still_fits_a_page(app):
    from app.dashboard.queries import Figures, Section, Table
    from app.reports import pdf
    from app.reports.activity import figures_story, report_pdf

    table = Table("prelist", "Banyak kecamatan", ["Kecamatan", "A", "B", "C", "Jumlah"],
                  [[f"Kecamatan {i}", i, 1, 0, i + 1] for i in range(60)], chart_columns=(1, 2, 3))
    figs = Figures(period=FEBRUARY, district="", district_name="", headline=[("r", "Diterima", 1, "int")], sections=[
        Section("s", "Bagian", "", [table])])
    with app.app_context():
        flat = " ".join(_pdf_text(report_pdf(pdf.RegionHeader("L", "D", "P"), "Uji", [("a", "b")],
                                         figures_story(figs))).split())
    assert "baris terbesar; semuanya ada di tabel" in flat and "Kecamatan 59" in flat and "Kecamatan 0 " in flat
