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

from app.accounts.models import Membership, MembershipArea, User
from app.accounts.staff import area_names
from app.audit.log import record
from app.casework.inbox import InboxFilters, visible_cases
from app.casework.models import Case, CaseEvent
from app.casework.steps import covers
from app.extensions import db
from app.org.models import Position
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


def _active_members(role: str | None = None, exclude=None) -> list[Membership]:
    query = (select(Membership).join(User, User.id == Membership.user_id)
             .join(Position, Position.id == Membership.position_id)
             .where(Membership.active.is_(True), User.active.is_(True), Position.retired_at.is_(None))
             .options(selectinload(Membership.areas), selectinload(Membership.user),
                      selectinload(Membership.position).selectinload(Position.unit))
             .order_by(User.name))
    if role is not None:
        query = query.where(Position.role == role)
    if exclude is not None:
        query = query.where(Membership.id != exclude.id)
    return list(db.session.scalars(query))


def open_work(membership: Membership) -> OpenWork:
    """The open cases that would be left without an officer if this member were gone."""
    options = (selectinload(Case.citizen), selectinload(Case.sop_version))
    assigned = list(db.session.scalars(select(Case).where(
        Case.assignee_id == membership.user_id, Case.closed_at.is_(None)).order_by(Case.created_at).options(*options)))
    pooled = visible_cases(membership, InboxFilters(view="mine")).where(Case.assignee_id.is_(None))
    remaining = {c.id: c for c in db.session.scalars(pooled.order_by(Case.created_at).options(*options))}
    for other in _active_members(membership.position.role, exclude=membership):
        if not remaining:
            break
        # Only colleagues whose areas cover a case can see it; the inbox itself decides the rest.
        nearby = [case_id for case_id, case in remaining.items() if covers(other, case)]
        if not nearby:
            continue
        seen = visible_cases(other, InboxFilters(view="mine")).where(Case.id.in_(nearby))
        for case_id in db.session.scalars(seen.with_only_columns(Case.id)):
            remaining.pop(case_id, None)
    return OpenWork(assigned=assigned, uncovered=list(remaining.values()))


def candidates_for(cases: list[Case], source: Membership) -> list[Membership]:
    """Active members (not `source`) holding a role some of these cases wait on."""
    roles = set()
    for case in cases:
        roles |= case.sop_version.sop.waiting_roles(case.state)
    return [m for m in _active_members(exclude=source) if m.position.role in roles]


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
    if add_areas and (target.position.area_level is None
                      or target.position.area_level != source.position.area_level):
        errors["add_areas"].append(_("Wilayah kerja hanya dapat ditambahkan ke petugas dengan tingkat wilayah yang "
                                     "sama (%(n)s bekerja di seluruh daerah atau di tingkat lain).", n=target.user.name))
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
    now = utcnow()
    title = actor.position.title if actor is not None else ""
    for case in cases:
        before = db.session.get(User, case.assignee_id).name if case.assignee_id else None
        case.assignee_id = target.user_id
        db.session.add(CaseEvent(case_id=case.id, at=now, user_id=user.id, actor_name=user.name, actor_title=title,
                                 action="reassign", label=_("Dialihkan ke %(n)s", n=target.user.name),
                                 note=note.strip(), data={"from": before or source.user.name,
                                                          "to": target.user.name}))
        record("config.case.reassign", "case", case.id, ticket=case.ticket, before={"assignee": before},
               after={"assignee": target.user.name}, from_member=source.user.email)
    db.session.flush()
    return cases


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

