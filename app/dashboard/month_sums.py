"""Sums of the rollups month by month, for every region or one: from the month counters
(`CaseRollupMonth`, a few rows per region and month) for the whole calendar months when the
figures group only by what those keep, else — and for the cut months at a period's ends — from
the daily counters. The two give the same sums (they are written together), so where a figure
comes from never shows.

Month by month (`monthly_sums`), each statement maps its rows to the month's index by a CASE in
a subquery, then sums per index (grouping by the subquery's column keeps PostgreSQL from
comparing two copies of the CASE's parameters); for a period's total (`period_sums`) there is
no index and one group.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from app.dashboard.models import MONTH_DIMENSIONS, CaseRollup, CaseRollupMonth
from app.dashboard.periods import Period
from app.extensions import db
from app.tenancy.context import ALL_TENANTS

#: What either table can be grouped by, besides the metric and the month.
KEPT_BY_MONTH = {"tenant_id", *MONTH_DIMENSIONS}

Where = Callable[[Any], tuple]


def monthly_sums(months: Sequence[Period], metrics, by: list[str], only: uuid.UUID | None = None,
                 where: Where | None = None) -> dict[tuple, int]:
    """{(month index, metric, *by): sum} over `months` (calendar months, the first and last may be cut),
    every region or `only` one; `where(model)` adds conditions on either table's columns."""
    return _sums(months, metrics, by, only, where, per_month=True)


def period_sums(months: Sequence[Period], metrics, by: list[str], only: uuid.UUID | None = None,
                where: Where | None = None) -> dict[tuple, int]:
    """{(metric, *by): sum} over all of `months` together (as `monthly_sums`, without a row per month:
    the comparison across regions wants the period's total, not twelve rows per region and figure)."""
    return _sums(months, metrics, by, only, where, per_month=False)


def _sums(months: Sequence[Period], metrics, by: list[str], only, where: Where | None,
          per_month: bool) -> dict[tuple, int]:
    whole = [i for i, m in enumerate(months) if m.is_whole_month()] if set(by) <= KEPT_BY_MONTH else []
    cut = [i for i in range(len(months)) if i not in whole]
    out: dict[tuple, int] = {}
    if whole:
        m = CaseRollupMonth
        index = case(*[(m.month == months[i].start, i) for i in whole], else_=-1) if per_month else None
        _add(out, m, index, m.month.in_([months[i].start for i in whole]), metrics, by, only, where)
    if cut:
        d = CaseRollup
        spans = [and_(d.day >= months[i].start, d.day <= months[i].end) for i in cut]
        index = case(*[(span, i) for span, i in zip(spans, cut, strict=True)], else_=-1) if per_month else None
        _add(out, d, index, or_(*spans), metrics, by, only, where)
    return out


def _add(out: dict, model, index, when, metrics, by: list[str], only, where: Where | None) -> None:
    narrow = (model.tenant_id == only,) if only is not None else ()
    month = [index.label("month")] if index is not None else []
    inner = (select(*month, model.metric, *[getattr(model, n) for n in by], model.value)
             .where(model.metric.in_(metrics), when, *narrow, *(where(model) if where else ()))).subquery()
    keys = [*([inner.c.month] if index is not None else []), inner.c.metric, *[inner.c[n] for n in by]]
    stmt = select(*keys, func.sum(inner.c.value)).group_by(*keys).execution_options(**{ALL_TENANTS: True})
    for row in db.session.execute(stmt):
        if row[-1]:
            key = tuple(row[:-1])
            out[key] = out.get(key, 0) + int(row[-1])
