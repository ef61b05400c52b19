"""The demo extract `make run` seeds: realistic households in each region's villages, written once as the
region's current import through the real stager, and rows in the documented layout."""
import io
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from app.citizens.demo_extract import demo_rows, region_villages, seed_demo_extract
from app.citizens.dtks_import import check_upload
from app.citizens.extract_format import COLUMNS
from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import tenant
from tests.helpers.register import extract_csv

SLUG = "palembang"  # no test here confirms an import in this region, so its demo rows stay


@pytest.fixture()
def region(app_ctx):
    with tenant_context(tenant(SLUG)) as found:
        yield found


def demo_import() -> RegisterImport:
    return db.session.scalar(select(RegisterImport).where(RegisterImport.filename == "contoh-data-terpadu-demo.csv"))


def demo_rows_only(model) -> tuple:
    """The demo's own rows: its KK numbers carry "70" after the district code (tests that add households
    to the current import use other numbers, see tests/helpers/households.py)."""
    return (func.substr(model.kk_number, 7, 2) == "70",)


def age(born: date) -> int:
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_the_seeded_region_has_a_demo_extract_of_about_300_households(region):
    """Every region is seeded alike (`app.cli.seed_all`); other regions' demo imports are replaced by
    tests that confirm imports there, so the one region no test imports into is checked."""
    batch = demo_import()
    assert batch is not None and batch.confirmed_at is not None and batch.summary["households"]["added"] == 300
    demo = db.session.scalar(select(func.count()).select_from(RegisterHousehold).where(
        RegisterHousehold.import_id == batch.id, *demo_rows_only(RegisterHousehold)))
    members = db.session.scalar(select(func.count()).select_from(RegisterEntry).where(
        RegisterEntry.import_id == batch.id, *demo_rows_only(RegisterEntry)))
    assert demo == 300 and members > 900


def test_the_demo_households_are_realistic(region):
    batch = demo_import()
    members = db.session.scalars(select(RegisterEntry).where(RegisterEntry.import_id == batch.id,
                                                             *demo_rows_only(RegisterEntry))).all()
    households = db.session.scalars(select(RegisterHousehold).where(RegisterHousehold.import_id == batch.id,
                                                                   *demo_rows_only(RegisterHousehold))).all()
    ages = [age(m.birth_date) for m in members]
    assert sum(6 <= a <= 18 for a in ages) > 100  # school-age children
    heads = [m for m in members if m.relation_to_head == "head"]
    assert len(heads) == 300 and sum(age(h.birth_date) >= 60 for h in heads) > 20  # elderly heads
    assert 0 < sum(m.disability not in ("none", "") for m in members) < len(members) // 10
    assert sum(m.pregnant for m in members) > 0 and all(m.sex == "P" for m in members if m.pregnant)
    flags = Counter(code for h in households for code in h.programs.split(",") if code)
    member_flags = Counter(code for m in members for code in m.programs.split(",") if code)
    assert flags["pkh"] and flags["bpnt"] and member_flags["pbi_jk"] and member_flags["pip"]
    assert set(Counter(h.decile for h in households)) >= {1, 2, 3, 4, 5}
    villages = set(region_villages())
    assert {h.village_code for h in households} <= villages
    assert sum(h.village_code == region_villages()[0] for h in households) >= 30  # the facilitator's village
    assert len({m.nik for m in members}) == len(members)


def test_seeding_again_changes_nothing(region):
    before = db.session.scalar(select(func.count()).select_from(RegisterImport))
    assert seed_demo_extract(households=300) is None
    assert db.session.scalar(select(func.count()).select_from(RegisterImport)) == before


def test_demo_rows_are_a_valid_file_in_the_documented_layout(region):
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in demo_rows(region_villages(), 25, seed=3)]
    assert check_upload(io.BytesIO(extract_csv(rows)), region.region_code, whole=True) is True
    assert rows[0]["hubungan"] == "Kepala keluarga" and rows[0]["tanggal_lahir"].count("-") == 2
