"""Carrying a reviewed record along its chain: submit it, ask who may act, record a decision.

A record (a Participation, a Need, a DataUpdate) keeps the chain it was submitted under
(`Reviewed.chain`, a snapshot of `app.reviews.chains.chain_for(kind)`), so a later change of
the region's configuration never strands it half-way. Each stage names its action (review,
recommend, decide), the canonical roles that take it, and its legal basis.

Who may act at the open stage (`may_act`):
* the member's post holds one of the stage's roles (region data, never a list in code);
* an area-bound member (a supervisor per district, a facilitator or Puskesos coordinator per
  village — every post with work areas) acts only on records of their own areas; an
  area-bound role without areas acts nowhere (fail closed);
* the member who proposed the record never acts on it, at any stage: a proposal is always
  looked at by another person (four eyes), whatever roles the chain names.

Every decision appends a `ReviewStep` and an audit event. Approving the last stage approves
the record; rejecting at any stage rejects it (the reason is required).
"""
from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.audit.log import record as audit
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.org.vocabulary import AREA_LEVEL_BY_ROLE
from app.reviews.models import ReviewStep
from app.reviews.vocabulary import ReviewAction, ReviewDecision, ReviewedKind, ReviewStatus
from app.tenancy.models import utcnow


def _chain_for(kind: str) -> list[dict]:
    from app.reviews.chains import chain_for  # written alongside (helper "config")

    return [dict(stage) for stage in chain_for(kind)]


def kind_of(record) -> str:
    """The review kind of a record: its table's kind, or a data update's own kind."""
    from app.programs.models import Need, Participation

    if isinstance(record, Participation):
        return ReviewedKind.PARTICIPATION.value
    if isinstance(record, Need):
        return ReviewedKind.NEED.value
    return str(record.kind)


def membership_of(member: Any):
    """The Membership of a SessionUser (or the Membership itself); None for anyone else."""
    membership = getattr(member, "membership", member)
    return membership if getattr(membership, "position", None) is not None else None


def open_stage(record) -> dict | None:
    """The stage waiting for a decision, or None once the record is decided."""
    chain = record.chain or []
    if record.status != ReviewStatus.PENDING or not 0 <= record.stage < len(chain):
        return None
    return chain[record.stage]


def area_bound(membership) -> bool:
    """Whether the member works in areas (a post with an area level, or any post given areas)."""
    return membership.position.role in AREA_LEVEL_BY_ROLE or bool(membership.areas)


def in_areas(membership, district_code: str, village_code: str) -> bool:
    """Whether a record of this district/village lies in the member's areas (false with no areas)."""
    return any(a.village_code == village_code if a.village_code else a.district_code == district_code
               for a in membership.areas)


def covers(membership, record) -> bool:
    """Whether the record lies where the member works (everywhere for a region-wide member)."""
    return not area_bound(membership) or in_areas(membership, record.district_code, record.village_code)


def _refusal(member, record) -> str | None:
    """Why `member` may not act on `record` now (None: they may)."""
    membership = membership_of(member)
    stage = open_stage(record)
    if stage is None:
        return _("Usulan ini sudah diputuskan.")
    if membership is None or membership.position.role not in (stage.get("roles") or []):
        return _("Tahap ini bukan untuk jabatan Anda.")
    if not covers(membership, record):
        return _("Usulan ini di luar wilayah kerja Anda.")
    if record.created_by == membership.user_id:
        return _("Usulan Anda sendiri ditelaah dan diputuskan oleh petugas lain.")
    return None


def may_act(member, record) -> bool:
    """Whether `member` may take the record's open stage (role, area, not their own proposal)."""
    return _refusal(member, record) is None


def submit(record, kind: str) -> None:
    """Put a new record on its region's chain for `kind`: stage 0 and pending, or approved at
    once when the chain is empty. The caller has set its household, place and `created_by`."""
    kind = ReviewedKind(kind).value
    if record.id is None:
        record.id = uuid.uuid4()
    record.chain = _chain_for(kind)
    record.stage = 0
    record.note = ""
    if record.chain:
        record.status, record.decided_at = ReviewStatus.PENDING.value, None
    else:
        record.status, record.decided_at = ReviewStatus.APPROVED.value, utcnow()
    db.session.add(record)
    audit("review.submit", kind, record.id, kk=record.kk_number, stages=len(record.chain), status=record.status)


def decide(record, kind: str, decision: str, note: str, member) -> None:
    """Take the open stage: approve (on to the next stage, or approved after the last) or
    reject (rejected; a reason is required). Refused (Forbidden/Conflict/Invalid) otherwise."""
    kind = ReviewedKind(kind).value
    note = (note or "").strip()
    refusal = _refusal(member, record)
    if refusal is not None:
        raise (Conflict if open_stage(record) is None else Forbidden)(refusal)
    if decision not in ReviewDecision.labels():
        raise Invalid(errors={"decision": [_("Pilih setujui atau tolak.")]})
    if decision == ReviewDecision.REJECT and not note:
        raise Invalid(errors={"note": [_("Tuliskan alasan penolakan.")]})
    membership = membership_of(member)
    stage_no, stage = record.stage, record.chain[record.stage]
    last = stage_no == len(record.chain) - 1
    if decision == ReviewDecision.REJECT:
        status, decided_at = ReviewStatus.REJECTED.value, utcnow()
    elif last:
        status, decided_at = ReviewStatus.APPROVED.value, utcnow()
    else:
        status, decided_at = ReviewStatus.PENDING.value, None
    model = type(record)
    moved = db.session.execute(
        update(model).where(model.id == record.id, model.stage == stage_no,
                            model.status == ReviewStatus.PENDING.value)
        .values(stage=len(record.chain) if status != ReviewStatus.PENDING else stage_no + 1,
                status=status, note=note, decided_at=decided_at)
        .execution_options(synchronize_session="fetch"))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(_("Usulan ini baru saja ditelaah orang lain. Muat ulang halaman."))
    db.session.refresh(record)
    action = stage.get("action") if stage.get("action") in ReviewAction.labels() else ReviewAction.REVIEW.value
    db.session.add(ReviewStep(record_kind=kind, record_id=record.id, stage=stage_no, action=action,
                              role=membership.position.role, decision=decision, note=note,
                              legal_basis=str(stage.get("legal_basis") or ""), decided_by=membership.user_id))
    audit("review.decide", kind, record.id, stage=stage_no, stage_action=action, role=membership.position.role,
          decision=decision, status=status, note=note)


def steps_of(kind: str, record_id) -> list[ReviewStep]:
    """Every decision taken on one record, in order."""
    return list(db.session.scalars(
        select(ReviewStep).where(ReviewStep.record_kind == kind, ReviewStep.record_id == record_id)
        .order_by(ReviewStep.decided_at, ReviewStep.stage)))
