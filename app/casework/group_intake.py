"""Opening a case for a group or community (Palembang Pasal 4): no citizen, a named group and
its contact person, whose phone the public status page checks.

The case starts under the SOP like any other (channel entry, routing, deadline, who holds it);
a group is not a person in the welfare register, so nothing is proposed to the pre-list.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.audit.log import record
from app.casework.intake import added_with, due_at, next_ticket, opened_with
from app.casework.models import Case, CaseEvent
from app.casework.sop_store import current_version
from app.extensions import db
from app.org.models import OrgUnit
from app.org.service_areas import unit_for_area
from app.tenancy.models import utcnow


@dataclass
class GroupData:
    name: str
    kind: str
    contact_name: str
    contact_phone: str
    members: int | None
    village_code: str


def open_group_case(*, group: GroupData, complaint: str, service_area: str, channel: str, intake_token: str,
                    user, membership) -> tuple[Case, bool]:
    """Open a group's case (or return the one this form already opened). Returns (case, created)."""
    existing = opened_with(intake_token) or added_with(intake_token)
    if existing is not None:
        return existing, False
    version = current_version()
    sop = version.sop
    entry_state = sop.channels[channel].entry
    now = utcnow()
    unit_key = unit_for_area(sop.routing, service_area)  # a region's own area goes where its built-in one does
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.key == unit_key)) if unit_key else None
    case = Case(
        ticket=next_ticket(now), intake_token=intake_token, citizen_id=None, group_name=group.name,
        group_kind=group.kind, group_contact_name=group.contact_name, group_contact_phone=group.contact_phone,
        group_members=group.members, sop_version_id=version.id, channel=channel, service_area=service_area,
        complaint=complaint,
        state=entry_state, state_entered_at=now, due_at=due_at(sop, entry_state, now),
        unit_id=unit.id if unit else None, origin_unit_id=membership.position.unit_id,
        district_code=group.village_code.rsplit(".", 1)[0], village_code=group.village_code,
        in_register=False, created_by=user.id, created_at=now,
        assignee_id=user.id if membership.position.role in sop.waiting_roles(entry_state) else None,
    )
    db.session.add(case)
    db.session.flush()
    db.session.add(CaseEvent(
        case_id=case.id, at=now, user_id=user.id, actor_name=user.name, actor_title=membership.position.title,
        action="intake", label=sop.channels[channel].label, to_state=entry_state,
        legal_basis=sop.channels[channel].legal_basis,
        data={"in_register": False, "service_area": service_area, "group": True},
    ))
    record("case.open", "case", case.id, ticket=case.ticket, state=entry_state, channel=channel, group=True)
    return case, True
