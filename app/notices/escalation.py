"""SLA escalation as region data, and the sweep that applies it.

A region's SOP may carry an `escalation:` list: who is told when a case's stage passes its
SLA, and who later, e.g. `[{after_hours: 0, notify: [supervisor]}, {after_hours: 24, notify:
[manager]}]` (hours after the case fell due). Without the key the default below applies;
`escalation: []` turns escalation off. `sweep_overdue(now)` visits every active region and,
for each open case past its due time, fires every level that is due and not yet fired for the
case's current stage visit: one `escalation` case event per level (the level and the roles
told), and a notice to the role holders whose areas include the case, and to its handlers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.casework.models import Case, CaseEvent
from app.extensions import db
from app.notices.vocabulary import NoticeKind
from app.org.vocabulary import ROLES
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, TenantStatus

ACTION = "escalation"
DEFAULT = ({"after_hours": 0, "notify": ["supervisor"]}, {"after_hours": 24, "notify": ["manager"]})


@dataclass(frozen=True)
class Level:
    after_hours: int
    notify: tuple[str, ...]


def parse_escalation(raw, held_roles: set[str] | None = None, entry: str = "sop.escalation"
                     ) -> tuple[list[Level], list[str]]:
    """The levels of an `escalation:` list and the problems found (roles known and, if given, held)."""
    if not isinstance(raw, list):
        return [], [f"{entry}: " + _("harus berupa daftar tingkat eskalasi")]
    levels: list[Level] = []
    problems: list[str] = []
    for i, item in enumerate(raw):
        where = f"{entry}[{i + 1}]"
        hours = item.get("after_hours") if isinstance(item, dict) else None
        roles = item.get("notify") if isinstance(item, dict) else None
        if isinstance(hours, bool) or not isinstance(hours, int) or hours < 0:
            problems.append(f"{where}: " + _("'after_hours' harus bilangan bulat 0 atau lebih"))
            continue
        if levels and hours <= levels[-1].after_hours:
            problems.append(f"{where}: " + _("'after_hours' harus lebih besar dari tingkat sebelumnya"))
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            problems.append(f"{where}: " + _("'notify' harus daftar peran yang tidak kosong"))
            continue
        for role in roles:
            if role not in ROLES:
                problems.append(f"{where}: " + _("peran '%(r)s' tidak dikenal", r=role))
            elif held_roles is not None and role not in held_roles:
                problems.append(f"{where}: " + _("tidak ada jabatan dengan peran %(r)s", r=role))
        levels.append(Level(hours, tuple(roles)))
    return levels, problems


def levels_for(definition: dict) -> list[Level]:
    """The escalation levels of an SOP definition (validated when the template was loaded)."""
    levels, _problems = parse_escalation(list((definition or {}).get(ACTION, DEFAULT)))
    return levels


def sweep_overdue(now: datetime) -> int:
    """Fire the due escalation levels of every overdue open case in every active region; returns how
    many levels fired. Idempotent: a level fires once per stage visit."""
    fired = 0
    tenants = db.session.scalars(select(Tenant).where(Tenant.status == TenantStatus.ACTIVE.value)).all()
    for tenant in tenants:
        with tenant_context(tenant):
            fired += sweep_region(now)
            db.session.commit()
    return fired


def sweep_region(now: datetime) -> int:
    """`sweep_overdue` for the current region only (flushes, does not commit)."""
    from app.casework.staffing import Staffing

    cases = db.session.scalars(select(Case).where(Case.closed_at.is_(None), Case.due_at.is_not(None),
                                                  Case.due_at <= now)).all()
    staffing = Staffing.now() if cases else None
    fired = 0
    for case in cases:
        for number, level in _due_levels(case, now):
            _fire(case, number, level, now, staffing)
            fired += 1
    return fired


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _due_levels(case: Case, now: datetime) -> list[tuple[int, Level]]:
    """(number, level) of the levels due now and not yet fired in the case's current stage visit."""
    if case.due_at is None:
        return []
    visit = _visit(case)
    done = {(e.data or {}).get("level") for e in db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == ACTION))
        if (e.data or {}).get("visit") == visit}
    due = _aware(case.due_at)
    return [(n, lv) for n, lv in enumerate(levels_for(case.sop_version.definition), start=1)
            if n not in done and due + timedelta(hours=lv.after_hours) <= _aware(now)]


def _fire(case: Case, number: int, level: Level, now: datetime, staffing) -> None:
    from app.notices.operations import notify

    db.session.add(CaseEvent(case_id=case.id, at=now, user_id=None, actor_name="SLRT Cloud",
                             action=ACTION, label=_("Eskalasi batas waktu (tingkat %(n)s)", n=number),
                             from_state=case.state, to_state=case.state,
                             data={"level": number, "roles": list(level.notify), "after_hours": level.after_hours,
                                   "visit": _visit(case)}))
    told = [m for role in level.notify for m in staffing.by_role[role].near(case)]
    if number == 1:
        told += staffing.takers(case)  # the case's handlers learn it too
    label = case.sop_version.sop.state(case.state).label
    notify([m.user for m in told], NoticeKind.SLA_PASSED, case, stage=_visit(case) + f":L{number}",
           stage_label=label, level=number)
    db.session.flush()


def _visit(case: Case) -> str:
    """The case's current stage visit (the same stage reached again later is a new visit)."""
    return f"{case.state}@{_aware(case.state_entered_at):%Y%m%dT%H%M%S}"
