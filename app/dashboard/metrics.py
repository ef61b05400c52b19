"""What each case event adds to the rollups: one pure function shared by the live
listener and the rebuild from raw tables, so both always agree.

Metrics (all per region; `day` is the local date of the event):

* `received` (day, district, area, channel) — an intake event
* `open` (snapshot; state, district, area, unit) — +1 on entering a non-final state, −1 on leaving it
* `closed` (day, district, area, channel) — a step into a final state
* `state_hours` (day, state, district, bucket, detail = met | missed | "") — hours spent in the
  state a step leaves; `detail` says whether the step was within the state's `sla_hours` (its
  SOP's deadline: `app.dashboard.sla`), "" for a state without one
* `close_hours` (day, district, bucket) — hours from intake to close
* `referral_requested` / `referral_sent` / `referral_answered` (day, level, partner, district)
* `referral_decision` (… detail = approved | returned) — the approver's decision
* `referral_outcome` (… detail = served | not_served | redirected)
* `response_hours` (day, level, partner, district, bucket) — hours from sending a referral to its answer
* `resolution` (day, district, area, detail = handled | served | not_served | redirected)
* `informed` (day, district, detail = how the citizen was told)
* `prelist` (day of a new-household proposal, district, detail = its stage now: `PRELIST_STAGES`)

The common counters (received, open, closed, the hours) are kept here; what else a step
adds is said by its kind (`app/casework/step_kinds`), through a `Tally`.

Each counter keeps only the dimensions something reads (every one keeps the district, for
the district filter): at a few thousand cases a year, a counter per day is already close
to one row per event, so each extra dimension would only add rows.

Overdue is not a counter: it depends on the clock, so it is read from `cases` at view time.
Durations go into fixed log-scale buckets (factor √2), from which medians are estimated.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple, TypedDict, overload
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from app.casework.step_kinds import kind_of

#: Bucket 0 holds [0, 1) hour; bucket k ≥ 1 holds [2^((k-1)/2), 2^(k/2)) hours; the last is open.
MAX_BUCKET = 29
DEFAULT_ZONE = "Asia/Jakarta"
#: `day` of metrics that are a snapshot of now rather than a count per day (open cases by step).
SNAPSHOT_DAY = date(1970, 1, 1)


class Key(NamedTuple):
    """The identity of one rollup counter (the table's unique key without the region)."""

    day: date
    metric: str
    district_code: str = ""
    service_area: str = ""
    channel: str = ""
    state: str = ""
    unit_id: str = ""
    partner_level: str = ""
    partner_id: str = ""
    detail: str = ""
    bucket: int = 0


@dataclass(frozen=True)
class CaseFacts:
    """The case's dimensions as the rollups see them."""

    district_code: str
    service_area: str
    channel: str
    unit_id: str
    citizen_id: object

    @classmethod
    def of(cls, case) -> CaseFacts:
        return cls(case.district_code or "", case.service_area or "", case.channel or "",
                   str(case.unit_id) if case.unit_id else "", case.citizen_id)


@dataclass(frozen=True)
class ReferralFacts:
    partner_id: str
    level: str
    requested_at: datetime | None
    decided_at: datetime | None
    sent_at: datetime | None
    answered_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True)
class EventFacts:
    """One timeline entry with what it needs from its neighbours and its SOP."""

    kind: str  # intake, or the transition kind (forward, request_referral, inform…)
    at: datetime
    from_state: str
    to_state: str
    to_final: bool
    data: dict = field(default_factory=dict)
    prev_at: datetime | None = None  # when the state this step leaves was entered
    intake_at: datetime | None = None
    referral: ReferralFacts | None = None
    sla_hours: int | None = None  # the deadline (hours) of the state this step leaves, in the case's SOP


@overload
def utc(value: datetime) -> datetime: ...
@overload
def utc(value: None) -> None: ...
@overload
def utc(value: datetime | None) -> datetime | None: ...
def utc(value: datetime | None) -> datetime | None:
    """An aware UTC datetime (SQLite hands back naive ones, stored as UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_day(value: datetime, zone: str = DEFAULT_ZONE) -> date:
    return utc(value).astimezone(ZoneInfo(zone)).date()


def hours_between(start: datetime, end: datetime) -> float:
    return max(0.0, (utc(end) - utc(start)).total_seconds() / 3600)


def bucket_of(hours: float) -> int:
    if hours < 1:
        return 0
    return min(MAX_BUCKET, math.floor(2 * math.log2(hours)) + 1)


def bucket_bounds(bucket: int) -> tuple[float, float]:
    if bucket <= 0:
        return 0.0, 1.0
    return 2 ** ((bucket - 1) / 2), 2 ** (bucket / 2)


#: `detail` of a `state_hours` counter: the step was within its state's deadline, or after it.
SLA_MET, SLA_MISSED = "met", "missed"


def sla_detail(hours: float, sla_hours: int | None) -> str:
    """`met` when a step left its state within the state's deadline, `missed` after it, "" without one.

    The same rule as overdue (`Case.is_overdue`): a case is late once `due_at` (entered + sla_hours)
    has passed, so a step exactly at the deadline is still in time."""
    if not sla_hours:
        return ""
    return SLA_MET if hours <= sla_hours else SLA_MISSED


def median_hours(histogram: dict[int, int]) -> float | None:
    """THE median duration of the application, wherever one is shown: the region's dashboard and
    reports, the national summary and the comparison across regions all call this on the same
    rollup histogram (`close_hours`, `state_hours`, `response_hours`), so one period and one
    region give one number everywhere (tests/unit/test_platform_medians.py).

    Estimated from bucket counts, linear inside the bucket that holds the middle value, so it
    lies in that bucket (a factor √2 wide above one hour). Below an hour every duration is in
    bucket 0 and the estimate is 0–1 hour: one closing after 6 minutes reads 0.5 h, not 0.1 h."""
    total = sum(v for v in histogram.values() if v > 0)
    if total <= 0:
        return None
    target, seen = total / 2, 0
    for bucket in sorted(histogram):
        count = histogram[bucket]
        if count <= 0:
            continue
        if seen + count >= target:
            low, high = bucket_bounds(bucket)
            return low + (high - low) * (target - seen) / count
        seen += count
    return bucket_bounds(max(histogram))[1]


def referral_for(kind: str, at: datetime, referrals: list[ReferralFacts]) -> ReferralFacts | None:
    """The referral a step acted on: the one whose timestamp for that kind of step is the step's time."""
    step_kind = kind_of(kind)
    stamp = step_kind.referral_stamp if step_kind is not None else None
    if stamp is None:
        return None
    moment = utc(at)
    return next((r for r in referrals if utc(getattr(r, stamp)) == moment), None)


@dataclass
class Tally:
    """Where a step's kind adds its own counters: keyed by the event's day and the case's district."""

    case: CaseFacts
    event: EventFacts
    day: date
    out: Counter

    @property
    def data(self) -> dict:
        return self.event.data or {}

    @property
    def referral(self) -> ReferralFacts | None:
        return self.event.referral

    def add(self, metric: str, *, area: bool = False, partner: bool = False, detail: str = "",
            bucket: int = 0) -> None:
        """+1 on `metric` for this day and district (and service area / the referral's partner)."""
        dims: dict = {"district_code": self.case.district_code}
        if area:
            dims["service_area"] = self.case.service_area
        if partner and self.referral is not None:
            dims.update(partner_level=self.referral.level, partner_id=self.referral.partner_id)
        self.out[Key(self.day, metric, detail=detail, bucket=bucket, **dims)] += 1

    def bucket_since(self, start: datetime) -> int:
        """The duration bucket of the hours from `start` to this event."""
        return bucket_of(hours_between(start, self.event.at))


class _Place(TypedDict, total=False):
    """The place dimensions of a counter (`Key` fields), passed on as keywords."""

    district_code: str
    service_area: str


def event_deltas(case: CaseFacts, event: EventFacts, zone: str = DEFAULT_ZONE) -> Counter:
    """Counter deltas this event adds (a transition also moves the open snapshot)."""
    out: Counter = Counter()
    day = local_day(event.at, zone)
    place: _Place = {"district_code": case.district_code, "service_area": case.service_area}
    where: _Place = {"district_code": case.district_code}
    if event.kind == "intake":
        out[Key(day, "received", channel=case.channel, **place)] += 1
        if event.to_state and not event.to_final:
            out[Key(SNAPSHOT_DAY, "open", state=event.to_state, unit_id=case.unit_id, **place)] += 1
        return out
    if event.from_state:
        out[Key(SNAPSHOT_DAY, "open", state=event.from_state, unit_id=case.unit_id, **place)] -= 1
        if event.prev_at is not None:
            hours = hours_between(event.prev_at, event.at)
            out[Key(day, "state_hours", state=event.from_state, bucket=bucket_of(hours),
                    detail=sla_detail(hours, event.sla_hours), **where)] += 1
    if event.to_state and not event.to_final:
        out[Key(SNAPSHOT_DAY, "open", state=event.to_state, unit_id=case.unit_id, **place)] += 1
    if event.to_final:
        out[Key(day, "closed", channel=case.channel, **place)] += 1
        if event.intake_at is not None:
            out[Key(day, "close_hours", bucket=bucket_of(hours_between(event.intake_at, event.at)), **where)] += 1
    step_kind = kind_of(event.kind)
    if step_kind is not None:
        step_kind.counts(Tally(case, event, day, out))
    return Counter({k: v for k, v in out.items() if v})


#: Where a proposal to add a household (a `DataUpdate` of kind `new_household`) stands: its review,
#: then the ministry's answer once a batch came back.
PRELIST_STAGES = {"pending": _l("Dalam penelaahan"), "approved": _l("Disetujui"), "rejected": _l("Ditolak"),
                  "ministry_accepted": _l("Diterima Kemensos"), "ministry_rejected": _l("Ditolak Kemensos")}


def prelist_stage(status: str, result: str) -> str:
    """The stage of a proposal: the ministry's answer if there is one, else its review status."""
    return f"ministry_{result}" if result else (status or "")


def prelist_key(created_at: datetime, district_code: str, stage: str, zone: str = DEFAULT_ZONE) -> Key:
    """The one counter a new-household proposal contributes to."""
    return Key(local_day(created_at, zone), "prelist", district_code=district_code or "", detail=stage or "")


def program_row(case: CaseFacts, event: EventFacts) -> tuple | None:
    """(citizen, partner, level, district, at, served) when this event shows a citizen went to a program.

    A referral counts once it is approved (or, in an SOP without approval, sent, answered or
    concluded); one returned by the approver never reached the program and does not count.
    """
    ref, step_kind = event.referral, kind_of(event.kind)
    if ref is None or step_kind is None or case.citizen_id is None:  # a group is no citizen in a program
        return None
    served = step_kind.program(event)
    if served is None:
        return None
    return case.citizen_id, ref.partner_id, ref.level, case.district_code, utc(event.at), served
