"""Household facts from the current register extract, citizens and approved participation; the national seed."""
from datetime import date

from sqlalchemy import func, select

from app.accounts.models import User
from app.citizens.models import Citizen
from app.extensions import db
from app.programs.catalogue import active_programs, national_codes, program_by_code, seed_national_programs
from app.programs.facts import household_facts, iter_household_facts
from app.programs.models import Participation, Program
from app.reviews.vocabulary import ReviewStatus
from tests.helpers.households import Member, add_household, region_village, unique_kk, unique_nik


def test_seeding_is_idempotent_and_keeps_edits(region):
    region("cianjur")
    seed_national_programs()
    assert national_codes() <= {p.code for p in active_programs()}
    pkh = program_by_code("PKH")
    pkh.active = False
    assert seed_national_programs() == []
    assert program_by_code("PKH").active is False
    assert db.session.scalar(select(func.count()).select_from(Program).where(Program.code == "PKH")) == 1


def test_national_programs_get_a_matching_partner(region):
    region("bekasi")
    seed_national_programs()
    from app.casework.models import Partner

    partner = db.session.get(Partner, (program_by_code("PBI_JK").tenant_id, program_by_code("PBI_JK").partner_id))
    assert partner is not None and "BPJS" in partner.name


def test_facts_from_the_register(region):
    region("cianjur")
    seed_national_programs()
    household = add_household([Member("Siti", birth_date=date(1960, 5, 2), programs=["pbi_jk"]),
                               Member("Budi", "child", "L", date(2015, 7, 1), programs=["pip"])],
                              decile=2, programs=["pkh"])
    facts = household_facts(household.kk_number, today=date(2026, 1, 1))
    assert facts.in_register and facts.decile == 2 and facts.housing == "inadequate"
    assert facts.head.name == "Siti" and facts.head.age == 65
    assert [m.age for m in facts.members if m.name == "Budi"] == [10]
    assert facts.programs == {"PKH", "PBI_JK", "PIP"}
    assert {m.name: m.programs for m in facts.members} == {"Siti": {"PBI_JK"}, "Budi": {"PIP"}}
    assert facts.district_code == facts.village_code.rsplit(".", 1)[0]


def test_approved_open_participation_counts_as_received(region):
    region("cianjur")
    seed_national_programs()
    household = add_household([Member("Rina")], decile=3)
    someone = db.session.scalars(select(User.id)).first()

    def participation(code, status, ended=None):
        db.session.add(Participation(program_id=program_by_code(code).id, source="field_visit",
                                     kk_number=household.kk_number, nik="", district_code="32.03.01",
                                     village_code="32.03.01.2001", status=status, created_by=someone,
                                     ended_at=ended))

    participation("BPNT", ReviewStatus.APPROVED)
    participation("PKH", ReviewStatus.PENDING)
    participation("PIP", ReviewStatus.APPROVED, ended=date(2025, 1, 1))
    db.session.flush()
    assert household_facts(household.kk_number).programs == {"BPNT"}


def test_a_household_outside_the_register_is_built_from_citizens(region):
    region("cianjur")
    village = region_village()
    kk = unique_kk(village.code)
    db.session.add(Citizen(nik=unique_nik(village.code), kk_number=kk, name="Warga Luar", birth_date=date(1990, 1, 1),
                           sex="L", address="Jl. Luar", village_code=village.code))
    db.session.flush()
    facts = household_facts(kk)
    assert facts is not None and not facts.in_register and facts.decile is None
    assert [m.name for m in facts.members] == ["Warga Luar"] and facts.head is None
    assert household_facts("0000000000000000") is None


def test_iterating_in_chunks_gives_each_household_once(region):
    region("cianjur")
    made = [add_household([Member(f"Anggota {i}"), Member(f"Anak {i}", "child", birth_date=date(2012, 1, 1))]).kk_number
            for i in range(7)]
    got = [f.kk_number for f in iter_household_facts(made, chunk=3)]
    assert got == sorted(made)
    every = {f.kk_number: f for f in iter_household_facts(chunk=4)}
    assert set(made) <= set(every)
    assert all(len(every[kk].members) == 2 for kk in made)


def test_another_regions_household_is_unknown(region):
    region("cianjur")
    kk = add_household([Member("Tersembunyi")]).kk_number
    region("bekasi")
    assert household_facts(kk) is None
