"""Program access and overlap come from what households receive: the current register extract's
flags and approved participation that has not ended — never from referrals.

Three ways of counting must agree: the rollups the listeners kept while records changed
(flushes and the reviewers' bulk decisions), a rebuild from the raw tables, and what the
test data says. No new route: the figures are on the dashboard (tests in test_dashboard_pages).
"""
from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.models import Membership
from app.citizens.models import Citizen
from app.dashboard.program_access import Receipts
from app.dashboard.program_rollups import compute_households, read_rollups, rebuild_program_rollups
from app.extensions import db
from app.org.models import Position
from app.programs.models import Participation, Program
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.helpers.households import Member, add_household, region_village, unique_kk, unique_nik
from tests.helpers.reports import sample_region_id

CHAIN = [{"action": "decide", "roles": ["manager"], "legal_basis": "Uji"}]


@pytest.fixture()
def program_region(app):
    """A fresh region of our own (from the Palembang template); every test's writes are rolled back."""
    tid = sample_region_id(app, "uji-program")
    with app.app_context():
        tenant = db.session.get(Tenant, tid)
        with tenant_context(tenant):
            yield tenant
            db.session.rollback()


def village_in_district(index: int):
    """The first village of the region's `index`-th district (by code)."""
    from app.reference.models import District, Village
    from app.tenancy.context import tenant_in_context

    district = db.session.scalars(select(District.code).where(District.regency_code == tenant_in_context().region_code)
                                  .order_by(District.code).offset(index).limit(1)).one()
    return db.session.scalars(select(Village).where(Village.district_code == district).order_by(Village.code)).first()


def member_with(role: str) -> Membership:
    return db.session.scalars(select(Membership).join(Position, Position.id == Membership.position_id)
                              .where(Position.role == role, Membership.active.is_(True))).first()


def program_id(code: str):
    return db.session.scalar(select(Program.id).where(Program.code == code))


def participate(kk: str, code: str, village, status: str = "approved", ended: date | None = None,
                creator=None) -> Participation:
    record = Participation(program_id=program_id(code), source="field_visit", kk_number=kk,
                           district_code=village.district_code, village_code=village.code, status=status,
                           chain=list(CHAIN), stage=0 if status == "pending" else 1, ended_at=ended,
                           created_by=creator or member_with("facilitator").user_id)
    db.session.add(record)
    db.session.flush()
    return record


def live_equals_rebuilt(tenant_id) -> bool:
    live = read_rollups(db.session, tenant_id)
    rebuild_program_rollups(tenant_id)
    return live == read_rollups(db.session, tenant_id)


def test_households_receive_from_register_flags_and_approved_participation(program_region):
    village = region_village(0)
    add_household([Member("Kepala 1", programs=["pbi_jk"]), Member("Anak 1", "child")], village=village,
                  programs=["pkh", "bpnt"])
    add_household([Member("Kepala 2"), Member("Anak 2", "child", programs=["PIP "])], village=village)
    add_household([Member("Kepala 3")], village=village, programs=["bukan_program"])  # a flag no program has
    ended = add_household([Member("Kepala 6")], village=village)
    outside, pending_only = unique_kk(village.code), unique_kk(village.code)
    participate(outside, "PKH", village)
    participate(pending_only, "PKH", village, status="pending")
    participate(ended.kk_number, "BPNT", village, ended=date(2025, 1, 1))
    rebuild_program_rollups(program_region.id)

    totals = Receipts.read().totals()
    assert totals["households"] == 5 and totals["households_registered"] == 4  # the pending-only KK is unknown
    assert totals["households_receiving"] == 3 and totals["receiving_3plus"] == 1
    assert totals["recipients_by_program"] == {"PKH": 2, "BPNT": 1, "PBI_JK": 1, "PIP": 1}
    assert totals["program_pairs"] == {("PKH", "BPNT"): 1, ("PKH", "PBI_JK"): 1, ("BPNT", "PBI_JK"): 1}
    assert totals["receiving_by_level"]["national"] == 3 and totals["receiving_by_level"]["regional"] == 0
    receipts = Receipts.read()
    pkh = next(p for p in receipts.by_program if p.code == "PKH")
    assert (receipts.from_register[pkh], receipts.from_participation[pkh]) == (1, 1)
    assert Receipts.read("99.99").total == 0


def test_live_rollups_follow_participation_review_and_citizens(program_region):
    from app.reviews.operations import decide

    village, other = village_in_district(0), village_in_district(1)
    household = add_household([Member("Kepala")], village=village, programs=["bpnt"])
    rebuild_program_rollups(program_region.id)
    facilitator = member_with("facilitator")
    pending = participate(household.kk_number, "PKH", village, status="pending", creator=facilitator.user_id)
    assert Receipts.read().totals()["program_pairs"] == {}
    decide(pending, "participation", "approve", "", member_with("manager"))  # a bulk UPDATE, not a flush
    assert pending.status == "approved"
    assert Receipts.read().totals()["program_pairs"] == {("PKH", "BPNT"): 1}
    assert live_equals_rebuilt(program_region.id)

    pending.ended_at = date(2025, 6, 1)  # the household no longer receives PKH
    db.session.flush()
    assert Receipts.read().totals()["recipients_by_program"] == {"BPNT": 1}
    newcomer = unique_kk(other.code)
    db.session.add(Citizen(nik=unique_nik(other.code), kk_number=newcomer, name="Warga Baru",
                           birth_date=date(1980, 1, 1), sex="L", address="Jl. Uji", village_code=other.code))
    db.session.flush()
    assert Receipts.read(other.district_code).total == 1  # known through the complaint, receiving nothing
    regional = Program(code="UJI_KOTA", name="Bantuan Kota Uji", level="regional", sort_order=100)
    db.session.add(regional)
    db.session.flush()
    record = participate(newcomer, "UJI_KOTA", other)
    assert Receipts.read().totals()["receiving_by_level"]["regional"] == 1
    citizen = db.session.scalar(select(Citizen).where(Citizen.kk_number == newcomer))
    citizen.kk_number = household.kk_number  # a correction: the citizen belongs to the registered household
    record.kk_number = household.kk_number
    db.session.flush()
    assert Receipts.read(other.district_code).total == 0
    assert Receipts.read().totals()["program_pairs"] == {("BPNT", "UJI_KOTA"): 1}
    db.session.delete(record)
    db.session.flush()
    assert live_equals_rebuilt(program_region.id)
    assert Receipts.read().totals()["recipients_by_program"] == {"BPNT": 1}


def test_a_rolled_back_write_leaves_no_count(program_region):
    village = region_village(1)
    household = add_household([Member("Kepala")], village=village)
    rebuild_program_rollups(program_region.id)
    before = read_rollups(db.session, program_region.id)
    savepoint = db.session.begin_nested()
    participate(household.kk_number, "PKH", village)
    assert read_rollups(db.session, program_region.id) != before
    savepoint.rollback()
    assert read_rollups(db.session, program_region.id) == before


def test_catalogue_edits_apply_without_a_rebuild(program_region):
    village = region_village(2)
    add_household([Member("Kepala", programs=["pbi_jk"])], village=village, programs=["pkh"])
    rebuild_program_rollups(program_region.id)
    pkh = db.session.scalar(select(Program).where(Program.code == "PKH"))
    pkh.level = "provincial"
    db.session.flush()
    by_level = Receipts.read().totals()["receiving_by_level"]
    assert (by_level["provincial"], by_level["national"]) == (1, 1)
    pkh.active = False
    db.session.flush()
    assert Receipts.read().totals()["recipients_by_program"] == {"PBI_JK": 1}


def test_rebuild_reads_the_register_in_ranges(program_region):
    village = region_village(3)
    for i in range(7):
        add_household([Member(f"Kepala {i}")], village=village, programs=["bpnt"] if i % 2 else [])
    participate(unique_kk(village.code), "PKH", village)
    connection = db.session.connection()
    whole = {}
    for part in compute_households(connection, program_region.id):
        whole.update(part)
    pieces, seen = {}, 0
    for part in compute_households(connection, program_region.id, chunk=2):
        seen += 1
        assert not set(part) & set(pieces)
        pieces.update(part)
    assert pieces == whole and seen >= 4 and len(whole) >= 8


def test_sample_households_for_the_demo(program_region):
    from app.dashboard.sample_households import sample_households

    written = sample_households(random.Random(4), 300, district_limit=3)
    assert written["households"] == 300 and written["known"] >= 300
    totals = Receipts.read().totals()
    assert 0.45 < totals["households_receiving"] / totals["households"] < 0.75
    assert totals["receiving_3plus"] > 0 and totals["program_pairs"]
    assert all(totals["receiving_by_level"][level] for level in ("national", "regional", "non_government"))
    assert live_equals_rebuilt(program_region.id)
