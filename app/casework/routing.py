"""Which back-office units a member covers: their own and the units under it.

A case routed to a unit waits on that unit's officers and on the units above it (a head of
section oversees the sections below). A unit with no post of its own (a general back office
that exists only as the parent of its sections) passes its cases down: the officers of the
units under it cover them.
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.kept import kept
from app.org.models import OrgUnit, Position


class UnitTree:
    """The region's units as a tree, loaded once, for computing many members' scopes."""

    def __init__(self) -> None:
        self.parents = dict(db.session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all())
        self.staffed = set(db.session.scalars(select(Position.unit_id).where(Position.retired_at.is_(None))))
        self.children: dict = {}
        for uid, parent in self.parents.items():
            self.children.setdefault(parent, []).append(uid)

    def scope(self, unit_id) -> set:
        """`unit_id`, every unit under it, and every unit above it up to the first with a post of its own."""
        scope, frontier = {unit_id}, [unit_id]
        while frontier:
            for child in self.children.get(frontier.pop(), []):
                scope.add(child)
                frontier.append(child)
        parent = self.parents.get(unit_id)
        while parent is not None and parent not in scope and parent not in self.staffed:
            scope.add(parent)
            parent = self.parents.get(parent)
        return scope


def unit_tree() -> UnitTree:
    """The region's unit tree, read once per transaction (`app.kept`; afresh after a unit or post is written)."""
    return kept("org.unit_tree", UnitTree, watch=(OrgUnit, Position))


def unit_scope(unit_id) -> set:
    """The units whose cases a back-office member of `unit_id` covers (see `UnitTree.scope`)."""
    return unit_tree().scope(unit_id)


def covers_unit(membership, case) -> bool:
    """Back-office members act on cases routed within their unit scope; others are not bound."""
    unit = membership.position.unit
    if unit.kind != "back_office" or case.unit_id is None:
        return True
    return case.unit_id in unit_scope(unit.id)
