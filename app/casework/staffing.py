"""Who could take the step a case waits on, and the cases nobody can take ("tanpa petugas").

One rule, shared by the manager's inbox flag, the home page count, the page where the manager
assigns such cases, and the staff page's "depends only on this person". A case waits on the
roles of its stage's steps (the SOP). An assigned case waits on its assignee only; a pooled
one on every active member with one of those roles whose areas and back-office unit scope
include it — exactly who has it in "Menunggu saya" and may act (`steps.allowed_steps`).
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Membership, MembershipArea, User
from app.casework.models import Case
from app.casework.routing import UnitTree, unit_tree
from app.casework.sop_store import versions_in_use
from app.casework.steps import covers
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.org.vocabulary import ROLES
from app.reference.models import District, Village

BACK_OFFICE = "back_office"

#: The columns a case needs for the rule (light rows for counting every open case).
_RULE_COLUMNS = (Case.id, Case.sop_version_id, Case.state, Case.assignee_id, Case.district_code,
                 Case.village_code, Case.unit_id)


def active_members(roles: Collection[str] | None = None) -> list[Membership]:
    """Every member who can work today: active post holder, active account, post not retired
    (only those holding one of `roles`, when given)."""
    stmt = (select(Membership).join(User, User.id == Membership.user_id)
            .join(Position, Position.id == Membership.position_id)
            .where(Membership.active.is_(True), User.active.is_(True), Position.retired_at.is_(None))
            .options(selectinload(Membership.areas), joinedload(Membership.user),  # one row each: joined
                     joinedload(Membership.position).joinedload(Position.unit))
            .order_by(User.name))
    if roles is not None:
        stmt = stmt.where(Position.role.in_(sorted(roles)))
    return list(db.session.scalars(stmt))


class _Unit(NamedTuple):
    id: uuid.UUID
    kind: str


class _Post(NamedTuple):
    role: str
    unit: _Unit


class _Area(NamedTuple):
    district_code: str
    village_code: str | None


@dataclass(eq=False)  # one per member, compared by identity as ORM instances are
class Holder:
    """A member as the rule reads them (post, unit, areas), from plain rows: enough to find the takers
    of a case without loading members, users, posts and units as ORM objects."""

    id: uuid.UUID
    user_id: uuid.UUID
    position: _Post
    areas: list[_Area] = field(default_factory=list)


def role_holders(roles: Collection[str]) -> list[Holder]:
    """The active members holding one of `roles` (as `active_members`), in one statement of plain rows."""
    rows = db.session.execute(
        select(Membership.id, Membership.user_id, Position.role, OrgUnit.id.label("unit_id"), OrgUnit.kind,
               MembershipArea.district_code, MembershipArea.village_code)
        .join(User, User.id == Membership.user_id)
        .join(Position, Position.id == Membership.position_id)
        .join(OrgUnit, OrgUnit.id == Position.unit_id)
        .outerjoin(MembershipArea, MembershipArea.membership_id == Membership.id)
        .where(Membership.active.is_(True), User.active.is_(True), Position.retired_at.is_(None),
               Position.role.in_(sorted(roles)))
        .order_by(User.name, Membership.id))
    holders: dict[uuid.UUID, Holder] = {}
    for row in rows:
        holder = holders.get(row.id)
        if holder is None:
            holder = holders[row.id] = Holder(row.id, row.user_id, _Post(row.role, _Unit(row.unit_id, row.kind)))
        if row.district_code:
            holder.areas.append(_Area(row.district_code, row.village_code))
    return list(holders.values())


@dataclass
class _RoleHolders:
    """The active members with one role, indexed by where they work."""

    region_wide: list = field(default_factory=list)
    by_district: dict = field(default_factory=lambda: defaultdict(list))
    by_village: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, member: Membership) -> None:
        if not member.areas:
            self.region_wide.append(member)
        for area in member.areas:
            if area.village_code:
                self.by_village[area.village_code].append(member)
            else:
                self.by_district[area.district_code].append(member)

    def near(self, case) -> list[Membership]:
        """Those whose areas include the case's place (no areas: the whole region)."""
        found = self.region_wide + self.by_district.get(case.district_code, []) + \
            self.by_village.get(case.village_code, [])
        return list(dict.fromkeys(found))


class Staffing:
    """A snapshot of who works here now, to answer "who could take this case?" for many cases."""

    def __init__(self, members: list[Membership]) -> None:
        self.members = members
        self.by_user = {m.user_id: m for m in members}
        self.by_role: dict[str, _RoleHolders] = defaultdict(_RoleHolders)
        for member in members:
            self.by_role[member.position.role].add(member)
        self.sops = _sops_in_use()
        self._tree: UnitTree | None = None  # loaded when a back-office member's scope is first needed
        self._scopes: dict = {}

    @classmethod
    def now(cls, roles: Collection[str] | None = None) -> Staffing:
        """Who works here now (only the holders of `roles`, when given: enough for `takers` of a
        case waiting on those roles)."""
        return cls(active_members(roles))

    @classmethod
    def holding(cls, roles: Collection[str]) -> Staffing:
        """The holders of `roles` as plain rows (`Holder`): for `takers` when only their user ids are
        needed (whom to notify), not their accounts."""
        return cls(role_holders(roles))  # type: ignore[arg-type]

    @classmethod
    def for_cases(cls, cases) -> Staffing:
        """Enough of who works here to judge `cases`: the holders of the roles they wait on (an
        inbox page's rows need a few roles, not every member of the region with their areas)."""
        sops = _sops_in_use()
        return cls.now(set().union(*(_waiting_roles(sops, case) for case in cases)))

    def waiting_roles(self, case) -> set[str]:
        return _waiting_roles(self.sops, case)

    def _covers_unit(self, member: Membership, case) -> bool:
        unit = member.position.unit
        if unit.kind != BACK_OFFICE or case.unit_id is None:
            return True
        if unit.id not in self._scopes:
            if self._tree is None:
                self._tree = unit_tree()
            self._scopes[unit.id] = self._tree.scope(unit.id)
        return case.unit_id in self._scopes[unit.id]

    def can_take(self, member: Membership, case) -> bool:
        """Whether `member` (active or not) would have this case in "Menunggu saya" and may act on it."""
        if member.position.role not in self.waiting_roles(case):
            return False
        if case.assignee_id is not None:
            return case.assignee_id == member.user_id
        return covers(member, case) and self._covers_unit(member, case)

    def takers(self, case) -> list[Membership]:
        """The active members who have this case in "Menunggu saya" and may take its next step."""
        roles = self.waiting_roles(case)
        if case.assignee_id is not None:
            holder = self.by_user.get(case.assignee_id)
            return [holder] if holder is not None and holder.position.role in roles else []
        found = [m for role in sorted(roles) for m in self.by_role[role].near(case) if self._covers_unit(m, case)]
        return list(dict.fromkeys(found))

    def reason(self, case) -> str:
        """Why nobody can take this case (empty when someone can)."""
        if self.takers(case):
            return ""
        roles = self.waiting_roles(case)
        names = ", ".join(str(ROLES.get(r, r)) for r in sorted(roles))
        if case.assignee_id is not None:
            holder = db.session.get(User, case.assignee_id)
            return _("Ditugaskan kepada %(n)s, yang tidak lagi bertugas sebagai %(r)s di sini.",
                     n=holder.name if holder else "?", r=names)
        holders = [m for r in roles for m in self.members if m.position.role == r]
        if not holders:
            return _("Tidak ada petugas aktif dengan peran %(r)s.", r=names)
        near = [m for r in roles for m in self.by_role[r].near(case)]
        if not near:
            return _("Tidak ada %(r)s aktif yang wilayah kerjanya mencakup %(p)s.", r=names, p=_place(case))
        unit = case.unit.name if getattr(case, "unit", None) is not None else ""
        return _("Tidak ada %(r)s aktif di unit %(u)s.", r=names, u=unit)

    def reasons(self, cases) -> dict:
        """case id -> why nobody can take it, for the cases among `cases` that nobody can take."""
        untaken = [c for c in cases if not self.takers(c)]
        places = _load_places(untaken)  # held while the reasons are written, so `_place` finds them
        reasons = {c.id: self.reason(c) for c in untaken}
        del places
        return reasons

    def unstaffed_ids(self, *conditions) -> set:
        """The ids of the open cases (matching `conditions`) that no active member can take."""
        rows = db.session.execute(select(*_RULE_COLUMNS).where(Case.closed_at.is_(None), *conditions)).all()
        return {row.id for row in rows if not self.takers(row)}

    def unstaffed_total(self, *conditions) -> int:
        """How many open cases (matching `conditions`) no active member can take. The rule reads only
        the rule columns, so it runs once per distinct combination of them, counted by the database
        (at 1,000,000 cases: 2,670 open cases of a region read as rows, the same count from far fewer)."""
        columns = _RULE_COLUMNS[1:]
        rows = db.session.execute(select(*columns, func.count().label("cases"))
                                  .where(Case.closed_at.is_(None), *conditions).group_by(*columns)).all()
        return sum(row.cases for row in rows if not self.takers(row))

    def sole_taker_of(self, member: Membership, cases) -> list:
        """Those of `cases` that `member` can take and no other active member can (they depend on them)."""
        return [c for c in cases if self.can_take(member, c)
                and all(t.id == member.id for t in self.takers(c))]


def _sops_in_use() -> dict:
    return {v.id: v.sop for v in versions_in_use()}


def _waiting_roles(sops: dict, case) -> set[str]:
    """The roles `case` waits on, by the SOP version it follows (in use, or its own)."""
    return (sops.get(case.sop_version_id) or case.sop_version.sop).waiting_roles(case.state)


def _load_places(cases) -> list:
    """The districts and villages of `cases` in two statements (a page of cases, not one per row)."""
    districts = {c.district_code for c in cases if c.district_code}
    villages = {c.village_code for c in cases if c.village_code}
    loaded: list = []
    if districts:
        loaded += db.session.scalars(select(District).where(District.code.in_(districts))).all()
    if villages:
        loaded += db.session.scalars(select(Village).where(Village.code.in_(villages))).all()
    return loaded


def _place(case) -> str:
    district = db.session.get(District, case.district_code)
    village = db.session.get(Village, case.village_code) if case.village_code else None
    if village is not None and district is not None:
        return _("%(v)s, Kecamatan %(d)s", v=village.name, d=district.name)
    return district.name if district is not None else case.district_code


def unstaffed_reasons(membership, cases) -> dict:
    """For a member who oversees cases: case id -> why nobody can take it, among `cases`."""
    from app.permissions import Capability, can

    if not can(membership, Capability.OVERSEE_CASES) or not cases:
        return {}
    return Staffing.for_cases(cases).reasons(cases)


def unstaffed_count(membership) -> int:
    """How many open cases this member may see that no active member can take (0 if not an overseer)."""
    from app.casework.access import visible_condition
    from app.permissions import Capability, can

    if not can(membership, Capability.OVERSEE_CASES):
        return 0
    return Staffing.now().unstaffed_total(visible_condition(membership))


def unstaffed_cases(membership) -> tuple[list[Case], dict]:
    """The open cases this member may see that nobody can take, oldest first, with the reasons."""
    from app.casework.access import visible_condition

    staffing = Staffing.now()
    ids = staffing.unstaffed_ids(visible_condition(membership))
    cases = list(db.session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.created_at).options(
        selectinload(Case.citizen), selectinload(Case.sop_version), selectinload(Case.unit)))) if ids else []
    return cases, staffing.reasons(cases)
