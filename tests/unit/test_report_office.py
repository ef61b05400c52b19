"""The report as a Dinas Sosial files it: each breakdown against hand-made data, the PDF's text
(letterhead, chapters, signature block with NIP), the workbook (sheets, real dates, column widths,
formula safety), and the signer chosen by the region.

The data set is `tests.helpers.report_office` (April 2025 in a fresh region of its own).
"""
from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from app.accounts.models import Membership, User
from app.dashboard.lists import prelist_rows, referral_rows
from app.dashboard.queries import Labels, Reader
from app.extensions import db
from app.reports.contents import chapters, report_contents
from app.reports.models import ReportSettings
from app.reports.office import region_facts, region_report_pdf
from app.reports.people import AGE_GROUPS, PeopleServed, age_group, age_on, group_note, people_served, people_tables
from app.reports.recorded import area_district_table, data_updates_table, needs_table, participation_table
from app.reports.settings import clean_nip, signer_of, update_signer
from app.reports.workbook import region_workbook
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.verval.models import DataUpdate
from tests.helpers.report_office import APRIL, office_region

NIP = "197001012000031001"


@pytest.fixture()
def office(app):
    data = office_region(app)
    with app.app_context():
        tenant = db.session.get(Tenant, data["tenant_id"])
        with tenant_context(tenant):
            db.session.execute(delete(ReportSettings))  # no signer chosen yet (rolled back afterwards)
            yield tenant, data
            db.session.rollback()


def _rows(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def _pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


# --- ages ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("birth", "day", "age", "group"), [
    (date(2015, 4, 11), date(2025, 4, 10), 9, "child"),       # the day before the birthday
    (date(2015, 4, 10), date(2025, 4, 10), 10, "child"),      # on the birthday
    (date(2020, 1, 1), date(2025, 12, 31), 5, "toddler"),
    (date(2019, 12, 31), date(2025, 12, 31), 6, "child"),
    (date(2007, 6, 1), date(2025, 6, 1), 18, "adult"),
    (date(1965, 6, 2), date(2025, 6, 1), 59, "adult"),
    (date(1965, 6, 1), date(2025, 6, 1), 60, "elderly"),
    (None, date(2025, 6, 1), None, ""),
    (date(2026, 1, 1), date(2025, 6, 1), None, ""),          # born after the day: not an age
])
def test_age_and_age_group(birth, day, age, group):
    assert age_on(birth, day) == age and age_group(age) == group


def test_age_groups_cover_every_age_once():
    for age in range(0, 120):
        assert sum(1 for _k, first, last, _l in AGE_GROUPS if age >= first and (last is None or age <= last)) == 1


# --- the breakdowns against the hand-made data ---------------------------------------------------------------

def test_people_served_are_counted_once_by_sex_age_and_disability(office):
    people = people_served(APRIL)
    assert people.total == 3  # Ani's two complaints count her once; Budi's May complaint is outside
    assert people.counts == {("P", "adult", "physical"): 1, ("L", "elderly", ""): 1, ("P", "child", "none"): 1}
    sex, age, disability = people_tables(people)
    assert _rows(sex) == {"Laki-laki": [1, 1 / 3], "Perempuan": [2, 2 / 3], "Jumlah": [3, 1.0]}
    assert _rows(age) == {"0–5 tahun (balita)": [0, 0, 0], "6–17 tahun (anak)": [0, 1, 1],
                          "18–59 tahun (dewasa)": [0, 1, 1], "60 tahun ke atas (lanjut usia)": [1, 0, 1],
                          "Jumlah": [1, 2, 3]}
    rows = _rows(disability)
    assert rows["Disabilitas fisik"] == [0, 1, 1] and rows["Tidak ada"] == [0, 1, 1]
    assert rows["Tidak tercatat (di luar data terpadu)"] == [1, 0, 1] and rows["Jumlah"] == [1, 2, 3]
    assert age.columns == ["Kelompok umur", "Laki-laki", "Perempuan", "Jumlah"]


def test_people_served_in_one_district(office):
    _tenant, data = office
    assert people_served(APRIL, data["d1"]).counts == {("P", "adult", "physical"): 1}
    assert people_served(APRIL, data["d2"]).total == 2


def test_group_complaints_are_a_line_of_their_own():
    people = PeopleServed(groups=2, group_members=35)
    assert "2 pengaduan kelompok dengan 35 anggota" in group_note(people)
    assert group_note(PeopleServed()) == ""


def test_complaints_by_district_and_service_area(office):
    tenant, data = office
    table = area_district_table(Reader(APRIL), Labels(tenant))
    assert table.columns[0] == "Kecamatan" and table.columns[-1] == "Jumlah"
    areas = table.columns[1:-1]
    rows = {row[0]: dict(zip(areas, row[1:-1], strict=True)) | {"Jumlah": row[-1]} for row in table.rows}
    one, two = data["names"][data["d1"]], data["names"][data["d2"]]
    assert rows[one]["Kesehatan"] == 1 and rows[one]["Sosial"] == 1 and rows[one]["Jumlah"] == 2
    assert rows[two]["Kesehatan"] == 1 and rows[two]["Pendidikan"] == 1 and rows[two]["Jumlah"] == 2
    assert rows["Jumlah"]["Kesehatan"] == 2 and rows["Jumlah"]["Jumlah"] == 4


def test_participation_and_needs_recorded_by_review_status(office):
    participation = _rows(participation_table(Reader(APRIL)))
    assert participation["Program Keluarga Harapan (PKH)"] == [2, 1, 1, 0]  # recorded, pending, approved, rejected
    assert participation["Jumlah"] == [3, 1, 1, 1]
    assert next(iter(participation)) == "Program Keluarga Harapan (PKH)"  # most recorded first
    needs = _rows(needs_table(Reader(APRIL)))
    assert needs["Program Keluarga Harapan (PKH)"] == [1, 1, 0, 0]
    assert needs["Bidang Kesehatan"] == [1, 0, 1, 0] and needs["Jumlah"] == [2, 1, 1, 0]


def test_data_updates_proposed_and_where_they_stand(office):
    proposals_at_intake = db.session.scalar(  # a citizen outside the register is proposed when the case opens
        select(db.func.count()).select_from(DataUpdate).where(DataUpdate.kind == "new_household",
                                                               DataUpdate.status == "pending"))
    table = data_updates_table(Reader(APRIL))
    assert table.columns[1:] == ["Diusulkan", "Dalam penelaahan", "Disetujui", "Ditolak", "Diterima Kemensos",
                                 "Ditolak Kemensos"]
    rows = _rows(table)
    assert rows["Usulan rumah tangga baru"] == [proposals_at_intake, proposals_at_intake, 0, 0, 0, 0]
    assert rows["Perubahan data anggota"] == [1, 0, 0, 0, 1, 0]
    assert rows["Anggota meninggal"] == [1, 0, 0, 1, 0, 0]
    assert rows["Jumlah"][0] == proposals_at_intake + 2


def test_chapters_follow_the_offices_order(office):
    tenant, _data = office
    titles = [c.title for c in chapters(report_contents(tenant, APRIL))]
    assert titles[:6] == ["II. Warga yang dilayani", "III. Pengaduan menurut kecamatan dan bidang layanan",
                          "IV. Rujukan dan hasilnya menurut tingkat lembaga",
                          "V. Kepesertaan dan kebutuhan program yang dicatat",
                          "VI. Pemutakhiran data (verifikasi dan validasi)", "VII. Kinerja layanan"]
    keys = [t.key for c in chapters(report_contents(tenant, APRIL)) for t in c.tables]
    assert len(keys) == len(set(keys))  # no table twice
    assert keys[:3] == ["people_sex", "people_age", "people_disability"]


# --- the signer ------------------------------------------------------------------------------------------------

def test_nip_is_eighteen_digits():
    from app.errors import Invalid

    assert clean_nip(" 19700101 200003 1 001 ") == NIP and clean_nip("") == ""
    for wrong in ("1970010120000310", "19700101200003100A", "1970-0101-2000-0310-01"):
        with pytest.raises(Invalid):
            clean_nip(wrong)


def test_signer_is_an_official_typed_in_or_a_staff_member(office):
    tenant, _data = office
    assert not signer_of(tenant).chosen and signer_of(tenant).place == tenant.name
    manager = db.session.scalar(select(User).where(User.email == f"manager@{tenant.slug}.demo"))
    update_signer(manager, None, "Drs. Kepala Dinas", "Kepala Dinas Sosial Kota Uji", NIP, "Uji")
    signer = signer_of(tenant)
    assert (signer.name, signer.title, signer.nip, signer.place) == (
        "Drs. Kepala Dinas", "Kepala Dinas Sosial Kota Uji", NIP, "Uji")
    member = db.session.scalar(select(Membership).where(Membership.user_id == manager.id))
    member.nip = "198001012005011002"
    update_signer(manager, member.id, "", "", "", "")
    signer = signer_of(tenant)
    assert (signer.name, signer.title, signer.nip) == (manager.name, member.position.title, "198001012005011002")


# --- the files -----------------------------------------------------------------------------------------------

def _contents_with_signer(tenant):
    manager = db.session.scalar(select(User).where(User.email == f"manager@{tenant.slug}.demo"))
    update_signer(manager, None, "Drs. Budi Santoso, M.Si.", "Kepala Dinas Sosial Kota Uji Kantor", NIP, "Uji Kantor")
    return report_contents(tenant, APRIL)


def test_pdf_follows_the_structure_and_closes_with_the_signature(office):
    tenant, _data = office
    contents = _contents_with_signer(tenant)
    data = region_report_pdf(tenant, "monthly", contents, prelist_rows(APRIL), referral_rows(APRIL), "Manajer Uji",
                             "01-05-2025 09:00 WIB", date(2025, 5, 1))
    flat = _pdf_text(data)
    assert flat.startswith("PEMERINTAH KOTA UJI KANTOR DINAS SOSIAL KOTA UJI KANTOR")  # the letterhead opens page 1
    assert "Laporan Kegiatan SLRT April 2025" in flat
    order = ["I. Ringkasan", "II. Warga yang dilayani", "Warga yang dilayani menurut jenis kelamin",
             "menurut kelompok umur dan jenis kelamin", "menurut disabilitas dan jenis kelamin",
             "III. Pengaduan menurut kecamatan", "IV. Rujukan dan hasilnya", "V. Kepesertaan dan kebutuhan",
             "VI. Pemutakhiran data", "VII. Kinerja layanan", "Uji Kantor, 1 Mei 2025",
             "Kepala Dinas Sosial Kota Uji Kantor,", "Drs. Budi Santoso, M.Si.", f"NIP. {NIP}",
             "Lampiran 1. Daftar usulan", "Lampiran 2. Daftar rujukan"]
    positions = [flat.find(text) for text in order]
    assert -1 not in positions, [t for t, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "Warga yang dilayani 3 " in flat and "Disabilitas fisik 0 1 1" in flat
    assert "60 tahun ke atas (lanjut usia) 1 0 1" in flat
    assert "Halaman 2" in flat and f"Laporan Kegiatan SLRT April 2025 {tenant.service_name}" in flat  # running header


def test_pdf_without_a_signer_leaves_dotted_lines(office):
    tenant, _data = office
    contents = report_contents(tenant, APRIL)
    flat = _pdf_text(region_report_pdf(tenant, "yearly", contents, iter(()), iter(()), "x", "x", date(2025, 5, 1)))
    assert "NIP. ........................" in flat and "Laporan Evaluasi Penyelenggaraan SLRT April 2025" in flat


def test_pdf_prints_the_letterhead_logo(office):
    from PIL import Image

    tenant, _data = office
    contents = report_contents(tenant, APRIL)
    logo = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(logo, "PNG")
    contents.letterhead = type(contents.letterhead)(**{**contents.letterhead.__dict__, "logo_png": logo.getvalue()})
    without = report_contents(tenant, APRIL)
    sizes = [len(region_report_pdf(tenant, "monthly", c, iter(()), iter(()), "x", "x", date(2025, 5, 1)))
             for c in (contents, without)]
    assert sizes[0] > sizes[1]  # the image is embedded


def test_workbook_sheets_dates_widths_and_signer(office):
    tenant, _data = office
    contents = _contents_with_signer(tenant)
    facts = region_facts(tenant, "monthly", contents, "=HYPERLINK(\"http://x.invalid\",\"klik\")", "x")
    out = io.BytesIO()
    region_workbook(out, facts, contents, prelist_rows(APRIL), referral_rows(APRIL))
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames[:4] == ["Ringkasan", "Warga per jenis kelamin", "Warga per kelompok umur",
                                 "Warga per disabilitas"]
    summary = wb["Ringkasan"]
    values = {row[0].value: row[1] for row in summary.iter_rows() if row[0].value}
    assert values["Tanggal awal periode"].value.date() == date(2025, 4, 1)
    assert values["Tanggal awal periode"].number_format == "DD-MM-YYYY"
    assert values["Penanda tangan"].value == "Drs. Budi Santoso, M.Si." and values["NIP"].value == NIP
    assert values["Diminta oleh"].value.startswith("'=HYPERLINK")  # formula-safe
    assert values["Warga yang dilayani"].value == 3
    assert summary.column_dimensions["A"].width >= len("Tanggal akhir periode")
    ages = {row[0]: row[1:] for row in wb["Warga per kelompok umur"].iter_rows(min_row=4, values_only=True)}
    assert ages["Jumlah"] == (1, 2, 3)
    proposals = wb["Daftar usulan"]
    first = proposals.cell(row=3, column=1)
    assert first.is_date and first.number_format == "DD-MM-YYYY" and first.value.month == 4
    assert proposals.column_dimensions["A"].width >= 10
    assert all(cell.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for cell in row)
