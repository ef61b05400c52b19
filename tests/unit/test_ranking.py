"""Ranking candidates: scoring from the program's weights, each point explained, the documented tie-break
rule, who is a candidate, and the new-ranking checks (Cianjur BAB III "Tugas" f, Payakumbuh Pasal 7 (1) f)."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.programs.facts import HouseholdFacts, MemberFacts, household_facts
from app.programs.models import Ranking, RankingEntry
from app.programs.ranking import Candidate, check_new_ranking, ranked, request_ranking, score, tie_break_key
from app.programs.ranking_access import district_choices, region_districts, visible_ranking
from app.programs.ranking_decision import decide_ranking, decision_errors, set_ticks
from app.programs.ranking_job import job_state, retry_ranking
from app.programs.ranking_views import rankings_of
from app.programs.vocabulary import RankingStatus
from app.reference.models import Village
from tests.factories import member
from tests.helpers.households import Member, add_household, region_village
from tests.helpers.ranking import WEIGHTS, rank, ranking_program
from tests.helpers.reports import drain

SLUG = "payakumbuh"


def _person(name: str, *, relation: str = "head", age: int = 40, disability: str = "none") -> MemberFacts:
    return MemberFacts(nik="1376014101800001", name=name, relation_to_head=relation, sex="P",
                       birth_date=date(2026 - age, 1, 1), age=age, education="sd", occupation="", disability=disability,
                       pregnant=False)


def _facts(decile: int | None, members: list[MemberFacts], kk: str = "1376019900000001") -> HouseholdFacts:
    return HouseholdFacts(kk_number=kk, village_code="13.76.01.1001", district_code="13.76.01", address="",
                          decile=decile, housing="", in_register=True, members=members)


def test_score_is_the_sum_of_the_weights_met_each_explained(app_ctx):
    facts = _facts(1, [_person("Kepala", age=70), _person("Anak", relation="child", age=10, disability="physical")])
    total, points = score(WEIGHTS, facts)
    assert total == 60
    assert [p["weight"] for p in points] == [0, 1, 2]
    assert [p["points"] for p in points] == [30, 20, 10]
    assert points[0]["label"] == "Desil kesejahteraan paling tinggi 2"
    assert all(p["legal_basis"] == "Perbup uji Pasal 1" for p in points)


def test_a_household_meeting_no_weight_scores_zero_and_says_so(app_ctx):
    total, points = score(WEIGHTS, _facts(7, [_person("Kepala", age=35)]))
    assert (total, points) == (0, [])


def test_unknown_facts_give_no_points(app_ctx):
    """No decile in the extract, no head marked: the weights on them do not hold."""
    total, points = score(WEIGHTS, _facts(None, [_person("Tanpa hubungan", relation="", age=80)]))
    assert total == 0 and points == []


def _candidate(kk: str, score_: int = 50, decile: int | None = 2, members: int = 3,
               born: date | None = date(1960, 1, 1)) -> Candidate:
    return Candidate(kk_number=kk, district_code="", village_code="", score=score_, decile=decile,
                     member_count=members, head_birth_date=born)


def test_higher_score_first_whatever_the_tie_break_facts():
    order = ranked([_candidate("2", score_=10, decile=1, members=9), _candidate("1", score_=40, decile=9, members=1)])
    assert [c.kk_number for c in order] == ["1", "2"]


def test_ties_go_to_lower_decile_then_more_members_then_older_head_then_kk_number():
    order = ranked([
        _candidate("K5", decile=2, members=3, born=date(1960, 1, 1)),
        _candidate("K4", decile=2, members=3, born=date(1960, 1, 1)),   # same as K5 but a smaller KK number
        _candidate("K3", decile=2, members=3, born=date(1950, 6, 1)),   # older head
        _candidate("K2", decile=2, members=5, born=date(1990, 1, 1)),   # more members beat an older head
        _candidate("K1", decile=1, members=1, born=date(2000, 1, 1)),   # lower decile beats everything after it
    ])
    assert [c.kk_number for c in order] == ["K1", "K2", "K3", "K4", "K5"]


def test_unknown_decile_and_birth_date_come_last_among_equals():
    order = ranked([_candidate("A", decile=None), _candidate("B", decile=10),
                    _candidate("C", decile=10, born=None), _candidate("D", decile=10, born=date(1999, 1, 1))])
    assert [c.kk_number for c in order] == ["B", "D", "C", "A"]
    assert tie_break_key(_candidate("X", decile=None))[1] > tie_break_key(_candidate("Y", decile=10))[1]


def _village_elsewhere():
    """A village of the region in another district than `region_village(0)`'s."""
    first = region_village(0)
    return db.session.scalars(select(Village).where(Village.district_code != first.district_code,
                                                    Village.district_code.startswith(first.code[:5]))
                              .order_by(Village.code).limit(1)).one()


def _household(decile, *, elderly=False, disabled=False, village=None, programs=None, members=1):
    people = [Member("Kepala Uji Peringkat", birth_date=date(1950 if elderly else 1985, 5, 5))]
    people += [Member(f"Anggota {i}", relation_to_head="child", birth_date=date(2012, 1, 1),
                      disability="physical" if disabled and i == 0 else "none") for i in range(members - 1)]
    return add_household(people, decile=decile, village=village or region_village(0), programs=programs)


def test_candidates_qualify_do_not_receive_the_program_and_are_ranked_with_their_points(region):
    region(SLUG)
    program = ranking_program(criteria=[{"attribute": "decile", "op": "le", "value": 4, "legal_basis": "uji"}])
    program.register_flag = program.code
    top = _household(1, elderly=True, disabled=True, members=2)         # 60 points
    middle = _household(2, members=3)                                   # 30 points
    low = _household(4)                                                 # 0 points
    too_well_off = _household(6, elderly=True)                          # fails the criteria
    receiving = _household(1, elderly=True, programs=[program.code])    # already receives it

    ranking = rank(program, f"manager@{SLUG}.demo", quota=1)

    entries = {e.kk_number: e for e in db.session.scalars(select(RankingEntry).where(
        RankingEntry.ranking_id == ranking.id))}
    assert too_well_off.kk_number not in entries and receiving.kk_number not in entries
    mine = [entries[h.kk_number] for h in (top, middle, low)]
    assert [e.score for e in mine] == [60, 30, 0]
    assert mine[0].position < mine[1].position < mine[2].position
    assert [p["points"] for p in mine[0].points] == [30, 20, 10]
    assert mine[0].head_name == "Kepala Uji Peringkat" and mine[0].member_count == 2 and mine[0].decile == 1
    assert ranking.status == RankingStatus.DRAFT and ranking.candidate_count == len(entries)
    assert ranking.weights == WEIGHTS
    assert sorted(e.position for e in entries.values()) == list(range(1, len(entries) + 1))
    assert [e.position for e in entries.values() if e.proposed] == [1]  # the quota ticks the top one
    asked, computed = (db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                                   AuditEvent.object_id == str(ranking.id))).one()
                       for action in ("ranking.compute", "ranking.computed"))
    assert asked.detail == {"program": program.code, "district": None, "quota": 1}
    assert computed.detail["candidates"] == len(entries)


def test_a_district_limits_the_candidates(region):
    region(SLUG)
    program = ranking_program()
    here, there = _household(1), _household(1, village=_village_elsewhere())
    facts_here, facts_there = household_facts(here.kk_number), household_facts(there.kk_number)
    assert facts_here and facts_there and facts_here.district_code != facts_there.district_code

    ranking = rank(program, f"manager@{SLUG}.demo", district=facts_here.district_code)

    kks = set(db.session.scalars(select(RankingEntry.kk_number).where(RankingEntry.ranking_id == ranking.id)))
    assert here.kk_number in kks and there.kk_number not in kks
    assert ranking.district_code == facts_here.district_code  # type: ignore[attr-defined]


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"weights": []}, "", "belum memiliki bobot pemeringkatan"),
    ({"criteria": []}, "", "belum memiliki kriteria penerima"),
    ({"active": False}, "", "tidak aktif"),
])
def test_a_program_that_cannot_be_ranked_is_refused(region, change, field, message):
    region(SLUG)
    program = ranking_program(**change)
    user, membership = member(f"manager@{SLUG}.demo")
    with pytest.raises(Invalid) as refused:
        request_ranking(program, membership=membership, user=user)
    assert message in " ".join(refused.value.errors[field])


@pytest.mark.parametrize(("district", "quota", "field", "message"), [
    ("32.75.01", None, "district", "Pilih kecamatan dari daftar."),  # Bekasi's, not Payakumbuh's
    ("", 0, "quota", "Kuota harus bilangan bulat 1 sampai"),
])
def test_bad_district_or_quota_is_refused_at_its_field(region, district, quota, field, message):
    region(SLUG)
    program = ranking_program()
    user, membership = member(f"manager@{SLUG}.demo")
    with pytest.raises(Invalid) as refused:
        request_ranking(program, membership=membership, user=user, district_code=district, quota=quota)
    assert message in refused.value.errors[field][0]


def test_region_districts_are_the_regions_own(region):
    tenant = region(SLUG)
    assert region_districts() and all(d.regency_code == tenant.region_code for d in region_districts())


def test_a_member_working_in_areas_ranks_and_sees_only_their_districts(region):
    """Should a region give ranking to an area-bound post, it stays within that post's districts."""
    region(SLUG)
    program = ranking_program()
    _user, supervisor = member(f"supervisor@{SLUG}.demo")
    own = sorted({a.district_code for a in supervisor.areas})
    assert own, "the demo supervisor works in a district"
    other = next(d.code for d in region_districts() if d.code not in own)
    assert check_new_ranking(program, supervisor, "", None)["district"] == [
        "Pilih salah satu kecamatan wilayah kerja Anda."]
    assert check_new_ranking(program, supervisor, own[0], None) == {}
    assert [d.code for d in district_choices(supervisor)] == [d.code for d in region_districts() if d.code in own]
    user, manager = member(f"manager@{SLUG}.demo")
    theirs = Ranking(program_id=program.id, weights=[], created_by=user.id, district_code=own[0])
    elsewhere = Ranking(program_id=program.id, weights=[], created_by=user.id, district_code=other)
    db.session.add_all([theirs, elsewhere])
    db.session.flush()
    assert visible_ranking(supervisor, theirs.id) is theirs
    with pytest.raises(NotFound):
        visible_ranking(supervisor, elsewhere.id)
    assert visible_ranking(manager, elsewhere.id) is elsewhere  # a region-wide post sees every district's
    assert [r.id for r, _name in rankings_of(program, supervisor)] == [theirs.id]


@pytest.fixture()
def own_queue(app, monkeypatch):
    """Our own RQ queue (in RQ mode) and retries without waiting."""
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REPORT_RETRY_INTERVALS", [0, 0])


def test_a_failing_computation_is_retried_then_failed_and_can_be_tried_again(app, region, own_queue, monkeypatch):
    import app.programs.ranking as ranking_module

    region(SLUG)
    program = ranking_program()
    _household(1)
    working = ranking_module.fill_ranking

    def broken(*args, **kwargs):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(ranking_module, "fill_ranking", broken)
    ranking = rank(program, f"manager@{SLUG}.demo")
    state = job_state(ranking)
    assert (state.status, state.attempts, state.progress) == ("failed", 3, 0) and "disk penuh" in state.error
    with pytest.raises(Conflict):
        set_ticks(ranking, [1], [1])

    monkeypatch.setattr(ranking_module, "fill_ranking", working)
    retry_ranking(ranking)
    db.session.commit()
    drain(app)
    db.session.expire_all()
    assert job_state(ranking).done and ranking.candidate_count > 0
    with pytest.raises(Conflict):
        retry_ranking(ranking)  # only a failed computation is tried again


def test_deciding_by_quota_proposes_exactly_the_top_n_and_records_the_decree(region):
    region(SLUG)
    program = ranking_program()
    for decile in (1, 2, 3):
        _household(decile)
    ranking = rank(program, f"manager@{SLUG}.demo", quota=1)
    set_ticks(ranking, [1, 3], [3])  # ticks are replaced by the quota's top N
    user, _membership = member(f"unit_head@{SLUG}.demo")

    proposed = decide_ranking(ranking, decree_number=" 400/3/SK/2026 ", decree_date=date.today(), basis="quota",
                              quota=2, user=user)

    positions = set(db.session.scalars(select(RankingEntry.position).where(
        RankingEntry.ranking_id == ranking.id, RankingEntry.proposed.is_(True))))
    assert proposed == 2 and positions == {1, 2}
    assert (ranking.status, ranking.decree_number, ranking.quota, ranking.decided_by) == (
        RankingStatus.DECIDED, "400/3/SK/2026", 2, user.id)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "ranking.decide",
                                                        AuditEvent.object_id == str(ranking.id))).one()
    assert event.detail["basis"] == "quota" and event.detail["proposed"] == 2


def test_decision_errors_name_each_field(region):
    region(SLUG)
    program = ranking_program()
    _household(1)
    ranking = rank(program, f"manager@{SLUG}.demo")
    errors = decision_errors(ranking, decree_number="", decree_date=None, basis="ticked", quota=None)
    assert errors == {"decree_number": ["Nomor SK wajib diisi."], "decree_date": ["Tanggal SK wajib diisi."],
                      "basis": ["Belum ada baris yang dicentang."]}
    errors = decision_errors(ranking, decree_number="x" * 101, decree_date=date(2000, 1, 1), basis="quota",
                             quota=ranking.candidate_count + 1)
    assert set(errors) == {"decree_number", "decree_date", "quota"}
    assert errors["decree_date"] == ["Tanggal SK tidak boleh sebelum pemeringkatan dibuat."]
    assert decision_errors(ranking, decree_number="1", decree_date=date.today(), basis="lain", quota=None) == {
        "basis": ["Pilih cara menentukan yang diusulkan."]}
