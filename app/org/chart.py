"""Reading the org chart in a fixed number of queries, whatever its size."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Membership, MembershipArea
from app.extensions import db
from app.org.models import OrgUnit, Position


@dataclass
class UnitNode:
    unit: OrgUnit
    positions: list[Position] = field(default_factory=list)
    children: list[UnitNode] = field(default_factory=list)


def org_tree() -> list[UnitNode]:
    """Root nodes of the current region's chart (retired units left out)."""
    units = db.session.scalars(
        select(OrgUnit).where(OrgUnit.retired_at.is_(None)).order_by(OrgUnit.sort_order)
    ).all()
    positions = db.session.scalars(
        select(Position)
        .where(Position.retired_at.is_(None))
        .order_by(Position.sort_order)
        .options(
            selectinload(Position.memberships).selectinload(Membership.user),
            selectinload(Position.memberships)
            .selectinload(Membership.areas)
            .options(selectinload(MembershipArea.district), selectinload(MembershipArea.village)),
        )
    ).all()
    by_unit: dict = defaultdict(list)
    for position in positions:
        by_unit[position.unit_id].append(position)
    nodes = {u.id: UnitNode(u, by_unit.get(u.id, [])) for u in units}
    roots = []
    for unit in units:
        node = nodes[unit.id]
        if unit.parent_id and unit.parent_id in nodes:
            nodes[unit.parent_id].children.append(node)
        else:
            roots.append(node)
    return roots


def active_holders(position: Position) -> list[Membership]:
    return [m for m in position.memberships if m.active and m.user.active]
