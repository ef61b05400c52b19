"""Reading cases' timelines from the raw tables into the facts `metrics` derives counters from.

Used by the live listener (for the few cases a flush touched) and by the rebuild (for
every case of a region, in chunks), so both see a case the same way.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, select

from app.casework.models import Case, CaseEvent, Partner, Referral, SopVersion
from app.dashboard.metrics import CaseFacts, EventFacts, ReferralFacts, event_deltas, program_row, referral_for, utc


@dataclass
class CaseHistory:
    """One case: its dimensions and its timeline, each entry as (event id, facts)."""

    case_id: object
    facts: CaseFacts
    events: list[tuple[object, EventFacts]] = field(default_factory=list)

    def deltas(self, facts: CaseFacts | None = None, only: set | None = None, exclude: set | None = None,
               zone: str = "Asia/Jakarta") -> Counter:
        """Counter deltas of this case's events (all, `only` some ids, or all but `exclude`)."""
        out: Counter = Counter()
        for event_id, event in self.events:
            if (only is not None and event_id not in only) or (exclude is not None and event_id in exclude):
                continue
            out.update(event_deltas(facts or self.facts, event, zone))
        return out

    def programs(self, only: set | None = None) -> list[tuple]:
        rows = []
        for event_id, event in self.events:
            if only is None or event_id in only:
                row = program_row(self.facts, event)
                if row:
                    rows.append(row)
        return rows


class SopCache:
    """Parsed SOP versions by id, loaded once per use."""

    def __init__(self, session):
        self.session = session
        self._sops: dict = {}

    def get(self, tenant_id, version_id):
        if version_id not in self._sops:
            version = self.session.get(SopVersion, (tenant_id, version_id))
            self._sops[version_id] = version.sop if version is not None else None
        return self._sops[version_id]


#: Case events that close a case outside its SOP (withdrawn, merged: app/casework/case_admin.py).
CLOSING_ACTIONS = frozenset({"withdraw", "merge"})


def _kind(sop, action: str) -> str | None:
    if action == "intake":
        return "intake"
    if action in CLOSING_ACTIONS:
        return "closure"
    step = sop.transition(action) if sop is not None else None
    return step.kind if step is not None else None


def _is_final(sop, state: str | None) -> bool:
    if not state or sop is None or state not in sop.states:
        return False
    return sop.state(state).final


def load_histories(session, tenant_id, case_ids: Iterable, sops: SopCache | None = None) -> dict:
    """{case id: CaseHistory} for these cases of `tenant_id`, read from the database.

    Plain Core statements with an explicit region filter (this runs inside every flush that
    writes case events, so it skips the ORM's per-statement work; RLS still applies).
    """
    ids = list(case_ids)
    if not ids:
        return {}
    sops = sops or SopCache(session)
    c, e, r, p = Case.__table__.c, CaseEvent.__table__.c, Referral.__table__.c, Partner.__table__.c
    connection = session.connection()
    cases = connection.execute(
        select(c.id, c.district_code, c.service_area, c.channel, c.unit_id, c.citizen_id, c.sop_version_id)
        .where(c.tenant_id == tenant_id, c.id.in_(ids))).all()
    events: dict = defaultdict(list)
    for row in connection.execute(
            select(e.id, e.case_id, e.action, e.from_state, e.to_state, e.at, e.data)
            .where(e.tenant_id == tenant_id, e.case_id.in_(ids)).order_by(e.case_id, e.at, e.id)):
        events[row.case_id].append(row)
    referrals: dict = defaultdict(list)
    for row in connection.execute(
            select(r.case_id, r.partner_id, p.level, r.requested_at, r.decided_at, r.sent_at, r.answered_at,
                   r.completed_at)
            .join(Partner.__table__, and_(p.tenant_id == r.tenant_id, p.id == r.partner_id))
            .where(r.tenant_id == tenant_id, r.case_id.in_(ids))):
        referrals[row.case_id].append(ReferralFacts(str(row.partner_id), row.level or "", *row[3:]))
    out = {}
    for case in cases:
        sop = sops.get(tenant_id, case.sop_version_id)
        history = CaseHistory(case.id, CaseFacts.of(case))
        history.events = list(_timeline(sop, events.get(case.id, []), referrals.get(case.id, [])))
        out[case.id] = history
    return out


def _sla_hours(sop, state: str | None) -> int | None:
    """The deadline of `state` in the case's SOP version (None: no deadline, or unknown state)."""
    if not state or sop is None or state not in sop.states:
        return None
    return sop.state(state).sla_hours


def _timeline(sop, rows, referrals) -> Iterator[tuple[object, EventFacts]]:
    """Each event with the time its source state was entered (the previous state-changing event)."""
    prev_at = intake_at = None
    for row in rows:
        kind = _kind(sop, row.action)
        if kind is None:  # a note or an edit: not a step of the SOP
            continue
        at = utc(row.at)
        if kind == "intake" and intake_at is None:
            intake_at = at
        yield row.id, EventFacts(
            kind=kind, at=at, from_state=row.from_state or "", to_state=row.to_state or "",
            to_final=kind == "closure" or _is_final(sop, row.to_state), data=row.data or {},
            prev_at=prev_at if kind != "intake" else None, intake_at=intake_at,
            referral=referral_for(kind, at, referrals), sla_hours=_sla_hours(sop, row.from_state))
        prev_at = at


def all_case_ids(session, tenant_id, chunk: int = 500) -> Iterator[list]:
    """The region's case ids in chunks (keyset pagination, constant memory)."""
    last = None
    while True:
        stmt = select(Case.id).where(Case.tenant_id == tenant_id).order_by(Case.id).limit(chunk)
        if last is not None:
            stmt = stmt.where(Case.id > last)
        ids = list(session.scalars(stmt))
        if not ids:
            return
        yield ids
        last = ids[-1]
