"""Reading the rollups: small grouped sums over `case_rollups`, and the names behind the codes.

Every query is scoped to the current region by the ORM (and by row-level security on
PostgreSQL). The only figure read from `cases` itself is "overdue", which depends on
the clock and cannot be a counter; it is one grouped query on indexed columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from app.casework.models import Case, Partner, SopVersion
from app.casework.vocabulary import SopStatus
from app.dashboard.metrics import SNAPSHOT_DAY
from app.dashboard.models import CaseRollup
from app.dashboard.periods import Period
from app.extensions import db
from app.localtime import local_zone
from app.org.models import OrgUnit
from app.reference.models import District
from app.tenancy.models import utcnow


@dataclass
class Table:
    """One table of figures (and the chart drawn from it).

    `rows` hold raw values: the first column is a label, `formats` says how to show each
    column ("text", "int", "hours", "percent"). `chart_columns` are the numeric columns
    the chart shows (stacked when more than one); empty means no chart.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    formats: tuple[str, ...] = ()
    chart_columns: tuple[int, ...] = (1,)
    stacked: bool = True  # several chart columns: parts of a whole (stacked) or side by side
    note: str = ""
    highlight: list[bool] = field(default_factory=list)

    def format_of(self, index: int) -> str:
        if index < len(self.formats):
            return self.formats[index]
        return "text" if index == 0 else "int"

    def chart_rows(self, limit: int | None = None) -> list[tuple[str, list[float]]]:
        """(label, values) per non-empty row for the chart; labels join the text columns.

        With more than `limit` rows, only the `limit` largest are drawn (the table has them all).
        """
        text_cols = [i for i in range(len(self.columns)) if self.format_of(i) == "text"]
        out = []
        for row in self.rows:
            label = " — ".join(str(row[i]) for i in text_cols if row[i] not in (None, ""))
            values = [float(row[i] or 0) for i in self.chart_columns]
            if any(values):
                out.append((label, values))
        if limit is not None and len(out) > limit:
            keep = set(sorted(range(len(out)), key=lambda i: -sum(out[i][1]))[:limit])
            out = [item for i, item in enumerate(out) if i in keep]
        return out

    def chart_is_cut(self, limit: int) -> bool:
        return len(self.chart_rows()) > limit

    @property
    def chart_series(self) -> list[str]:
        return [self.columns[i] for i in self.chart_columns]

    @property
    def chart_unit(self) -> str:
        return "hours" if any(self.format_of(i) == "hours" for i in self.chart_columns) else ""


@dataclass
class Section:
    key: str
    title: str
    intro: str
    tables: list[Table]


@dataclass
class Figures:
    """Everything a dashboard view or a report shows for one period and district."""

    period: Period
    district: str
    district_name: str
    headline: list[tuple[str, str, object, str]]  # (key, label, value, format)
    sections: list[Section]
    totals: dict = field(default_factory=dict)

    def table(self, key: str) -> Table:
        return next(t for s in self.sections for t in s.tables if t.key == key)


def day_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's local days as UTC instants [from, to)."""
    zone = local_zone()
    lower = datetime.combine(period.start, time.min, zone).astimezone(UTC)
    upper = datetime.combine(period.end + timedelta(days=1), time.min, zone).astimezone(UTC)
    return lower, upper


class Reader:
    """Grouped sums over the current region's rollups for one period and district."""

    def __init__(self, period: Period, district: str = ""):
        self.period = period
        self.district = district
        self._received: dict | None = None

    def received(self) -> dict[tuple, int]:
        """(channel, service area, district) → complaints received; read once, folded by callers."""
        if self._received is None:
            self._received = self.sum(["received"], ["channel", "service_area", "district_code"])
        return self._received

    def received_by(self, *positions: int) -> dict:
        """Received complaints folded onto some of (channel, area, district), e.g. `received_by(1, 2)`."""
        out: dict = {}
        for key, value in self.received().items():
            folded = tuple(key[i] for i in positions)
            folded = folded[0] if len(folded) == 1 else folded
            out[folded] = out.get(folded, 0) + value
        return out

    def sum(self, metrics: list[str], by: list[str], snapshot: bool = False) -> dict[tuple, int]:
        cols = [getattr(CaseRollup, name) for name in by]
        stmt = select(*cols, func.sum(CaseRollup.value)).where(CaseRollup.metric.in_(metrics))
        if snapshot:
            stmt = stmt.where(CaseRollup.day == SNAPSHOT_DAY)
        else:
            stmt = stmt.where(CaseRollup.day >= self.period.start, CaseRollup.day <= self.period.end)
        if self.district:
            stmt = stmt.where(CaseRollup.district_code == self.district)
        out = {}
        for row in db.session.execute(stmt.group_by(*cols)):
            if row[-1]:
                out[tuple(row[:-1])] = int(row[-1])
        return out

    def by(self, metric: str, dim: str, snapshot: bool = False) -> dict[str, int]:
        return {key[0]: value for key, value in self.sum([metric], [dim], snapshot).items()}

    def total(self, metric: str, snapshot: bool = False) -> int:
        return sum(self.sum([metric], [], snapshot).values())

    def histograms(self, metric: str, dim: str | None = None) -> dict:
        """{dimension value: {bucket: count}} (or {None: …} without a dimension)."""
        out: dict = {}
        for key, value in self.sum([metric], ([dim] if dim else []) + ["bucket"]).items():
            group = key[0] if dim else None
            out.setdefault(group, {})[key[-1]] = out.get(group, {}).get(key[-1], 0) + value
        return out

    def overdue(self) -> dict[tuple, int]:
        """(state, unit id) → open cases past their stage's deadline now (read from `cases`)."""
        stmt = (select(Case.state, Case.unit_id, func.count())
                .where(Case.is_overdue(utcnow())).group_by(Case.state, Case.unit_id))
        if self.district:
            stmt = stmt.where(Case.district_code == self.district)
        return {(state, str(unit) if unit else ""): n for state, unit, n in db.session.execute(stmt)}


class Labels:
    """Names for the codes in the current region: states and channels (from its SOPs), units,
    partners and districts."""

    def __init__(self, tenant):
        self.states: dict[str, str] = {}
        self.channels: dict[str, str] = {}
        versions = db.session.scalars(select(SopVersion).where(SopVersion.status != SopStatus.DRAFT)
                                      .order_by(SopVersion.number)).all()
        for version in versions:  # the newest wording wins, older states keep theirs
            sop = version.sop
            self.states.update({k: s.label for k, s in sop.states.items()})
            self.channels.update({k: c.label for k, c in sop.channels.items()})
        self.state_order = list(versions[-1].sop.states) if versions else []
        self.units = {str(uid): name for uid, name in db.session.execute(select(OrgUnit.id, OrgUnit.name))}
        self.partners = {str(pid): (name, level) for pid, name, level in
                         db.session.execute(select(Partner.id, Partner.name, Partner.level))}
        self.districts = dict(db.session.execute(
            select(District.code, District.name).where(District.regency_code == tenant.region_code)
            .order_by(District.name)).all())

    def state(self, key: str) -> str:
        return self.states.get(key, key or "—")

    def state_rank(self, key: str) -> int:
        return self.state_order.index(key) if key in self.state_order else len(self.state_order)

    def district(self, code: str) -> str:
        return self.districts.get(code, code or "—")

    def unit(self, unit_id: str) -> str:
        return self.units.get(unit_id, "—")

    def partner(self, partner_id: str) -> tuple[str, str]:
        return self.partners.get(partner_id, ("—", ""))
