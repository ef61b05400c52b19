"""A reviewed record as a reviewer reads it: the household, whom it is about, what is proposed,
who proposed it, and its chain with each stage's legal basis."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.org.service_areas import area_label
from app.org.vocabulary import ROLES
from app.programs.models import Program
from app.reference.models import District, Village
from app.reviews.operations import open_stage, steps_of
from app.reviews.vocabulary import ReviewAction, ReviewDecision, ReviewedKind, ReviewStatus
from app.verval import summary
from app.verval.household import registered_household


@dataclass
class Stage:
    number: int
    action: str
    roles: str
    legal_basis: str
    state: str  # "done" | "open" | "waiting" | "rejected" | "stopped"


@dataclass
class ReviewView:
    kind: str
    kind_label: str
    record: object
    person: str
    what: str
    proposer: str
    village: str
    district: str
    stages: list[Stage] = field(default_factory=list)

    @property
    def open_stage(self) -> Stage | None:
        return next((s for s in self.stages if s.state == "open"), None)


def _stages(kind: str, record) -> list[Stage]:
    rejected_at = None
    if record.status == ReviewStatus.REJECTED:
        rejected_at = next((s.stage for s in steps_of(kind, record.id) if s.decision == ReviewDecision.REJECT), 0)
    out = []
    for i, stage in enumerate(record.chain or []):
        if record.status == ReviewStatus.PENDING:
            state = "done" if i < record.stage else ("open" if i == record.stage else "waiting")
        elif rejected_at is not None:
            state = "done" if i < rejected_at else ("rejected" if i == rejected_at else "stopped")
        else:
            state = "done"
        out.append(Stage(number=i + 1, action=ReviewAction.label_of(stage.get("action")),
                         roles=", ".join(str(ROLES.get(r, r)) for r in stage.get("roles") or []),
                         legal_basis=str(stage.get("legal_basis") or ""), state=state))
    return out


def _head_name(kk_number: str) -> str:
    household = registered_household(kk_number)
    if household is None or not household.members:
        return ""
    return household.members[0].name


def _program_name(program_id) -> str:
    if program_id is None:
        return ""
    return db.session.scalar(select(Program.name).where(Program.id == program_id)) or ""


def _what(kind: str, record) -> tuple[str, str]:
    """(person, what is proposed) of a record."""
    if kind == ReviewedKind.PARTICIPATION:
        return _head_name(record.kk_number), _("Menerima %(p)s", p=_program_name(record.program_id))
    if kind == ReviewedKind.NEED:
        needed = _program_name(record.program_id) or area_label(record.service_area)
        return _head_name(record.kk_number), _("Membutuhkan %(p)s: %(why)s", p=needed, why=record.reason)
    return summary.person_name(record) or _head_name(record.kk_number), summary.what(record)


def describe(kind: str, record) -> ReviewView:
    """The record in words, with its chain's stages (done, open, waiting)."""
    person, what = _what(kind, record)
    place = db.session.execute(select(Village.name, District.name)
                               .join(District, District.code == Village.district_code)
                               .where(Village.code == record.village_code)).first()
    proposer = db.session.scalar(select(User.name).where(User.id == record.created_by)) or ""
    return ReviewView(kind=kind, kind_label=ReviewedKind.label_of(kind), record=record, person=person, what=what,
                      proposer=proposer, village=place[0] if place else "", district=place[1] if place else "",
                      stages=_stages(kind, record))


def stage_label(record) -> str:
    """The open stage in words ("Menelaah — Supervisor"), or "" once decided."""
    stage = open_stage(record)
    if stage is None:
        return ""
    roles = ", ".join(str(ROLES.get(r, r)) for r in stage.get("roles") or [])
    return f"{ReviewAction.label_of(stage.get('action'))} — {roles}"


@dataclass
class StepView:
    """One decision, in words."""

    stage: int
    decision: str
    decision_label: str
    action_label: str
    role: str
    decider: str
    decided_at: object
    note: str
    legal_basis: str


def step_views(kind: str, record_id) -> list[StepView]:
    """Every decision taken on a record, with the decider's name."""
    steps = steps_of(kind, record_id)
    names = {user_id: name for user_id, name in db.session.execute(
        select(User.id, User.name).where(User.id.in_({s.decided_by for s in steps})))} if steps else {}
    return [StepView(stage=s.stage, decision=s.decision,
                     decision_label=_("Disetujui") if s.decision == ReviewDecision.APPROVE else _("Ditolak"),
                     action_label=ReviewAction.label_of(s.action), role=s.role, decider=names.get(s.decided_by, ""),
                     decided_at=s.decided_at, note=s.note, legal_basis=s.legal_basis) for s in steps]
