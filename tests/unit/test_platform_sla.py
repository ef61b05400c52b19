"""SLA compliance: the share of steps that left their state within the SOP's `sla_hours` for it,
per region and per stage, month by month: the rollups agree with a count straight from the
case events, a rebuild keeps the verdicts, and the console shows them."""
from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.casework.models import Case, CaseEvent
from app.dashboard.metrics import SLA_MET, SLA_MISSED, local_day, sla_detail
from app.dashboard.national import national_summary
from app.dashboard.periods import Period
from app.dashboard.queries import Labels
from app.dashboard.rebuild import compute_from_raw
from app.dashboard.rollups import read_counters
from app.dashboard.sla import sla_share, stage_compliance
from app.dashboard.trends import trend, trend_months
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.helpers.reports import SLUG, build_known_data

FEBRUARY = Period.month(2025, 2)


@pytest.fixture(autouse=True)
def known(app):
    build_known_data(app)


@pytest.mark.parametrize("hours, sla, verdict", [(0.5, 24, SLA_MET), (24, 24, SLA_MET), (24.01, 24, SLA_MISSED),
                                                 (100, None, ""), (3, 0, "")])
def test_a_step_at_the_deadline_is_in_time(hours, sla, verdict):
    assert sla_detail(hours, sla) == verdict


def test_share_without_steps_is_none():
    assert sla_share(0, 0) is None and sla_share(3, 1) == 0.75


def direct_verdicts(tenant_id, period: Period) -> Counter:
    """(state, met|missed) → steps, straight from the case events and each case's SOP version."""
    out: Counter = Counter()
    by_case = defaultdict(list)
    for event in db.session.scalars(select(CaseEvent).where(CaseEvent.tenant_id == tenant_id)
                                    .order_by(CaseEvent.case_id, CaseEvent.at)):
        if event.to_state:
            by_case[event.case_id].append(event)
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.tenant_id == tenant_id))}
    for case_id, events in by_case.items():
        sop = cases[case_id].sop_version.sop
        for before, after in itertools.pairwise(events):
            sla = sop.state(after.from_state).sla_hours if after.from_state in sop.states else None
            if not sla or not (period.start <= local_day(after.at) <= period.end):
                continue
            at, prev = (e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC) for e in (after, before))
            out[(after.from_state, SLA_MET if (at - prev).total_seconds() <= sla * 3600 else SLA_MISSED)] += 1
    return out


def test_rollup_verdicts_match_the_events_and_survive_a_rebuild(app):
    with app.test_request_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_context(tenant):
            expected = direct_verdicts(tenant.id, FEBRUARY)
            labels = Labels(tenant)
            live = read_counters(db.session, tenant.id)
            rebuilt, _programs = compute_from_raw(db.session, tenant.id)
        assert {k: v for k, v in live.items() if k.metric == "state_hours"} == \
            {k: v for k, v in rebuilt.items() if k.metric == "state_hours"}
        assert sum(expected.values()) > 0
        stages = stage_compliance(tenant.id, FEBRUARY, trend_months(FEBRUARY)[0], labels)
        (row,) = national_summary(FEBRUARY, only=tenant.id)
    got = Counter()
    for stage in stages:
        got[(stage.state, SLA_MET)] += stage.met
        got[(stage.state, SLA_MISSED)] += stage.missed
        assert stage.label and stage.label != stage.state  # the region's own name for the stage
        assert stage.months[-1] == (stage.met, stage.missed)  # February is the last of the twelve months
    assert +got == +expected
    assert (row.sla_met, row.sla_missed) == (sum(v for k, v in expected.items() if k[1] == SLA_MET),
                                             sum(v for k, v in expected.items() if k[1] == SLA_MISSED))
    assert row.sla_met > 0


@pytest.fixture(scope="module")
def late_region(app):
    """A fresh region (Bekasi's SOP) with one case in June 2024: registered 30 h (deadline 24:
    late), analysis 10 h (72: in time), informing 80 h (72: late)."""
    import random

    from app.dashboard.sample import CaseworkSampler, Clock, onboard_copy
    from app.reference.models import District, Village
    from tests.conftest import DEMO_PASSWORD
    from tests.helpers.platform import free_region_code, unique_slug

    with app.test_request_context():
        tenant = onboard_copy("bekasi", unique_slug("sla"), free_region_code(), "Kota Uji SLA", DEMO_PASSWORD)
        db.session.commit()
        with tenant_context(tenant):
            sampler = CaseworkSampler(random.Random(3))
            village = db.session.scalar(select(Village.code).join(District, District.code == Village.district_code)
                                        .where(District.regency_code == tenant.region_code).order_by(Village.code))
            clock = Clock(datetime(2024, 6, 3, 2, 0, tzinfo=UTC))
            case = sampler.open_for(clock, sampler.new_citizen(village), "walk_in", "pendidikan")
            for key, hours in (("forward_to_back_office", 30), ("handle", 10), ("inform", 80)):
                clock.advance(hours)
                sampler.take(case, key, clock, **({"inform_channel": "phone"} if key == "inform" else {}))
            db.session.commit()
        return tenant.id


def test_late_steps_are_counted_per_stage(app, late_region):
    june = Period.month(2024, 6)
    with app.test_request_context():
        tenant = db.session.get(Tenant, late_region)
        with tenant_context(tenant):
            labels = Labels(tenant)
            expected = direct_verdicts(tenant.id, june)
        stages = {s.state: (s.met, s.missed) for s in stage_compliance(tenant.id, june, [june], labels)}
        (row,) = national_summary(june, only=tenant.id)
    assert stages == {"registered": (0, 1), "analysis": (1, 0), "informing": (0, 1)}
    got = Counter({(k, SLA_MET): v[0] for k, v in stages.items()}) + Counter(
        {(k, SLA_MISSED): v[1] for k, v in stages.items()})
    assert got == +expected
    assert (row.sla_met, row.sla_missed, row.sla_share) == (1, 2, pytest.approx(1 / 3))


def test_sla_trend_month_by_month(app):
    with app.test_request_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        series = trend(Period(datetime(2025, 1, 1).date(), datetime(2025, 3, 31).date()), only=tenant.id)
        (row,) = national_summary(FEBRUARY, only=tenant.id)
    sla = next(f for f in series.figures if f.key == "sla_share")
    assert sla.values[0] is None and sla.values[2] is None  # no steps in January or March
    assert sla.values[1] == pytest.approx(row.sla_share)
