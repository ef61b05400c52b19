"""The referral a step acts on, the approvals it still waits for, and the partners it may go to
(shared by the kinds)."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from app.casework.models import Case, Partner, Referral
from app.casework.vocabulary import ReferralStatus
from app.extensions import db


def open_referral(case: Case) -> Referral | None:
    """The case's referral still in progress (neither returned nor completed), if any."""
    finished = (ReferralStatus.RETURNED, ReferralStatus.COMPLETED)
    return next((r for r in reversed(case.referrals) if r.status not in finished), None)


def active_partner(partner_id) -> Partner | None:
    """The region's partner with this id, unless retired; None for anything else."""
    try:
        pid = uuid.UUID(str(partner_id))
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Partner).where(Partner.id == pid, Partner.retired_at.is_(None)))


def active_partners() -> list[Partner]:
    """The region's partners a referral may go to, by level and name."""
    return list(db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))
                                   .order_by(Partner.level, Partner.name)))


def approvals_ahead(sop: Any, state: str) -> list[Any]:
    """The approval steps a referral in `state` waits for next (none once it is past its approvals).

    Searched forward from `state` (itself included) along the SOP's steps, but never through a
    step that sends a case back or acts on a referral (request, send, answer, outcome): those
    end the approval chain. The approvals of the nearest stage that has any are returned, so
    between two approvals in a chain this names the one still to come.
    """
    from app.casework.step_kinds import REGISTRY

    seen, frontier = {state}, [state]
    while frontier:
        found, following = [], []
        for stage in frontier:
            for step in sop.transitions_from(stage):
                kind = REGISTRY.get(step.kind)
                if kind is None:
                    continue
                if kind.approval and not kind.sends_back:
                    found.append(step)
                elif not kind.sends_back and kind.referral_stamp is None and step.target not in seen:
                    seen.add(step.target)
                    following.append(step.target)
        if found:
            return found
        frontier = following
    return []
