"""Opening a case: find or register the citizen, check the register, start the SOP."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.audit.log import record
from app.casework.models import Case, CaseEvent, TicketCounter, bump_year_counter
from app.casework.sop_store import current_version
from app.citizens.models import Citizen, RegisterEntry
from app.extensions import db
from app.org.models import OrgUnit
from app.org.service_areas import unit_for_area
from app.tenancy.context import tenant_in_context
from app.tenancy.models import utcnow


@dataclass
class CitizenData:
    nik: str
    kk_number: str
    name: str
    birth_date: date
    sex: str
    address: str
    village_code: str
    phone: str = ""


def register_match(nik: str = "", kk_number: str = "") -> RegisterEntry | None:
    """The current extract's entry for this NIK, else any for this KK (the household is registered)."""
    from app.citizens.register import in_current

    if nik:
        entry = db.session.scalar(select(RegisterEntry).where(in_current(RegisterEntry), RegisterEntry.nik == nik))
        if entry:
            return entry
    if kk_number:
        return db.session.scalars(select(RegisterEntry).where(in_current(RegisterEntry),
                                                              RegisterEntry.kk_number == kk_number)).first()
    return None


def find_citizen(nik: str) -> Citizen | None:
    return db.session.scalar(select(Citizen).where(Citizen.nik == nik))


def upsert_citizen(data: CitizenData) -> Citizen:
    """The citizen with this NIK, created or updated (each personal-data edit is audited).

    Two officers may register the same new person at once: the insert runs in a savepoint,
    and when the NIK was taken meanwhile, the other officer's row is used (and updated).
    """
    citizen = find_citizen(data.nik)
    if citizen is None:
        try:
            with db.session.begin_nested():
                citizen = Citizen(**data.__dict__)
                db.session.add(citizen)
        except IntegrityError:
            citizen = find_citizen(data.nik)
            if citizen is None:  # the conflict was not this NIK after all
                raise
        else:
            record("citizen.create", "citizen", citizen.id, village=data.village_code)
            return citizen
    changed = [f for f, v in data.__dict__.items() if getattr(citizen, f) != v]
    for name in changed:
        setattr(citizen, name, getattr(data, name))
    if changed:
        record("citizen.update", "citizen", citizen.id, fields=changed)
    return citizen


def next_ticket(now: datetime) -> str:
    """`BEKASI-2026-000123`: the region's prefix, then a number per region and year, gap-free under concurrency.

    The counter does not depend on the prefix: after the region changes its prefix the numbers go on, so
    a ticket never repeats one issued before (the table's unique (region, ticket) stays the last guard).
    """
    year = now.year
    value = bump_year_counter(TicketCounter, year)
    return f"{tenant_in_context().ticket_prefix}-{year}-{value:06d}"


def due_at(sop, state: str, start: datetime) -> datetime | None:
    hours = sop.state(state).sla_hours
    return start + timedelta(hours=hours) if hours else None


def opened_with(intake_token: str) -> Case | None:
    """The case an intake form (by its one-time token) already opened, if any."""
    return db.session.scalar(select(Case).where(Case.intake_token == intake_token))


def added_with(intake_token: str) -> Case | None:
    """The open case an intake form (by its one-time token) already added a complaint to, if any."""
    case_id = db.session.scalar(select(CaseEvent.case_id).where(CaseEvent.intake_token == intake_token))
    return db.session.scalar(select(Case).where(Case.id == case_id)) if case_id is not None else None


def already_used(intake_token: str | None) -> bool:
    """Whether this intake form already opened a case or added to one (a double submit)."""
    if not intake_token:
        return False
    return (opened_with(intake_token) or added_with(intake_token)) is not None


def open_cases_of(nik: str) -> list[Case]:
    """The open cases of the person with this NIK, oldest first (a new complaint may belong there)."""
    if not nik:
        return []
    return list(db.session.scalars(
        select(Case).join(Citizen, and_(Citizen.tenant_id == Case.tenant_id, Citizen.id == Case.citizen_id))
        .where(Citizen.nik == nik, Case.closed_at.is_(None)).order_by(Case.created_at)
        .options(selectinload(Case.sop_version))))


def add_to_case(case: Case, *, citizen_data: CitizenData, complaint: str, service_area: str, channel: str,
                intake_token: str, user, membership) -> tuple[Case, bool]:
    """Record a further complaint of the person on their open `case` (an event; no new case).

    Returns (case, added). The form's one-time token is kept on the event (unique), so a form
    submitted twice, even at the same moment, adds once; a token that opened a case returns it.
    """
    done = opened_with(intake_token) or added_with(intake_token)
    if done is not None:
        return done, False
    upsert_citizen(citizen_data)  # what the officer typed about the person now, as when opening a case
    try:
        with db.session.begin_nested():
            db.session.add(CaseEvent(
                case_id=case.id, at=utcnow(), user_id=user.id, actor_name=user.name,
                actor_title=membership.position.title, action="add_complaint",
                label=_("Pengaduan tambahan dicatat"), note=complaint,
                data={"service_area": service_area, "channel": channel}, intake_token=intake_token))
    except IntegrityError:  # the same form, submitted twice at the same moment
        done = added_with(intake_token)
        if done is None:
            raise
        return done, False
    record("case.add_complaint", "case", case.id, ticket=case.ticket, channel=channel)
    return case, True


def open_case(*, citizen_data: CitizenData, complaint: str, service_area: str, channel: str,
              intake_token: str, user, membership) -> tuple[Case, bool]:
    """Open a case (or return the one this form already opened). Returns (case, created)."""
    existing = opened_with(intake_token) or added_with(intake_token)
    if existing is not None:
        return existing, False
    version = current_version()
    sop = version.sop
    entry_state = sop.channels[channel].entry
    citizen = upsert_citizen(citizen_data)
    match = register_match(citizen.nik, citizen.kk_number)
    now = utcnow()
    unit_key = unit_for_area(sop.routing, service_area)  # a region's own area goes where its built-in one does
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.key == unit_key)) if unit_key else None
    case = Case(
        ticket=next_ticket(now), intake_token=intake_token, citizen_id=citizen.id,
        sop_version_id=version.id, channel=channel, service_area=service_area, complaint=complaint,
        state=entry_state, state_entered_at=now, due_at=due_at(sop, entry_state, now),
        unit_id=unit.id if unit else None, origin_unit_id=membership.position.unit_id,
        district_code=citizen.district_code, village_code=citizen.village_code,
        in_register=match is not None, created_by=user.id, created_at=now,
        assignee_id=user.id if membership.position.role in sop.waiting_roles(entry_state) else None,
    )
    db.session.add(case)
    db.session.flush()
    db.session.add(CaseEvent(
        case_id=case.id, at=now, user_id=user.id, actor_name=user.name,
        actor_title=membership.position.title, action="intake",
        label=sop.channels[channel].label, to_state=entry_state,
        legal_basis=sop.channels[channel].legal_basis,
        data={"in_register": case.in_register, "service_area": service_area},
    ))
    if match is None:
        _propose_new_household(citizen, case, membership)
    record("case.open", "case", case.id, ticket=case.ticket, state=entry_state, channel=channel)
    return case, True


def _propose_new_household(citizen: Citizen, case: Case, membership) -> None:
    """A citizen not in the register: their household is proposed for addition, a data update
    of kind new_household on the region's review chain (`app.verval.updates.propose`), once per
    citizen. A proposal it cannot make (KK of another region, household already proposed) is
    left out: the case goes on."""
    from app.errors import Refused
    from app.verval.models import DataUpdate
    from app.verval.updates import propose
    from app.verval.vocabulary import UpdateKind

    # The citizen's row is the lock: two intakes of the same person at once make one proposal.
    db.session.execute(select(Citizen.id).where(Citizen.id == citizen.id).with_for_update())
    if db.session.scalar(select(DataUpdate.id).where(DataUpdate.citizen_id == citizen.id,
                                                     DataUpdate.kind == UpdateKind.NEW_HOUSEHOLD).limit(1)):
        return
    try:
        with db.session.begin_nested():
            propose(UpdateKind.NEW_HOUSEHOLD, kk_number=citizen.kk_number, nik=citizen.nik, data={}, reason="",
                    member=membership, case=case, citizen=citizen)
    except Refused:
        return


def search_register(term: str, limit: int = 5) -> list[RegisterEntry]:
    from app.citizens.register import in_current

    term = term.strip()
    if len(term) < 6:
        return []
    return list(db.session.scalars(
        select(RegisterEntry).where(in_current(RegisterEntry), or_(RegisterEntry.nik == term,
                                                                   RegisterEntry.kk_number == term)).limit(limit)))
