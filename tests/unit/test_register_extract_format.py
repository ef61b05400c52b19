"""The extract's column layout: Indonesian values mapped to the vocabulary's codes, each wrong value
named by its column, and digests that tell a changed household or member from the same one."""
from datetime import date, datetime

import pytest

from app.citizens.extract_format import (
    COLUMNS,
    LEGACY_COLUMNS,
    RowProblems,
    RowReader,
    normalise_header,
    parse_programs,
)
from app.citizens.vocabulary import Disability, Education, HousingCondition, Relationship

VILLAGE = "32.03.01.1006"
BASE = {"no_kk": "3203019900000101", "kode_wilayah": VILLAGE, "alamat": "Jl. Melati", "nik": "3203014101700001",
        "nama": "Siti Aminah"}


def read(header=COLUMNS, **values):
    reader = RowReader(list(header), "32.03", {VILLAGE}, {"32.03.01"})
    cells = [({**BASE, **values}).get(column, "") for column in header]
    problems = RowProblems()
    household, member = reader.read(cells, problems)
    return household, member, problems


@pytest.fixture(autouse=True)
def _context(app_ctx):
    yield


@pytest.mark.parametrize("value, code", [
    ("Kepala Keluarga", Relationship.HEAD), ("1", Relationship.HEAD), ("kepala rumah tangga", Relationship.HEAD),
    ("Istri", Relationship.SPOUSE), ("SUAMI", Relationship.SPOUSE), ("Istri/Suami", Relationship.SPOUSE),
    ("Anak", Relationship.CHILD), ("Menantu", Relationship.CHILD_IN_LAW), ("Cucu", Relationship.GRANDCHILD),
    ("Orang Tua/Mertua", Relationship.PARENT), ("Famili lain", Relationship.OTHER), ("8", Relationship.OTHER),
    ("child_in_law", Relationship.CHILD_IN_LAW), ("", ""),
])
def test_relationship_values(value, code):
    assert read(hubungan=value)[1]["relation_to_head"] == code


@pytest.mark.parametrize("column, value, field, code", [
    ("jenis_kelamin", "Laki-laki", "sex", "L"), ("jenis_kelamin", "PEREMPUAN", "sex", "P"),
    ("jenis_kelamin", "2", "sex", "P"),
    ("pendidikan", "Tidak/Belum Sekolah", "education", Education.NONE),
    ("pendidikan", "MTs", "education", Education.SMP),
    ("pendidikan", "SMK", "education", Education.SMA), ("pendidikan", "D-III", "education", Education.HIGHER),
    ("pendidikan", "S1", "education", Education.HIGHER), ("pendidikan", "Paket A", "education", Education.SD),
    ("disabilitas", "Tidak ada", "disability", Disability.NONE),
    ("disabilitas", "Tuna netra", "disability", Disability.SENSORY),
    ("disabilitas", "disabilitas fisik", "disability", Disability.PHYSICAL),
    ("disabilitas", "Ganda", "disability", Disability.MULTIPLE), ("disabilitas", "-", "disability", ""),
    ("hamil", "Ya", "pregnant", True), ("hamil", "tidak", "pregnant", False), ("hamil", "", "pregnant", False),
    ("tanggal_lahir", "17-08-1985", "birth_date", date(1985, 8, 17)),
    ("tanggal_lahir", "1985-08-17", "birth_date", date(1985, 8, 17)),
    ("tanggal_lahir", "17/08/1985", "birth_date", date(1985, 8, 17)),
    ("tanggal_lahir", datetime(1985, 8, 17), "birth_date", date(1985, 8, 17)),
    ("pekerjaan", "Buruh harian lepas", "occupation", "Buruh harian lepas"),
])
def test_member_values(column, value, field, code):
    _household, member, problems = read(**{column: value})
    assert not problems and member[field] == code


@pytest.mark.parametrize("column, value, field, code", [
    ("desil", "1", "decile", 1), ("desil", "Desil 4", "decile", 4), ("desil", 10.0, "decile", 10),
    ("desil", "", "decile", None),
    ("kondisi_rumah", "Tidak Layak Huni", "housing", HousingCondition.INADEQUATE),
    ("kondisi_rumah", "RTLH", "housing", HousingCondition.INADEQUATE),
    ("kondisi_rumah", "layak huni", "housing", HousingCondition.DECENT),
    ("kondisi_rumah", "Rusak berat", "housing", HousingCondition.SEVERELY_DAMAGED),
    ("program_keluarga", "PKH, BPNT/Sembako", "programs", "bpnt,pkh"),
    ("program_keluarga", "Kartu Sembako; RS-RTLH | BLT Dana Desa", "programs", "blt_dd,bpnt,rs_rtlh"),
    ("program_keluarga", "Bansos Provinsi", "programs", "bansos_provinsi"),
])
def test_household_values(column, value, field, code):
    household, _member, problems = read(**{column: value})
    assert not problems and household[field] == code


@pytest.mark.parametrize("column, value, message", [
    ("hubungan", "tetangga", "hubungan: nilai \u201ctetangga\u201d tidak dikenal"),
    ("jenis_kelamin", "X", "jenis_kelamin: nilai \u201cX\u201d tidak dikenal"),
    ("desil", "11", "desil: harus angka 1 sampai 10"),
    ("desil", "miskin", "desil: harus angka 1 sampai 10"),
    ("tanggal_lahir", "kemarin", "tanggal_lahir: tanggal tidak dikenali"),
    ("tanggal_lahir", "01-01-1890", "tanggal_lahir: tanggal 1890-01-01 tidak mungkin"),
    ("hamil", "mungkin", "hamil: tulis \u201cya\u201d atau \u201ctidak\u201d"),
    ("kondisi_rumah", "mewah", "kondisi_rumah: nilai \u201cmewah\u201d tidak dikenal"),
    ("pendidikan", "S9", "pendidikan: nilai \u201cS9\u201d tidak dikenal"),
    ("disabilitas", "sedikit", "disabilitas: nilai \u201csedikit\u201d tidak dikenal"),
    ("kode_wilayah", "32.75.01.1001", "kode_wilayah: 32.75.01.1001 bukan kelurahan/desa di daerah ini"),
    ("no_kk", "12345", "no_kk: Nomor KK harus 16 angka"),
])
def test_wrong_values_are_named_by_column(column, value, message):
    problems = read(**{column: value})[2]
    assert any(f"{c}: {m}".startswith(message) for c, m in problems), problems


def test_a_pregnant_man_is_refused():
    problems = read(jenis_kelamin="L", hamil="ya")[2]
    assert problems == [("hamil", "anggota laki-laki tidak dapat ditandai hamil")]


def test_the_old_five_columns_read_as_the_layout_without_the_rest():
    household, member, problems = read(header=LEGACY_COLUMNS)
    assert not problems
    assert (household["village_code"], household["decile"], household["programs"]) == (VILLAGE, None, "")
    assert (member["name"], member["relation_to_head"], member["birth_date"]) == ("Siti Aminah", "", None)


def test_headers_are_normalised():
    assert [normalise_header(h) for h in ("\ufeffNIK", " No KK ", "Kode-Wilayah", "PROGRAM_ANGGOTA")] == [
        "nik", "no_kk", "kode_wilayah", "program_anggota"]


def test_digests_change_with_the_data_and_only_with_it():
    household, member, _p = read(desil="2", pendidikan="SD")
    again_household, again_member, _p = read(desil="2", pendidikan="SD", program_keluarga="")
    assert (household["digest"], member["digest"]) == (again_household["digest"], again_member["digest"])
    moved_household, same_member, _p = read(desil="3", pendidikan="SD")
    assert moved_household["digest"] != household["digest"] and same_member["digest"] == member["digest"]
    assert read(desil="2", pendidikan="SMP")[1]["digest"] != member["digest"]
    assert len(household["digest"]) == 32


def test_programs_are_capped():
    problems = RowProblems()
    assert parse_programs(", ".join(f"program daerah nomor {n}" for n in range(20)), "program_keluarga",
                          problems) == ""
    assert problems and problems[0][0] == "program_keluarga"
