"""The public status page: a ticket and the phone's last 4 digits give a case's stage — nothing personal."""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.blueprints.public import bp
from app.blueprints.public.forms import StatusForm
from app.casework.models import Case, CaseEvent
from app.extensions import db, limiter
from app.tenants.context import current_tenant


@dataclass(frozen=True)
class PublicStatus:
    """What a citizen may see about their case: where it is and when — no personal data."""

    ticket: str
    stage: str
    received_at: datetime
    updated_at: datetime
    closed: bool


@bp.before_request
def region_only():
    """These pages belong to a region; the platform apex has none."""
    if not current_tenant:  # a LocalProxy: test its truth, not identity
        abort(404)


def _status_limit() -> str:
    return current_app.config.get("STATUS_RATE_LIMIT", "20 per minute")


def _last4(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")[-4:]


def find_status(ticket: str, last4: str) -> PublicStatus | None:
    """The status of the case with `ticket` if the phone matches; None otherwise (either way alike)."""
    case = db.session.scalar(select(Case).where(Case.ticket == ticket.strip().upper())
                             .options(selectinload(Case.citizen), selectinload(Case.sop_version)))
    expected = _last4(case.citizen.phone) if case is not None else ""
    # Compare even without a case, so a missing ticket and a wrong phone take the same path.
    matches = hmac.compare_digest((expected or "----").encode(), last4.encode())
    if case is None or len(expected) != 4 or not matches:
        return None
    updated = db.session.scalar(select(func.max(CaseEvent.at)).where(CaseEvent.case_id == case.id))
    return PublicStatus(ticket=case.ticket, stage=case.sop_version.sop.state(case.state).label,
                        received_at=case.created_at, updated_at=updated or case.state_entered_at,
                        closed=case.is_closed)


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
def status():
    """Check a complaint's status with its ticket number and the last 4 digits of the phone."""
    form = StatusForm()
    result, mismatch = None, False
    if form.validate_on_submit():
        result = find_status(form.ticket.data, form.phone_last4.data)
        mismatch = result is None
    code = 422 if request.method == "POST" and result is None else 200
    return render_template("public/status.html", form=form, result=result, mismatch=mismatch), code
