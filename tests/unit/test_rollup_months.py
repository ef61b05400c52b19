"""The month counters (`case_rollup_months`) are the daily rollups summed per month, whatever wrote
them (steps, a moved case, a rebuild), and the national figures and trends read from them are
the same as when read from the daily rollups alone, for whole months and for cut ones."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.dashboard import month_sums
from app.dashboard.models import MONTH_DIMENSIONS, CaseRollup, CaseRollupMonth
from app.dashboard.national import national_summary
from app.dashboard.periods import Period
from app.dashboard.rebuild import rebuild_region
from app.dashboard.rollups import read_counters
from app.dashboard.trends import trend
from app.extensions import db
from tests.helpers.reports import in_sample_region, random_casework


@pytest.fixture()
def region(app):
    with in_sample_region(app, "uji-bulanan") as tenant:
        yield tenant


def _daily_by_month(tid) -> Counter:
    out: Counter = Counter()
    for key, value in read_counters(db.session, tid).items():
        out[(key.day.replace(day=1), key.metric, *(getattr(key, d) for d in MONTH_DIMENSIONS))] += value
    return Counter({k: v for k, v in out.items() if v})


def _months(tid) -> Counter:
    m = CaseRollupMonth
    rows = db.session.execute(select(m.month, m.metric, *[getattr(m, d) for d in MONTH_DIMENSIONS], m.value)
                              .where(m.tenant_id == tid, m.value != 0))
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def test_month_counters_are_the_daily_ones_summed_per_month(region):
    tid = region.id
    cases = random_casework(seed=11, cases=40, start=datetime(2025, 1, 6, 1, 0, tzinfo=UTC))
    expected = _daily_by_month(tid)
    assert len({k[0] for k in expected}) >= 3 and _months(tid) == expected
    # A case moved to another service area moves its daily counters; the months' sums stay right.
    case = next(c for c in cases if c.is_closed)
    case.service_area = next(a for a in ("pendidikan", "kesehatan", "sosial") if a != case.service_area)
    db.session.flush()
    assert _months(tid) == _daily_by_month(tid) == expected
    # A rebuild replaces both from the raw data, to the same values.
    rebuild_region(region)
    assert _months(tid) == expected
    assert db.session.scalar(select(CaseRollup.id).where(CaseRollup.tenant_id == tid).limit(1)) is not None


PERIODS = (Period.year(2025), Period.month(2025, 3), Period(date(2025, 1, 15), date(2025, 3, 10)),
           Period(date(2025, 2, 3), date(2025, 2, 20)), Period(date(2024, 12, 1), date(2025, 6, 30)))


def test_national_figures_and_trends_read_from_months_equal_the_daily_ones(app, region, monkeypatch):
    tid = region.id
    random_casework(seed=12, cases=40, start=datetime(2025, 1, 6, 1, 0, tzinfo=UTC))
    db.session.commit()  # the national figures are read across regions, by the platform's own connection
    read: list[tuple[str, int]] = []
    real_add = month_sums._add

    def recording_add(out, model, index, *args):
        read.append((model.__tablename__, len(index.whens) if index is not None else 0))
        return real_add(out, model, index, *args)

    monkeypatch.setattr(month_sums, "_add", recording_add)
    fast = {p: (national_summary(p, only=tid), trend(p, only=tid).figures) for p in PERIODS}
    assert ("case_rollup_months", 12) in read  # the year's trend: twelve whole months, no daily rows
    assert ("case_rollup_months", 1) in read and ("case_rollups", 2) in read  # 15 Jan - 10 Mar, month by month
    assert ("case_rollup_months", 0) in read  # the comparison: one sum over the whole months
    monkeypatch.setattr(month_sums, "KEPT_BY_MONTH", set())  # everything from the daily rollups
    slow = {p: (national_summary(p, only=tid), trend(p, only=tid).figures) for p in PERIODS}
    assert fast == slow
    year = fast[PERIODS[0]][0][0]
    assert year.received >= 30 and year.closed and year.histogram and year.by_level


def test_a_period_in_calendar_months_cut_at_its_ends():
    parts = Period(date(2025, 1, 15), date(2025, 3, 10)).month_parts()
    assert parts == [Period(date(2025, 1, 15), date(2025, 1, 31)), Period.month(2025, 2),
                     Period(date(2025, 3, 1), date(2025, 3, 10))]
    assert [p.is_whole_month() for p in parts] == [False, True, False]
    assert Period.year(2024).month_parts() == [Period.month(2024, m) for m in range(1, 13)]
    assert Period(date(2025, 2, 1), date(2025, 2, 28)).month_parts() == [Period.month(2025, 2)]
    assert Period(date(2025, 3, 2), date(2025, 3, 1)).month_parts() == []  # an end before the start
