"""Reading register extract files: CSV (comma or semicolon, UTF-8 or Windows-1252, with or without BOM)
and Excel; every row checked, every problem named by row and reason, and nothing written for a refused file."""
import io
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.citizens.dtks_import import RegisterImportError, check_upload, stage_extract
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import member, tenant
from tests.helpers.register import FIXTURES, HEADER, extract_csv, extract_xlsx, member_row, register_csv

CIANJUR = "32.03"
VILLAGE = "32.03.01.1006"


def fixture(name: str) -> io.BytesIO:
    return io.BytesIO((FIXTURES / name).read_bytes())


@pytest.fixture()
def cianjur(app_ctx):
    with tenant_context(tenant("cianjur")) as region:
        yield region


def problems_of(content: bytes | io.BytesIO) -> list[str]:
    stream = content if isinstance(content, io.BytesIO) else io.BytesIO(content)
    with pytest.raises(RegisterImportError) as err:
        check_upload(stream, CIANJUR)
    return err.value.problems


def staged(content: bytes) -> dict[str, RegisterEntry]:
    """Stage `content` under a new pending import (rolled back with the test); its members by NIK."""
    user, _m = member("data_officer@cianjur.demo")
    batch = RegisterImport(filename="uji.csv", row_count=0, imported_by=user.id, status="pending")
    db.session.add(batch)
    db.session.flush()
    stage_extract(io.BytesIO(content), batch, CIANJUR, lambda share: None, None)
    db.session.flush()
    return {e.nik: e for e in db.session.scalars(select(RegisterEntry).where(RegisterEntry.import_id == batch.id))}


def test_old_comma_file_is_staged_with_households(cianjur):
    entries = staged((FIXTURES / "register_comma.csv").read_bytes())
    assert sorted(entries) == ["3203010203700002", "3203014101700001", "3203025507700003"]
    siti = entries["3203014101700001"]
    assert (siti.kk_number, siti.name, siti.village_code, siti.address) == (
        "3203019900000101", "Siti Aminah", VILLAGE, "Jl. Melati No. 1, RT 01/02")
    assert entries["3203025507700003"].village_code is None and entries["3203025507700003"].address == ""
    households = db.session.scalar(select(func.count()).select_from(RegisterHousehold)
                                   .where(RegisterHousehold.import_id == siti.import_id))
    assert households == 2


def test_semicolon_file_with_bom_and_capitalised_header(cianjur):
    entries = staged((FIXTURES / "register_semicolon_bom.csv").read_bytes())
    assert entries["3203014101710011"].address == "Jl. Kenanga, No. 2"  # a comma inside a semicolon file is data


def test_windows_1252_file_is_read(cianjur):
    rows = [member_row("3203019900000301", "3203014101700301", "Éva Señorita", VILLAGE, alamat="Jl. Café")]
    content = extract_csv(rows, delimiter=";", encoding="cp1252")
    assert content.count(b"\xc9") == 1  # É in Windows-1252, not UTF-8
    entry = staged(content)["3203014101700301"]
    assert (entry.name, entry.address) == ("Éva Señorita", "Jl. Café")


def test_utf8_with_bom_in_the_full_layout(cianjur):
    rows = [member_row("3203019900000302", "3203014101700302", "Nurul Ҫ", VILLAGE, hubungan="Kepala keluarga",
                       jenis_kelamin="P", tanggal_lahir="01-01-1970", program_anggota="PBI-JK")]
    entry = staged(extract_csv(rows, bom=True))["3203014101700302"]
    assert (entry.name, entry.relation_to_head, entry.programs) == ("Nurul Ҫ", "head", "pbi_jk")


def test_excel_file_with_typed_cells(cianjur):
    rows = [member_row(3203019900000303, 3203014101700303, "Dewi Excel", VILLAGE, desil=2,
                       tanggal_lahir=datetime(1970, 1, 1), jenis_kelamin="P", program_keluarga="PKH")]
    content = extract_xlsx(rows)
    assert check_upload(io.BytesIO(content), CIANJUR) is True
    entry = staged(content)["3203014101700303"]
    assert (entry.kk_number, entry.birth_date, entry.sex) == ("3203019900000303", date(1970, 1, 1), "P")
    household = db.session.scalar(select(RegisterHousehold).where(RegisterHousehold.import_id == entry.import_id))
    assert (household.decile, household.programs) == (2, "pkh")


def test_a_quoted_address_may_span_lines(cianjur):
    content = (HEADER + '3203014101700304,3203019900000304,Siti,32.03.01.1006,"Jl. Melati\nRT 01"\n').encode()
    assert staged(content)["3203014101700304"].address == "Jl. Melati\nRT 01"


def test_broken_rows_are_each_named_with_row_and_reason(cianjur):
    problems = problems_of(fixture("register_broken.csv"))
    text = "\n".join(problems)
    assert "baris 3: nik: NIK harus 16 angka (tertulis 15 karakter" in text
    assert "baris 4: nik: 6 angka pertama NIK (999999) bukan kode kecamatan" in text
    assert "baris 5: kode_wilayah: 32.75.01.1001 bukan kelurahan/desa di daerah ini" in text
    assert "baris 6: nama: wajib diisi" in text
    assert "baris 7: nik: NIK yang sama sudah ada di baris 2" in text
    assert not any(p.startswith("baris 2:") for p in problems)
    assert len(problems) == 5


def test_wrong_header_names_the_missing_columns(cianjur):
    problems = problems_of(fixture("register_bad_header.csv"))
    assert len(problems) == 1 and "nik, no_kk" in problems[0] and "nama" not in problems[0].split("Kolom")[0]


@pytest.mark.parametrize("content, expected", [
    (b"", "Berkas kosong"),
    (HEADER.encode(), "tidak berisi satu baris data"),
    ("nik,no_kk,nama\n".encode("utf-16"), "UTF-16"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 60, ".xls"),
    (b"PK\x03\x04 bukan zip", "Berkas Excel tidak dapat dibuka"),
    (b"nik,no_kk,nama\n3203014101700001,3203019900000101,\x81\x8d\n", "baris 2: teks bukan UTF-8 atau Windows-1252"),
])
def test_empty_or_unreadable_files_are_refused(cianjur, content, expected):
    assert expected in problems_of(content)[0]


def test_problem_list_is_capped_at_fifty(cianjur):
    data = HEADER + "".join(f"12345,3203019900000101,Warga {i},,\n" for i in range(60))
    problems = problems_of(data.encode())
    assert len(problems) == 51 and problems[-1] == "dan 10 masalah lain"


def test_the_upload_check_reads_only_the_first_rows(cianjur):
    content = register_csv(30) + b"123,3203018800000099,Rusak,,\n"
    assert check_upload(io.BytesIO(content), CIANJUR, limit=10) is False  # looked at 10 rows: fine so far
    assert "baris 32: nik" in problems_of(content)[0]  # the whole file: refused at its last row
    with pytest.raises(RegisterImportError):
        staged(content)


def test_a_refused_file_writes_no_last_chunk(cianjur):
    before = db.session.scalar(select(func.count()).select_from(RegisterEntry))
    with pytest.raises(RegisterImportError):
        staged((FIXTURES / "register_broken.csv").read_bytes())
    assert db.session.scalar(select(func.count()).select_from(RegisterEntry)) == before


def test_staging_needs_a_region(app_ctx):
    with pytest.raises(RuntimeError):
        stage_extract(io.BytesIO(register_csv(1)), RegisterImport(), CIANJUR, lambda share: None, None)
