"""Staging an extract under a pending import, its preview against the current one, confirming,
discarding and removing old snapshots: in one region's transaction, rolled back afterwards."""
import io

import pytest
from sqlalchemy import func, select

from app.casework.intake import register_match, search_register
from app.citizens.dtks_import import RegisterImportError, stage_extract
from app.citizens.extract_history import (
    confirm_import,
    discard_import,
    history,
    pending_import,
    previous_import,
    purge_snapshots,
)
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.register import current_import_id, look_up_entries, register_summary
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import member, tenant
from tests.helpers.register import extract_csv, member_row

SLUG, REGION = "payakumbuh", "13.76"


@pytest.fixture()
def region(app_ctx):
    with tenant_context(tenant(SLUG)) as found:
        yield found


@pytest.fixture()
def officer(region):
    return member(f"manager@{SLUG}.demo")[0]


def village(index: int = 0) -> str:
    from tests.helpers.households import region_village

    return region_village(index).code


def nik(district: str, n: int, female: bool = False) -> str:
    return f"{district}{(41 if female else 1):02d}0185{n:04d}"


def family(kk: str, start: int, where: str, **household) -> list[dict]:
    """A head, a spouse and a school-age child in one household."""
    district = where.replace(".", "")[:6]
    return [member_row(kk, nik(district, start), "Kepala Uji", where, hubungan="Kepala keluarga",
                       jenis_kelamin="L", tanggal_lahir="01-01-1985", pendidikan="SD", **household),
            member_row(kk, nik(district, start + 1, True), "Istri Uji", where, hubungan="Istri",
                       jenis_kelamin="P", tanggal_lahir="1987-03-04", hamil="ya", **household),
            member_row(kk, nik(district, start + 2), "Anak Uji", where, hubungan="Anak", jenis_kelamin="L",
                       tanggal_lahir="05/06/2015", pendidikan="SD", program_anggota="PIP", **household)]


def stage(rows: list[dict], name: str = "uji.csv") -> RegisterImport:
    batch = RegisterImport(filename=name, row_count=0, imported_by=member(f"manager@{SLUG}.demo")[0].id,
                           status="pending")
    db.session.add(batch)
    db.session.flush()
    stage_extract(io.BytesIO(extract_csv(rows)), batch, REGION, lambda share: db.session.flush(), current_import_id())
    db.session.flush()
    return batch


def kk(where: str, n: int) -> str:
    return where.replace(".", "")[:6] + f"66{n:08d}"


def test_a_staged_import_is_pending_and_invisible_until_confirmed(region, officer):
    where = village()
    before = current_import_id()
    rows = family(kk(where, 1), 10, where, desil="2", kondisi_rumah="Tidak layak huni", program_keluarga="PKH, Sembako")
    batch = stage(rows)
    assert (batch.status, batch.row_count, batch.household_count) == ("pending", 3, 1)
    household = db.session.scalar(select(RegisterHousehold).where(RegisterHousehold.import_id == batch.id))
    assert (household.decile, household.housing, household.programs) == (2, "inadequate", "bpnt,pkh")
    members = {e.relation_to_head: e for e in db.session.scalars(
        select(RegisterEntry).where(RegisterEntry.import_id == batch.id))}
    assert members["spouse"].pregnant and members["spouse"].sex == "P"
    assert members["child"].programs == "pip" and members["child"].birth_date.isoformat() == "2015-06-05"
    assert members["head"].education == "sd" and members["head"].village_code == where
    assert current_import_id() == before and register_match(nik=members["head"].nik) is None
    assert pending_import().id == batch.id
    assert batch.summary["households"]["added"] == 1 and batch.summary["programs"] == {"bpnt": 1, "pkh": 1}
    assert batch.summary["member_programs"] == {"pip": 1} and batch.summary["deciles"] == {"2": 1}

    confirm_import(batch, officer)
    db.session.flush()
    assert current_import_id() == batch.id and register_match(nik=members["head"].nik).name == "Kepala Uji"
    assert [e.name for e, _v in look_up_entries(household.kk_number)] == ["Anak Uji", "Istri Uji", "Kepala Uji"]
    assert search_register(household.kk_number) and register_summary().households == 1
    if before:
        assert previous_import().id == before


def test_the_preview_counts_what_changed_against_the_current_import(region, officer):
    where, other = village(), village(1)
    first = stage(family(kk(where, 2), 20, where, desil="3", program_keluarga="BPNT")
                  + family(kk(where, 3), 30, where, desil="1")
                  + family(kk(where, 4), 40, where, desil="5"))
    confirm_import(first, officer)
    db.session.flush()
    moved = family(kk(where, 3), 30, where, desil="2", program_keluarga="PKH")  # less poor, gains PKH
    moved[2]["nama"] = "Anak Berganti Nama"
    second = stage(family(kk(where, 2), 20, where, desil="1")  # poorer, loses BPNT
                   + moved + family(kk(other, 5), 50, other, desil="4"))  # kk 4 gone, kk 5 added
    households, members = second.summary["households"], second.summary["members"]
    assert {k: households[k] for k in ("total", "added", "changed", "same", "gone")} == {
        "total": 3, "added": 1, "changed": 2, "same": 0, "gone": 1}
    assert {k: members[k] for k in ("total", "added", "changed", "same", "gone")} == {
        "total": 9, "added": 3, "changed": 1, "same": 5, "gone": 3}
    assert households["decile_moves"] == {"poorer": 1, "less_poor": 1, "gained": 0, "lost": 0}
    assert households["flags"] == {"bpnt": {"gained": 0, "lost": 1}, "pkh": {"gained": 1, "lost": 0}}
    assert second.summary["against"] == str(first.id)


def test_confirming_keeps_one_previous_and_purges_older_snapshots(region, officer):
    where = village()
    imports = []
    for n in range(3):
        batch = stage(family(kk(where, 10 + n), 100 + 10 * n, where), f"ke-{n}.csv")
        confirm_import(batch, officer)
        db.session.flush()
        imports.append(batch)
    assert [b.status for b in imports] == ["previous", "previous", "current"]
    assert previous_import().id == imports[1].id
    purge_snapshots(db.session.flush)

    def rows(batch):
        return db.session.scalar(select(func.count()).select_from(RegisterEntry)
                                 .where(RegisterEntry.import_id == batch.id))
    assert [rows(b) for b in imports] == [0, 3, 3]
    listed = [batch.filename for batch, _importer, _confirmer in history()]
    assert listed[:3] == ["ke-2.csv", "ke-1.csv", "ke-0.csv"]


def test_discarding_leaves_the_current_extract(region, officer):
    where = village()
    current = stage(family(kk(where, 20), 200, where))
    confirm_import(current, officer)
    db.session.flush()
    waiting = stage(family(kk(where, 21), 210, where))
    discard_import(waiting, officer)
    purge_snapshots(db.session.flush)
    assert (waiting.status, current_import_id()) == ("discarded", current.id)
    assert not db.session.scalar(select(func.count()).select_from(RegisterEntry)
                                 .where(RegisterEntry.import_id == waiting.id))
    with pytest.raises(Exception, match="tidak lagi menunggu"):
        confirm_import(waiting, officer)


def test_a_refused_file_names_row_and_reason(region):
    where = village()
    rows = family(kk(where, 30), 300, where, desil="2")
    rows[1]["desil"] = "3"  # the household columns of one KK must agree
    rows[2]["hamil"] = "ya"  # a boy cannot be pregnant
    rows.append(dict(rows[0], nama="Kembar"))  # the same NIK twice
    with pytest.raises(RegisterImportError) as refused:
        stage(rows)
    assert refused.value.problems == [
        "baris 3: no_kk: data keluarga (desil) berbeda dengan baris 2 untuk Nomor KK yang sama",
        "baris 4: hamil: anggota laki-laki tidak dapat ditandai hamil",
        "baris 5: nik: NIK yang sama sudah ada di baris 2",
    ]
