"""What a citizen may learn with a ticket and the phone's last 4 digits: a case's stage — nothing personal."""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.casework.models import Case, CaseEvent
from app.casework.public_outcome import plain_outcome
from app.extensions import db
from app.tenancy.context import tenant_in_context


@dataclass(frozen=True)
class PublicStatus:
    """What a citizen may see about their case: where it is and when — no personal data."""

    ticket: str
    stage: str
    received_at: datetime
    updated_at: datetime
    closed: bool
    outcome: str = ""  # in plain words, once closed (app.casework.public_outcome)
    merged_into: str = ""  # the ticket a merged case now lives on


def _last4(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")[-4:]


def find_status(ticket: str, last4: str) -> PublicStatus | None:
    """The status of the case with `ticket` if the phone matches; None otherwise (either way alike)."""
    case = db.session.scalar(select(Case).where(Case.ticket == ticket.strip().upper())
                             .options(selectinload(Case.citizen), selectinload(Case.sop_version),
                                      selectinload(Case.referrals), selectinload(Case.events)))
    expected = _last4(case.contact_phone) if case is not None else ""
    # Compare even without a case, so a missing ticket and a wrong phone take the same path.
    matches = hmac.compare_digest((expected or "----").encode(), last4.encode())
    if case is None or len(expected) != 4 or not matches:
        return None
    updated = db.session.scalar(select(func.max(CaseEvent.at)).where(CaseEvent.case_id == case.id))
    return PublicStatus(ticket=case.ticket, stage=case.sop_version.sop.state(case.state).label,
                        received_at=case.created_at, updated_at=updated or case.state_entered_at,
                        closed=case.is_closed, outcome=plain_outcome(case, tenant_in_context().service_name),
                        merged_into=case.merged_into.ticket if case.merged_into is not None else "")
