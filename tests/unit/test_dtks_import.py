"""Parsing and importing the register extract (DTKS): every row checked, then replaced at once."""
import io

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.citizens.dtks_import import RegisterImportError, import_register, parse_register_csv
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import member, tenant
from tests.helpers.register import FIXTURES, HEADER, register_csv

CIANJUR = "32.03"


def fixture(name: str) -> io.BytesIO:
    return io.BytesIO((FIXTURES / name).read_bytes())


def count_entries() -> int:
    return db.session.scalar(select(func.count()).select_from(RegisterEntry))


@pytest.fixture()
def cianjur(app_ctx):
    with tenant_context(tenant("cianjur")) as region:
        yield region


def problems_of(stream) -> list[str]:
    with pytest.raises(RegisterImportError) as err:
        parse_register_csv(stream, CIANJUR)
    return err.value.problems


def test_parses_a_comma_file(cianjur):
    rows = parse_register_csv(fixture("register_comma.csv"), CIANJUR)
    assert [r["nik"] for r in rows] == ["3203014101700001", "3203010203700002", "3203025507700003"]
    assert rows[0] == {"nik": "3203014101700001", "kk_number": "3203019900000101", "name": "Siti Aminah",
                       "village_code": "32.03.01.1006", "address": "Jl. Melati No. 1, RT 01/02"}
    assert rows[2]["village_code"] is None and rows[2]["address"] == ""


def test_parses_a_semicolon_file_with_bom_and_capitalised_header(cianjur):
    rows = parse_register_csv(fixture("register_semicolon_bom.csv"), CIANJUR)
    assert len(rows) == 3
    assert rows[0]["nik"] == "3203014101710011"
    assert rows[0]["address"] == "Jl. Kenanga, No. 2"  # a comma inside a semicolon file is data


def test_parses_text_streams_and_skips_blank_lines(cianjur):
    text = io.StringIO("\ufeff" + HEADER + "3203014101700001,3203019900000101,Siti,,\n\n,,,,\n")
    assert [r["name"] for r in parse_register_csv(text, CIANJUR)] == ["Siti"]


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


def test_bad_kk_and_unknown_village_of_this_region(cianjur):
    data = HEADER + "3203014101700001,32030199,Siti,32.03.01.9999,\n"
    problems = problems_of(io.BytesIO(data.encode()))
    assert problems[0].startswith("baris 2: no_kk: Nomor KK harus 16 angka (tertulis 8 karakter")
    assert problems[1].startswith("baris 2: kode_wilayah: 32.03.01.9999 tidak ada dalam daftar")


def test_wrong_header_names_the_missing_columns(cianjur):
    problems = problems_of(fixture("register_bad_header.csv"))
    assert len(problems) == 1 and "nik, no_kk" in problems[0] and "nama" not in problems[0].split("Kolom")[0]


@pytest.mark.parametrize("content, expected", [
    (b"", "Berkas kosong"),
    (HEADER.encode(), "tidak berisi satu baris data"),
    ("nik,no_kk,nama\n3203014101700001,3203019900000101,Éva\n".encode("latin-1"), "bukan teks UTF-8"),
])
def test_empty_or_undecodable_files_are_refused(cianjur, content, expected):
    assert expected in problems_of(io.BytesIO(content))[0]


def test_problem_list_is_capped_at_fifty(cianjur):
    data = HEADER + "".join(f"12345,3203019900000101,Warga {i},,\n" for i in range(60))
    problems = problems_of(io.BytesIO(data.encode()))
    assert len(problems) == 51
    assert problems[-1] == "dan 10 masalah lain"


def test_import_replaces_the_extract_and_is_recorded(cianjur):
    user, _m = member("data_officer@cianjur.demo")
    import_register(parse_register_csv(fixture("register_comma.csv"), CIANJUR), "pertama.csv", user)
    assert count_entries() == 3
    batch = import_register(parse_register_csv(io.BytesIO(register_csv(10)), CIANJUR), "kedua.csv", user)
    db.session.flush()
    assert count_entries() == 10
    assert db.session.scalar(select(RegisterEntry).where(RegisterEntry.nik == "3203014101700001")) is None
    assert {e.import_id for e in db.session.scalars(select(RegisterEntry))} == {batch.id}
    assert (batch.row_count, batch.filename, batch.imported_by) == (10, "kedua.csv", user.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.import",
                                                       AuditEvent.object_id == str(batch.id)))
    assert event.detail == {"filename": "kedua.csv", "rows": 10, "replaced": 3}


def test_a_refused_file_imports_nothing(cianjur):
    user, _m = member("data_officer@cianjur.demo")
    import_register(parse_register_csv(fixture("register_comma.csv"), CIANJUR), "pertama.csv", user)
    before = count_entries()
    with pytest.raises(RegisterImportError):
        import_register(parse_register_csv(fixture("register_broken.csv"), CIANJUR), "rusak.csv", user)
    assert count_entries() == before == 3


def test_import_leaves_other_regions_alone(app_ctx):
    with tenant_context(tenant("palembang")):
        user, _m = member("manager@palembang.demo")
        batch = RegisterImport(filename="palembang.csv", row_count=1, imported_by=user.id)
        db.session.add(batch)
        db.session.flush()
        db.session.add(RegisterEntry(nik="1671010101800009", kk_number="1671010000000009", name="Warga Palembang",
                                     import_id=batch.id))
        db.session.flush()
    with tenant_context(tenant("cianjur")):
        user, _m = member("data_officer@cianjur.demo")
        import_register(parse_register_csv(io.BytesIO(register_csv(5)), CIANJUR), "cianjur.csv", user)
        assert count_entries() == 5
    with tenant_context(tenant("palembang")):
        assert db.session.scalar(select(RegisterEntry).where(RegisterEntry.nik == "1671010101800009"))


def test_import_needs_a_region(app_ctx):
    with pytest.raises(RuntimeError):
        import_register([], "x.csv", user=None)
