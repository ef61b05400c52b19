"""Which back-office units a member covers: their own, the units under it, and the units
above it (a case routed to a general back office with no post of its own reaches the
officers of its sections)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit


def unit_scope(unit_id) -> set:
    """`unit_id`, every unit under it, and every unit above it."""
    parents = dict(db.session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
    children: dict = {}
    for uid, parent in parents.items():
        children.setdefault(parent, []).append(uid)
    scope, frontier = {unit_id}, [unit_id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            scope.add(child)
            frontier.append(child)
    parent = parents.get(unit_id)
    while parent is not None and parent not in scope:
        scope.add(parent)
        parent = parents.get(parent)
    return scope


def covers_unit(membership, case) -> bool:
    """Back-office members act on cases routed within their unit scope; others are not bound."""
    unit = membership.position.unit
    if unit.kind != "back_office" or case.unit_id is None:
        return True
    return case.unit_id in unit_scope(unit.id)
