"""A region's SOP draft: start it from the current version, check it, publish or discard it.

At most one `SopVersion` with status "draft" per region. Publishing makes it the version
new cases start under; open cases keep the version they were opened under (they pin
`sop_version_id`). Every change is an audit event `config.sop.*`. Functions flush at
most; the request commits.
"""
from __future__ import annotations

import copy
import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.log import record
from app.casework.models import SopVersion
from app.casework.sop import SopError, check_roles_held, parse_sop
from app.casework.sop_checks import channel_problems, posts_in_service
from app.casework.sop_checks import publish_warnings as sop_publish_warnings
from app.casework.sop_diff import Change, diff_sop
from app.casework.sop_procedure import titles_by_role
from app.casework.sop_store import current_version
from app.casework.step_kinds import kind_of
from app.casework.vocabulary import SopStatus
from app.errors import Invalid
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.org.service_areas import own_area_keys
from app.tenancy.models import utcnow


class DraftInvalid(Invalid):
    """Publishing was refused: the draft still has problems."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(errors={"": problems})


def back_office_units() -> list[OrgUnit]:
    """Back-office units in service (routing may point only at these)."""
    return list(db.session.scalars(select(OrgUnit).where(OrgUnit.kind == "back_office", OrgUnit.retired_at.is_(None))
                                   .order_by(OrgUnit.sort_order)))


def held_roles() -> set[str]:
    """Roles held by at least one position in service."""
    return set(db.session.scalars(select(Position.role).where(Position.retired_at.is_(None)).distinct()))


def check_definition(definition: dict) -> list[str]:
    """Everything wrong with `definition` as this region's SOP (empty when it can be published)."""
    try:
        sop = parse_sop(definition, unit_keys=[u.key for u in back_office_units()], own_areas=own_area_keys())
    except SopError as exc:
        return list(exc.problems)
    return (check_roles_held(sop, held_roles(), channels=False) + channel_problems(sop, posts_in_service())
            + check_kept_approvals(definition))


def publish_warnings(definition: dict) -> list[str]:
    """What publishing `definition` would go ahead with but warn about (empty while it has problems)."""
    try:
        sop = parse_sop(definition, unit_keys=[u.key for u in back_office_units()], own_areas=own_area_keys())
    except SopError:
        return []
    return sop_publish_warnings(sop)


def check_kept_approvals(definition: dict) -> list[str]:
    """A step whose kind always needs approval (a referral request) must lead to a stage with an approval."""
    steps = [t for t in definition.get("transitions") or [] if isinstance(t, dict)]
    kinds = {str(t.get("key")): kind_of(t.get("kind") or "forward") for t in steps}
    approving = {t.get("from") for t in steps if (k := kinds[str(t.get("key"))]) and k.approval and not k.sends_back}
    problems = []
    for step in steps:
        kind = kinds[str(step.get("key"))]
        if kind is None or not kind.keeps_approval:
            continue
        if step.get("to") not in approving:
            problems.append(f"sop.transitions ({step.get('key')}): "
                            + _("langkah jenis \u201c%(k)s\u201d harus menuju tahap yang berisi langkah persetujuan",
                                k=kind.label))
    return problems


_PROBLEM = re.compile(r"^sop\.(states|transitions|channels|routing)(?:\[\d+\])?(?:\.([\w-]+))?(?: \(([^)]*)\))?: (.*)$",
                      re.S)
_PLACE = {"states": "stage", "transitions": "step", "channels": "channel", "routing": "routing"}


def place_problems(problems: list[str]) -> dict[str, list[str]]:
    """Problems by where they show: `step:<key>`, `stage:<key>`, `channel:<key>`, `routing:<area>`.

    Problems that belong nowhere in particular go under `general`.
    """
    placed: dict[str, list[str]] = {}
    for problem in problems:
        match = _PROBLEM.match(problem)
        if not match:
            placed.setdefault("general", []).append(problem)
            continue
        section, sub, key, message = match.groups()
        target = key if section != "routing" else sub
        where = f"{_PLACE[section]}:{target}" if target else _PLACE[section]
        placed.setdefault(where, []).append(message)
    return placed


def current_draft(for_update: bool = False) -> SopVersion | None:
    """The region's draft, if a manager has started one."""
    query = select(SopVersion).where(SopVersion.status == SopStatus.DRAFT)
    if for_update:
        query = query.with_for_update()
    return db.session.scalar(query)


def _next_number() -> int:
    return (db.session.scalar(select(func.max(SopVersion.number))) or 0) + 1


def start_draft(user) -> SopVersion:
    """The draft, created from a copy of the current version if there is none yet."""
    draft = current_draft()
    if draft is not None:
        return draft
    base = current_version()
    draft = SopVersion(number=_next_number(), status=SopStatus.DRAFT, definition=copy.deepcopy(base.definition),
                       regulation=base.regulation, note="")
    db.session.add(draft)
    db.session.flush()
    record("config.sop.draft_start", "sop_version", draft.id, number=draft.number, based_on=base.number)
    return draft


def save_draft(draft: SopVersion, definition: dict, what: str, **detail) -> list[Change]:
    """Store an edited definition in the draft; audits what changed. Returns the changes."""
    changes = _diff(draft.definition, definition)
    if not changes:
        return []
    draft.definition = definition
    if definition.get("regulation"):
        draft.regulation = str(definition["regulation"])
    db.session.flush()
    record("config.sop.draft_edit", "sop_version", draft.id, number=draft.number, edit=what,
           changes=[str(c) for c in changes], **detail)
    return changes


def set_note(draft: SopVersion, note: str) -> None:
    """The note published with the version (why it changed)."""
    note = note.strip()
    if note != (draft.note or ""):
        record("config.sop.draft_edit", "sop_version", draft.id, number=draft.number, edit="note",
               before=draft.note or "", after=note)
        draft.note = note


def discard_draft(draft: SopVersion) -> None:
    """Throw the draft away (it was never used by any case)."""
    record("config.sop.draft_discard", "sop_version", draft.id, number=draft.number)
    db.session.delete(draft)
    db.session.flush()


def unit_names() -> dict[str, str]:
    """Unit key → name, for readable routing lines."""
    return {u.key: u.name for u in db.session.scalars(select(OrgUnit))}


def _diff(old: dict, new: dict) -> list[Change]:
    """`diff_sop` in this region's words: unit names, and roles by the titles of its posts."""
    return diff_sop(old, new, unit_names=unit_names(), role_titles=titles_by_role())


def draft_changes(draft: SopVersion) -> list[Change]:
    """The draft against the version in force, as a readable list."""
    return _diff(current_version().definition, draft.definition)


def publish_draft(draft: SopVersion, user) -> SopVersion:
    """Make the draft the version new cases start under; the old one is superseded.

    Raises DraftInvalid while the draft has problems, or when it changes nothing.
    """
    problems = check_definition(draft.definition)
    if not (draft.regulation or "").strip():
        problems.append(_("Peraturan yang dilaksanakan versi ini wajib diisi."))
    old = current_version()
    changes = _diff(old.definition, draft.definition)
    if not problems and not changes:
        problems.append(_("Draf sama dengan versi yang berlaku; tidak ada yang diterbitkan."))
    if problems:
        raise DraftInvalid(problems)
    top = db.session.scalar(select(func.max(SopVersion.number)).where(SopVersion.id != draft.id)) or 0
    if draft.number <= top:  # a version was published since the draft began (e.g. an import)
        draft.number = top + 1
    old.status = SopStatus.SUPERSEDED
    draft.status, draft.published_at, draft.published_by = SopStatus.PUBLISHED, utcnow(), user.id
    db.session.flush()
    record("config.sop.publish", "sop_version", draft.id, number=draft.number, previous=old.number,
           regulation=draft.regulation, note=draft.note, changes=[str(c) for c in changes])
    return draft
