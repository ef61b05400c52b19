"""The notices a case step or an accepted invitation causes (one call from each place)."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.casework.models import Case, CaseEvent
from app.casework.vocabulary import ReferralStatus
from app.extensions import db
from app.notices.escalation import _visit
from app.notices.operations import notify
from app.notices.vocabulary import NoticeKind


def after_step(case: Case, event: CaseEvent, actor) -> None:
    """A step was taken: tell who the case now waits on, and a referral's requester of its decision."""
    from app.casework.staffing import Staffing

    sop = case.sop_version.sop
    if not case.is_closed:
        roles = sop.waiting_roles(case.state)  # only their holders can be takers: load no one else
        takers = [m.user_id for m in Staffing.holding(roles).takers(case) if m.user_id != actor.id] if roles else []
        notify(takers, NoticeKind.CASE_WAITING, case, stage=_visit(case), stage_label=sop.state(case.state).label)
    decision = (event.data or {}).get("referral")
    if decision in (ReferralStatus.APPROVED, ReferralStatus.RETURNED):
        kind = NoticeKind.REFERRAL_APPROVED if decision == ReferralStatus.APPROVED else NoticeKind.REFERRAL_RETURNED
        requester = _referral_requester(case, sop)
        if requester is not None and requester.id != actor.id:
            notify([requester], kind, case, stage=str(event.id), partner=(event.data or {}).get("partner", ""))


def _referral_requester(case: Case, sop) -> User | None:
    """Who took the case's latest referral-request step."""
    keys = [t.key for t in sop.transitions if t.step_kind.key == "request_referral"]
    user_id = db.session.scalar(select(CaseEvent.user_id).where(CaseEvent.case_id == case.id,
                                                                CaseEvent.action.in_(keys))
                                .order_by(CaseEvent.at.desc()).limit(1)) if keys else None
    return db.session.get(User, user_id) if user_id else None


def invitation_accepted(inviter_id, user: User, invitation_id) -> None:
    """Tell the inviter (in the current region) that `user` accepted their invitation."""
    inviter = db.session.get(User, inviter_id) if inviter_id else None
    if inviter is not None:
        notify([inviter], NoticeKind.INVITATION_ACCEPTED, stage="", key=str(invitation_id), name=user.name)
