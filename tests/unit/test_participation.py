"""Recording participation (kepesertaan) and needs (kebutuhan): who may, for which household, and what is refused."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.programs.catalogue import program_by_code, seed_national_programs
from app.programs.facts import household_facts
from app.programs.participation import end_participation, record_need, record_participation
from app.reviews.vocabulary import ReviewStatus
from app.tenancy.context import tenant_context
from tests.factories import make_case, member, tenant
from tests.helpers.households import Member, add_household, region_village

SLUG = "bekasi"


@pytest.fixture()
def bekasi(region):
    region(SLUG)
    seed_national_programs()
    return tenant(SLUG)


def _household(village_index: int = 0, **kw):
    return add_household([Member("Sumarni"), Member("Joko", "child", "L", date(2012, 3, 4))],
                         village=region_village(village_index), decile=2, **kw)


def _facilitator():
    return member(f"facilitator@{SLUG}.demo")[1]


def _participation(household, **kw):
    args = dict(kk_number=household.kk_number, nik="", program="PKH", source="field_visit", since=date(2024, 1, 1),
                verified=True, note="Kartu KKS dilihat.", member=_facilitator())
    return record_participation(**{**args, **kw})


# ---------------------------------------------------------------- the attacker first

def test_another_regions_household_is_not_found(app, bekasi):
    with tenant_context(tenant("cianjur")):
        seed_national_programs()
        theirs = _household().kk_number
    with pytest.raises(NotFound):
        record_participation(kk_number=theirs, nik="", program="PKH", source="field_visit", since=None,
                             verified=False, note="", member=_facilitator())


def test_a_facilitator_records_only_in_their_villages(bekasi):
    far = _household(village_index=40)
    with pytest.raises(NotFound):
        _participation(far)
    with pytest.raises(NotFound):
        record_need(kk_number=far.kk_number, nik="", program="PKH", reason="Miskin", member=_facilitator())


def test_a_role_without_the_right_is_refused(bekasi):
    household = _household()
    with pytest.raises(Forbidden):
        _participation(household, member=member(f"supervisor@{SLUG}.demo")[1])
    with pytest.raises(Forbidden):
        record_need(kk_number=household.kk_number, nik="", program="PKH", reason="x",
                    member=member(f"manager@{SLUG}.demo")[1])


def test_a_nik_of_another_household_is_refused(bekasi):
    household, other = _household(), _household()
    nik = household_facts(other.kk_number).members[0].nik
    with pytest.raises(Invalid) as refused:
        _participation(household, program="PBI_JK", nik=nik)
    assert "nik" in refused.value.errors


# ---------------------------------------------------------------- participation

def test_participation_is_placed_submitted_and_audited(bekasi):
    household = _household()
    row = _participation(household)
    assert row.village_code == household.village_code and row.district_code == household.village_code[:8]
    assert row.status in (ReviewStatus.PENDING, ReviewStatus.APPROVED) and row.chain is not None
    assert row.note == "Kartu KKS dilihat."
    assert row.program_id == program_by_code("PKH").id and row.created_by == _facilitator().user_id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participation.record",
                                                       AuditEvent.object_id == str(row.id)))
    assert event is not None and event.detail["program"] == "PKH" and household.kk_number not in str(event.detail)


def test_participation_refusals_at_their_fields(bekasi):
    household = _household()
    with pytest.raises(Invalid) as refused:
        _participation(household, source="rumor", since=date.today() + timedelta(days=3))
    assert set(refused.value.errors) == {"source", "since"}
    with pytest.raises(Invalid) as refused:
        _participation(household, program="NOPE")
    assert "program" in refused.value.errors
    with pytest.raises(Invalid) as refused:  # PBI-JK is received per person
        _participation(household, program="PBI_JK")
    assert "nik" in refused.value.errors


def test_inactive_program_is_refused(bekasi):
    household = _household()
    program_by_code("BLT_DD").active = False
    with pytest.raises(Invalid):
        _participation(household, program="BLT_DD")


def test_duplicates_are_refused(bekasi):
    household = _household()
    _participation(household)
    with pytest.raises(Conflict):
        _participation(household)
    flagged = _household(programs=["pkh"])  # the register already says so
    with pytest.raises(Conflict):
        _participation(flagged)


def test_a_member_level_participation(bekasi):
    household = _household()
    child = next(m for m in household_facts(household.kk_number).members if m.name == "Joko")
    row = _participation(household, program="PIP", nik=child.nik)
    assert row.nik == child.nik


def test_from_a_case_of_the_household_only(bekasi):
    case = make_case(SLUG)
    household = _household()
    with pytest.raises(Invalid) as refused:
        _participation(household, case=case)
    assert "case" in refused.value.errors
    own = add_household([Member("Warga Uji", nik=case.citizen.nik)], kk_number=case.citizen.kk_number,
                        village=region_village(0))
    row = _participation(own, case=case)
    assert row.case_id == case.id


# ---------------------------------------------------------------- ending

def test_ending_a_participation(bekasi):
    household = _household()
    row = _participation(household)
    with pytest.raises(Invalid) as refused:
        end_participation(row, date(2023, 1, 1), "", _facilitator())
    assert set(refused.value.errors) == {"ended_at", "note"}
    end_participation(row, date(2025, 6, 1), "Pindah domisili.", _facilitator())
    assert row.ended_at == date(2025, 6, 1)
    with pytest.raises(Conflict):
        end_participation(row, date(2025, 6, 2), "Lagi.", _facilitator())
    # ended: the same program may be recorded again
    assert _participation(household, since=date(2025, 7, 1)).id != row.id


# ---------------------------------------------------------------- needs

def test_need_for_a_program_or_a_kind_of_help(bekasi):
    household = _household()
    need = record_need(kk_number=household.kk_number, nik="", program="RS_RTLH", reason="Atap bocor.",
                       member=_facilitator())
    assert need.program_id == program_by_code("RS_RTLH").id and need.service_area == ""
    other = record_need(kk_number=household.kk_number, nik="", service_area="kesehatan",
                        reason="Berobat rutin.", member=_facilitator())
    assert other.program_id is None and other.service_area == "kesehatan"
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "need.record",
                                                         AuditEvent.object_id == str(other.id)))


def test_need_refusals(bekasi):
    household = _household(programs=["pkh"])
    with pytest.raises(Invalid) as refused:
        record_need(kk_number=household.kk_number, nik="", service_area="", reason=" ", member=_facilitator())
    assert set(refused.value.errors) == {"program", "reason"}
    with pytest.raises(Conflict):  # already received
        record_need(kk_number=household.kk_number, nik="", program="PKH", reason="x", member=_facilitator())
    record_need(kk_number=household.kk_number, nik="", program="RS_RTLH", reason="x", member=_facilitator())
    with pytest.raises(Conflict):  # the same need, still pending
        record_need(kk_number=household.kk_number, nik="", program="RS_RTLH", reason="y", member=_facilitator())


def test_a_household_known_only_from_intake(bekasi):
    case = make_case(SLUG)
    need = record_need(kk_number=case.citizen.kk_number, nik=case.citizen.nik, service_area="pendidikan",
                       reason="Biaya sekolah.", member=_facilitator())
    assert need.village_code == case.citizen.village_code
