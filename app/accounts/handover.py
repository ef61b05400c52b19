"""Handing a member's open cases over to a colleague (when they leave or change post).

"Their open cases" are the open cases assigned to them, plus the pooled ones waiting on
their role in a place no other active member with that role covers (a facilitator's
village with no other facilitator). Each reassignment is a case event and an audit event.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Membership, MembershipArea
from app.accounts.staff import area_names
from app.audit.log import record
from app.casework.inbox import InboxFilters, visible_cases
from app.casework.models import Case, CaseEvent
from app.casework.staffing import Staffing, active_members
from app.casework.steps import covers
from app.extensions import db
from app.org.operations import raise_if
from app.org.vocabulary import ROLES
from app.tenancy.models import utcnow


@dataclass
class OpenWork:
    """A member's open cases: assigned to them, and pooled ones nobody else would see."""

    assigned: list = field(default_factory=list)
    uncovered: list = field(default_factory=list)

    @property
    def cases(self) -> list:
        return self.assigned + self.uncovered


def open_work(membership: Membership) -> OpenWork:
    """The open cases that would be left without an officer if this member were gone: those
    assigned to them, and the pooled ones no other active member can take (`Staffing`)."""
    options = (selectinload(Case.citizen), selectinload(Case.sop_version))
    assigned = list(db.session.scalars(select(Case).where(
        Case.assignee_id == membership.user_id, Case.closed_at.is_(None)).order_by(Case.created_at).options(*options)))
    pooled = visible_cases(membership, InboxFilters(view="mine")).where(Case.assignee_id.is_(None))
    candidates = list(db.session.scalars(pooled.order_by(Case.created_at).options(*options)))
    return OpenWork(assigned=assigned, uncovered=Staffing.now().sole_taker_of(membership, candidates))


def candidates_for(cases: list[Case], source: Membership | None) -> list[Membership]:
    """Active members (not `source`) holding a role some of these cases wait on."""
    roles = set()
    for case in cases:
        roles |= case.sop_version.sop.waiting_roles(case.state)
    return [m for m in active_members() if m.position.role in roles and (source is None or m.id != source.id)]


def reassign_cases(case_ids, *, source: Membership, target: Membership | None, note: str = "",
                   add_areas: bool = False, user, actor) -> list[Case]:
    """Make `target` the assignee of the chosen cases among `source`'s open work.

    With `add_areas`, `source`'s work areas are added to `target`'s first (same area level
    only), so `target` also covers the places those cases come from.
    """
    work = {c.id: c for c in open_work(source).cases}
    cases = [work[i] for i in dict.fromkeys(case_ids) if i in work]
    errors: dict[str, list[str]] = {"case_ids": [], "target_id": [], "add_areas": []}
    if not cases:
        errors["case_ids"].append(_("Pilih minimal satu kasus yang akan dialihkan."))
    if target is None or not target.active or not target.user.active or target.id == source.id:
        errors["target_id"].append(_("Pilih petugas aktif dari daftar."))
    raise_if(errors)
    assert target is not None  # a missing target was refused just above
    if add_areas and (target.position.area_level is None
                      or target.position.area_level != source.position.area_level):
        errors["add_areas"].append(_("Wilayah kerja hanya dapat ditambahkan ke petugas dengan tingkat wilayah yang "
                                     "sama (%(n)s bekerja di seluruh daerah atau di tingkat lain).",
                                     n=target.user.name))
    for case in cases:
        waiting = case.sop_version.sop.waiting_roles(case.state)
        if target.position.role not in waiting:
            errors["target_id"].append(_("Kasus %(t)s menunggu %(r)s; %(n)s berperan %(x)s.", t=case.ticket,
                                         r=", ".join(str(ROLES.get(r, r)) for r in sorted(waiting)),
                                         n=target.user.name, x=target.position.role_label))
        elif not covers(target, case) and not (add_areas and covers(source, case)):
            errors["target_id"].append(_("%(n)s tidak bekerja di wilayah kasus %(t)s. Centang \u201cTambahkan juga "
                                         "wilayah kerja\u201d atau pilih petugas lain.", n=target.user.name,
                                         t=case.ticket))
    raise_if(errors)
    if add_areas:
        _add_areas(target, source)
    _hand_to(cases, target, note=note, user=user, actor=actor, source=source)
    return cases


def assign_case(case: Case, *, target: Membership | None, note: str = "", user, actor) -> Case:
    """Give a case to an active member holding a role its stage waits on (a manager's decision for
    a case nobody can take). Their areas need not include it: the holder of a case acts on it."""
    errors: dict[str, list[str]] = {"target_id": []}
    waiting = case.sop_version.sop.waiting_roles(case.state)
    if case.closed_at is not None:
        errors["target_id"].append(_("Kasus %(t)s sudah selesai.", t=case.ticket))
    elif target is None or not target.active or not target.user.active or target.position.retired_at is not None:
        errors["target_id"].append(_("Pilih petugas aktif dari daftar."))
    elif target.position.role not in waiting:
        errors["target_id"].append(_("Kasus %(t)s menunggu %(r)s; %(n)s berperan %(x)s.", t=case.ticket,
                                     r=", ".join(str(ROLES.get(r, r)) for r in sorted(waiting)),
                                     n=target.user.name, x=target.position.role_label))
    raise_if(errors)
    assert target is not None  # a missing target was refused just above
    _hand_to([case], target, note=note, user=user, actor=actor, source=None)
    return case


def _hand_to(cases, target: Membership, *, note: str, user, actor, source: Membership | None) -> None:
    """Make `target` the assignee of `cases`: a case event and an audit event each."""
    now = utcnow()
    title = actor.position.title if actor is not None else ""
    for case in cases:
        before = case.assignee.name if case.assignee is not None else None
        case.assignee_id = target.user_id
        db.session.add(CaseEvent(case_id=case.id, at=now, user_id=user.id, actor_name=user.name, actor_title=title,
                                 action="reassign", label=_("Dialihkan ke %(n)s", n=target.user.name),
                                 note=note.strip(), data={"from": before or (source.user.name if source else ""),
                                                          "to": target.user.name}))
        extra = {"from_member": source.user.email} if source is not None else {}
        record("config.case.reassign", "case", case.id, ticket=case.ticket, before={"assignee": before},
               after={"assignee": target.user.name}, **extra)
    db.session.flush()


def _add_areas(target: Membership, source: Membership) -> None:
    have = {(a.district_code, a.village_code) for a in target.areas}
    before = area_names(target.areas)
    added = [(a.district_code, a.village_code) for a in source.areas if (a.district_code, a.village_code) not in have]
    for district, village in added:
        target.areas.append(MembershipArea(district_code=district, village_code=village))
    if added:
        db.session.flush()
        record("config.staff.move", "membership", target.id, before={"areas": before},
               after={"areas": area_names(target.areas)}, reason="handover", from_member=source.user.email)

