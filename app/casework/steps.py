"""Taking a step of the SOP on a case: the one place where a case changes state."""
from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from app.audit.log import record
from app.casework.errors import StaleCase, StepInvalid, StepNotAllowed
from app.casework.intake import due_at
from app.casework.models import Case, CaseEvent
from app.casework.notes import meaningful
from app.casework.routing import covers_unit
from app.casework.sop import Transition
from app.casework.step_kinds import StepInput
from app.casework.step_kinds.inform import INFORM_CHANNELS
from app.casework.step_kinds.referrals import open_referral
from app.extensions import db
from app.tenancy.models import utcnow

__all__ = ["INFORM_CHANNELS", "StepInput", "allowed_steps", "covers", "open_referral", "reaches", "take_step"]


def covers(membership, case: Case) -> bool:
    """Whether the member's areas include the case's place (no areas = the whole region)."""
    if not membership.areas:
        return True
    for area in membership.areas:
        if area.village_code and area.village_code == case.village_code:
            return True
        if not area.village_code and area.district_code == case.district_code:
            return True
    return False


def reaches(membership, case: Case) -> bool:
    """Whether the case is within the member's reach: they hold it (it is assigned to them), or it
    lies in their areas and unit scope. Area and unit rules decide the pool only; the holder of a
    case acts on it wherever it lies (a Puskesos officer's case for a citizen of another village)."""
    if case.assignee_id is not None and case.assignee_id == membership.user_id:
        return True
    return covers(membership, case) and covers_unit(membership, case)


def allowed_steps(case: Case, membership) -> list[Transition]:
    """The steps this member may take on this case now, and nothing else."""
    if membership is None or case.is_closed or not reaches(membership, case):
        return []
    return case.sop_version.sop.allowed(case.state, membership.position.role)


def take_step(case: Case, key: str, data: StepInput, *, user, membership, expected_version: int) -> CaseEvent:
    """Move `case` along transition `key`. Raises StepNotAllowed, StaleCase or StepInvalid."""
    if expected_version != case.version:
        raise StaleCase(case)
    step = next((t for t in allowed_steps(case, membership) if t.key == key), None)
    if step is None:
        raise StepNotAllowed(key)
    _validate(step, data)
    sop = case.sop_version.sop
    now = utcnow()
    event_data = step.step_kind.apply(case, data, now)
    previous = case.state
    case.state = step.target
    case.state_entered_at = now
    case.due_at = due_at(sop, step.target, now)
    # The actor stays responsible while the next stage still waits on their role; else pooled.
    case.assignee_id = user.id if membership.position.role in sop.waiting_roles(step.target) else None
    if sop.state(step.target).final:
        case.closed_at = now
        case.due_at = None
    event = CaseEvent(case_id=case.id, at=now, user_id=user.id, actor_name=user.name,
                      actor_title=membership.position.title, action=step.key, label=step.label,
                      from_state=previous, to_state=step.target, note=meaningful(data.note),
                      legal_basis=step.legal_basis, data=event_data)
    db.session.add(event)
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleCase(case) from exc
    record("case.step", "case", case.id, ticket=case.ticket, step=step.key, from_state=previous,
           to_state=step.target)
    from app.notices.triggers import after_step

    after_step(case, event, user)
    return event


def _validate(step: Transition, data: StepInput) -> None:
    """The note if the step requires one, then what the step's kind collects."""
    kind = step.step_kind
    errors: dict[str, list[str]] = {}
    data.note = meaningful(data.note)  # blanks and invisible characters are no note
    if step.note == "required" and not data.note:
        errors["note"] = [kind.note_required_message()]
    errors.update(kind.check(data))
    if errors:
        raise StepInvalid(errors)
