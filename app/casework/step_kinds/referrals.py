"""The referral a step acts on, and the partners a referral may go to (shared by the kinds)."""
from __future__ import annotations

import uuid

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
