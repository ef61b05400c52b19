"""Rollups agree with the raw data after a random sequence of case events.

Three ways of counting must give the same answer: the counters the session listener kept
while the events happened, a rebuild from the raw tables (`flask dashboard rebuild`), and
direct counts over `cases`, `referrals`, `case_events` and the proposals to add a household
(`data_updates` of kind `new_household`, reviewed by the region's chain).
"""
from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import and_, select

from app.casework.models import Case, CaseEvent, Partner, Referral
from app.dashboard.metrics import SNAPSHOT_DAY, bucket_of, hours_between, local_day, prelist_stage
from app.dashboard.models import CitizenProgram
from app.dashboard.rebuild import compute_from_raw
from app.dashboard.rollups import read_counters
from app.extensions import db
from app.verval.models import DataUpdate
from tests.helpers.reports import in_sample_region, random_casework


def direct_counts(tenant_id) -> Counter:
    """The same counters counted straight from the raw tables, without the rollup code."""
    out: Counter = Counter()
    cases = db.session.scalars(select(Case).where(Case.tenant_id == tenant_id)).all()
    for case in cases:
        place = (case.district_code, case.service_area)
        out[("received", local_day(case.created_at), *place, case.channel)] += 1
        if case.closed_at is None:
            out[("open", case.state, *place, str(case.unit_id or ""))] += 1
        else:
            out[("closed", local_day(case.closed_at), *place, case.channel)] += 1
    for partner_id, level, status, outcome, requested_at, completed_at in db.session.execute(
            select(Referral.partner_id, Partner.level, Referral.status, Referral.outcome, Referral.requested_at,
                   Referral.completed_at)
            .join(Partner, and_(Partner.tenant_id == Referral.tenant_id, Partner.id == Referral.partner_id))
            .where(Referral.tenant_id == tenant_id)):
        out[("referral_requested", local_day(requested_at), level, str(partner_id))] += 1
        if status == "completed":
            out[("referral_outcome", local_day(completed_at), level, str(partner_id), outcome)] += 1
    for proposal in db.session.scalars(select(DataUpdate).where(DataUpdate.tenant_id == tenant_id,
                                                                DataUpdate.kind == "new_household")):
        out[("prelist", local_day(proposal.created_at), proposal.district_code,
             prelist_stage(proposal.status, proposal.result))] += 1
    by_case = defaultdict(list)
    for event in db.session.scalars(select(CaseEvent).where(CaseEvent.tenant_id == tenant_id)
                                    .order_by(CaseEvent.case_id, CaseEvent.at)):
        by_case[event.case_id].append(event)
    for events in by_case.values():
        for before, after in itertools.pairwise(events):
            out[("state_hours", before.to_state, bucket_of(hours_between(before.at, after.at)))] += 1
    return out


def counts_from_rollups(counters: Counter) -> Counter:
    """The rollup counters folded to the shape of `direct_counts`."""
    out: Counter = Counter()
    for key, value in counters.items():
        place = (key.district_code, key.service_area)
        if key.metric in ("received", "closed"):
            out[(key.metric, key.day, *place, key.channel)] += value
        elif key.metric == "open":
            assert key.day == SNAPSHOT_DAY
            out[("open", key.state, *place, key.unit_id)] += value
        elif key.metric == "referral_requested":
            out[(key.metric, key.day, key.partner_level, key.partner_id)] += value
        elif key.metric == "referral_outcome":
            out[(key.metric, key.day, key.partner_level, key.partner_id, key.detail)] += value
        elif key.metric == "prelist":
            out[("prelist", key.day, key.district_code, key.detail)] += value
        elif key.metric == "state_hours":
            out[("state_hours", key.state, key.bucket)] += value
    return Counter({k: v for k, v in out.items() if v})


@pytest.fixture()
def rollup_region(app):
    with in_sample_region(app, "uji-rollup") as tenant:
        yield tenant


def test_live_rollups_match_rebuild_and_direct_counts(app, rollup_region):
    tid = rollup_region.id
    cases = random_casework(seed=6, cases=60, start=datetime(2025, 1, 6, 1, 0, tzinfo=UTC))
    assert len({c.district_code for c in cases}) >= 2 and len({c.channel for c in cases}) >= 2
    assert any(c.is_closed for c in cases) and any(not c.is_closed for c in cases)
    assert any(r.status == "returned" for c in cases for r in c.referrals)
    assert any(r.status == "completed" for c in cases for r in c.referrals)

    live = read_counters(db.session, tid)
    rebuilt, programs = compute_from_raw(db.session, tid)
    assert live == rebuilt
    assert counts_from_rollups(live) == direct_counts(tid)
    assert {"informed", "response_hours", "close_hours", "referral_decision", "resolution"} <= {k.metric for k in live}

    stored = {(p.citizen_id, str(p.partner_id)) for p in db.session.scalars(select(CitizenProgram))}
    assert stored == {(citizen, partner) for citizen, partner in programs}
    referred = {(c.citizen_id, str(r.partner_id)) for c in db.session.scalars(select(Case)) for r in c.referrals
                if r.status not in ("requested", "returned")}
    assert stored == referred


def test_rebuild_command_rewrites_the_same_counters(app, rollup_region):
    tid = rollup_region.id
    db.session.commit()
    made = app.test_cli_runner().invoke(args=["dashboard", "sample", "--region", "uji-rollup", "--cases", "12"])
    assert made.exit_code == 0 and "12 kasus contoh" in made.output, made.output
    db.session.expire_all()
    before = read_counters(db.session, tid)
    assert sum(v for k, v in before.items() if k.metric == "received") >= 12
    result = app.test_cli_runner().invoke(args=["dashboard", "rebuild", "--region", "uji-rollup"])
    assert result.exit_code == 0, result.output
    assert "uji-rollup" in result.output
    db.session.expire_all()
    assert read_counters(db.session, tid) == before
    assert app.test_cli_runner().invoke(args=["dashboard", "rebuild", "--region", "tidak-ada"]).exit_code != 0


def test_a_rolled_back_step_leaves_no_counter(app, rollup_region):
    tid = rollup_region.id
    db.session.commit()
    before = read_counters(db.session, tid)
    random_casework(seed=3, cases=3, start=datetime(2025, 5, 5, 3, 0, tzinfo=UTC))
    assert read_counters(db.session, tid) != before
    db.session.rollback()
    assert read_counters(db.session, tid) == before


def test_moving_a_case_moves_its_counters(app, rollup_region):
    tid = rollup_region.id
    cases = random_casework(seed=5, cases=4, start=datetime(2025, 7, 7, 3, 0, tzinfo=UTC))
    case = cases[0]
    other = next(a for a in ("pendidikan", "kesehatan", "sosial") if a != case.service_area)
    case.service_area = other
    db.session.flush()
    assert read_counters(db.session, tid) == compute_from_raw(db.session, tid)[0]


def test_deciding_a_proposal_moves_its_counter(app, rollup_region):
    """A reviewer's decision is a guarded bulk UPDATE (no flush): the counter moves all the same,
    and again when the ministry's answer comes back."""
    from app.accounts.models import Membership
    from app.org.models import Position
    from app.reviews.operations import decide, may_act, open_stage

    random_casework(seed=8, cases=6, start=datetime(2025, 9, 1, 3, 0, tzinfo=UTC))
    tid = rollup_region.id
    members = db.session.scalars(select(Membership).join(Position, Position.id == Membership.position_id)
                                 .where(Membership.active.is_(True))).all()
    pending = db.session.scalars(select(DataUpdate).where(DataUpdate.kind == "new_household",
                                                          DataUpdate.status == "pending")).all()
    # One whose first stage someone here may take (a supervisor only where their districts are).
    proposal = next(p for p in pending if any(may_act(m, p) for m in members))
    key_day, district = local_day(proposal.created_at), proposal.district_code

    def moved(before) -> dict:
        after = read_counters(db.session, tid)
        return {k.detail: after[k] - before[k] for k in set(after) | set(before) if k.metric == "prelist"
                and k.day == key_day and k.district_code == district and after[k] != before[k]}

    before = read_counters(db.session, tid)
    while open_stage(proposal) is not None:
        reviewer = next(m for m in members if may_act(m, proposal))
        decide(proposal, "new_household", "approve", "", reviewer)
    assert proposal.status == "approved" and moved(before) == {"pending": -1, "approved": 1}
    assert read_counters(db.session, tid) == compute_from_raw(db.session, tid)[0]
    before = read_counters(db.session, tid)
    proposal.result = "accepted"
    db.session.flush()
    assert moved(before) == {"approved": -1, "ministry_accepted": 1}
