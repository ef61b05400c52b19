"""What renaming a stage of the SOP or a post of the org chart affects, said before it happens.

A rename is asked again with these facts (the old and the new name, who and what shows it)
until the same new name comes back confirmed: the routes enforce it, not the browser. The
rename itself is then saved as any other edit and recorded in the configuration history.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.casework.models import Case, SopVersion
from app.casework.sop_store import current_version
from app.extensions import db
from app.org.models import Position
from app.org.operations import active_holders_of


@dataclass
class Rename:
    """A rename waiting for its confirmation, and what it affects."""

    old: str
    new: str
    #: Open cases now in the stage (a stage) / waiting for the post's role (a post).
    open_cases: int = 0
    #: People holding the post (a post).
    holders: list[str] = field(default_factory=list)
    #: Steps of the SOP in force that the post's role takes (a post).
    steps: int = 0
    #: Other posts in service with the same role, whose titles show with this one (a post).
    sharing: list[str] = field(default_factory=list)

    def confirmed_by(self, value: str | None) -> bool:
        """Whether `value` (the confirmation field sent back) confirms this very name."""
        return (value or "").strip() == self.new


def _text(value) -> str:
    return str(value or "").strip()


def stage_rename(definition: dict, key: str, label: str) -> Rename | None:
    """Renaming stage `key` of a draft to `label`, if that is a rename needing confirmation.

    None when the name does not change, or when the stage is not in the version in force (only
    the draft has it, so no case and no citizen has seen its name yet).
    """
    stage = next((s for s in definition.get("states") or [] if isinstance(s, dict) and s.get("key") == key), None)
    new = _text(label)
    if stage is None or not new or new == _text(stage.get("label")):
        return None
    if not any(s.get("key") == key for s in current_version().definition.get("states") or []):
        return None
    open_cases = db.session.scalar(select(func.count()).select_from(Case)
                                   .where(Case.state == key, Case.closed_at.is_(None))) or 0
    return Rename(old=_text(stage.get("label")) or key, new=new, open_cases=open_cases)


def waiting_for_role(role: str) -> int:
    """Open cases whose stage now waits on `role` (their inbox is that role's, under their own version)."""
    rows = db.session.execute(select(Case.sop_version_id, Case.state, func.count()).where(Case.closed_at.is_(None))
                              .group_by(Case.sop_version_id, Case.state)).all()
    versions = {v.id: v for v in db.session.scalars(
        select(SopVersion).where(SopVersion.id.in_({row[0] for row in rows})))} if rows else {}
    total = 0
    for version_id, state, count in rows:
        version = versions.get(version_id)
        if version is not None and state in version.sop.states and role in version.sop.waiting_roles(state):
            total += count
    return total


def position_rename(position: Position, title: str) -> Rename | None:
    """Renaming post `position` to `title`, if that is a rename (the title changes)."""
    new = _text(title)
    if not new or new == _text(position.title):
        return None
    sop = current_version().sop
    sharing = list(db.session.scalars(select(Position.title).where(
        Position.role == position.role, Position.id != position.id, Position.retired_at.is_(None))
        .order_by(Position.sort_order)))
    return Rename(old=position.title, new=new, holders=[m.user.name for m in active_holders_of([position.id])],
                  steps=sum(1 for t in sop.transitions if position.role in t.roles),
                  open_cases=waiting_for_role(position.role), sharing=sharing)
