"""Taking a step of the SOP on a case: the one place where a case changes state."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.audit.log import record
from app.casework.errors import StaleCase, StepInvalid, StepNotAllowed
from app.casework.intake import due_at
from app.casework.models import Case, CaseEvent, Partner, Referral
from app.casework.routing import covers_unit
from app.casework.sop import Transition
from app.extensions import db
from app.tenants.models import utcnow

OUTCOMES = {"served": "Dilayani / diterima program", "not_served": "Tidak dapat dilayani",
            "redirected": "Dialihkan ke program lain"}
INFORM_CHANNELS = {"in_person": "Tatap muka", "phone": "Telepon", "message": "Pesan singkat / WhatsApp",
                   "letter": "Surat", "home_visit": "Kunjungan rumah"}


@dataclass
class StepInput:
    note: str = ""
    partner_id: str | None = None
    outcome: str = ""
    inform_channel: str = ""


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


def allowed_steps(case: Case, membership) -> list[Transition]:
    """The steps this member may take on this case now, and nothing else."""
    if membership is None or case.is_closed or not covers(membership, case) or not covers_unit(membership, case):
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
    event_data = _apply_side_effects(case, step, data, now)
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
                      from_state=previous, to_state=step.target, note=data.note.strip(),
                      legal_basis=step.legal_basis, data=event_data)
    db.session.add(event)
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleCase(case) from exc
    record("case.step", "case", case.id, ticket=case.ticket, step=step.key, from_state=previous,
           to_state=step.target)
    return event


def _validate(step: Transition, data: StepInput) -> None:
    errors: dict[str, list[str]] = {}
    if step.note == "required" and not data.note.strip():
        errors["note"] = [_("Catatan wajib diisi untuk langkah ini.") if step.kind != "return"
                          else _("Alasan pengembalian wajib diisi.")]
    if step.needs_partner:
        partner = _partner(data.partner_id)
        if partner is None:
            errors["partner_id"] = [_("Pilih lembaga tujuan rujukan dari daftar.")]
    if step.needs_outcome and data.outcome not in OUTCOMES:
        errors["outcome"] = [_("Pilih hasil tindak lanjut.")]
    if step.needs_inform_channel and data.inform_channel not in INFORM_CHANNELS:
        errors["inform_channel"] = [_("Pilih cara warga diberi tahu.")]
    if errors:
        raise StepInvalid(errors)


def _partner(partner_id) -> Partner | None:
    import uuid

    try:
        pid = uuid.UUID(str(partner_id))
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Partner).where(Partner.id == pid, Partner.retired_at.is_(None)))


def open_referral(case: Case) -> Referral | None:
    return next((r for r in reversed(case.referrals) if r.status not in ("returned", "completed")), None)


def _apply_side_effects(case: Case, step: Transition, data: StepInput, now) -> dict:
    """What each kind of step records besides the state change."""
    referral = open_referral(case)
    if step.kind == "request_referral":
        partner = _partner(data.partner_id)
        referral = Referral(case_id=case.id, partner_id=partner.id, reason=data.note.strip(), requested_at=now)
        db.session.add(referral)
        case.referrals.append(referral)
        return {"partner": partner.name, "level": partner.level}
    if referral is not None and step.kind in ("approve", "return") and referral.status == "requested":
        referral.status = "approved" if step.kind == "approve" else "returned"
        referral.decided_at, referral.decision_note = now, data.note.strip()
        return {"referral": referral.status, "partner": referral.partner.name}
    if referral is not None and step.kind == "send_referral":
        referral.status, referral.sent_at = "sent", now
        return {"partner": referral.partner.name}
    if referral is not None and step.kind == "record_answer":
        referral.status, referral.answered_at, referral.answer = "answered", now, data.note.strip()
        return {"partner": referral.partner.name}
    if step.kind == "record_outcome":
        if referral is not None:
            referral.status, referral.completed_at, referral.outcome = "completed", now, data.outcome
        return {"outcome": data.outcome}
    if step.kind == "inform":
        return {"inform_channel": data.inform_channel}
    return {}
