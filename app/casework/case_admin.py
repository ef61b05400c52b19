"""Managing a case outside its SOP: withdraw, merge a duplicate, reassign, priority, follow-up date.

Who may is `Capability.MANAGE_CASES` (the route asks); each operation checks what it is
given, changes the case, appends one case event (who, when, reason) and one audit event,
and only flushes: the request commits. A refusal raises `Invalid` (with field errors) or
`Conflict` before anything is changed.
"""
from __future__ import annotations

import uuid
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import Membership, User
from app.audit.log import record
from app.casework.access import visible_condition
from app.casework.errors import StaleCase
from app.casework.models import Case, CaseEvent
from app.casework.notes import meaningful
from app.casework.routing import covers_unit
from app.casework.vocabulary import Closure, Priority
from app.errors import Conflict, Invalid
from app.extensions import db
from app.org.models import Position
from app.tenancy.models import utcnow

REASON_MAX = 1000


def add_event(case: Case, *, user, membership, action: str, label: str, note: str = "",
              data: dict | None = None, closes: bool = False) -> CaseEvent:
    """Append a management event to the case's timeline (the SOP state does not move).

    An event that `closes` the case names the state it leaves, so the dashboard counts it closed.
    """
    event = CaseEvent(case_id=case.id, at=utcnow(), user_id=user.id, actor_name=user.name,
                      actor_title=membership.position.title, action=action, label=label,
                      from_state=case.state if closes else None, to_state=None, note=note, data=data or {})
    db.session.add(event)
    return event


def clean_reason(reason: str | None, *, required: bool = True) -> str:
    """The reason, stripped of blanks (zero-width too); `Invalid` at field `reason` if missing or long."""
    text = meaningful(reason)
    if required and not text:
        raise Invalid(errors={"reason": [_("Alasan wajib diisi.")]})
    if len(text) > REASON_MAX:
        raise Invalid(errors={"reason": [_("Alasan paling banyak %(n)s karakter.", n=REASON_MAX)]})
    return text


def check_version(case: Case, expected_version: int | None) -> None:
    """The form was loaded from the case as it is now (else `StaleCase`, answered 409)."""
    if expected_version is not None and expected_version != case.version:
        raise StaleCase(case)


def flush_case(case: Case) -> None:
    """Flush the changes; a case changed meanwhile by someone else is `StaleCase`."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleCase(case) from exc


def _open(case: Case) -> None:
    if case.is_closed:
        raise Conflict(_("Kasus ini sudah ditutup."))


def withdraw_case(case: Case, reason: str, *, user, membership, expected_version: int | None = None) -> CaseEvent:
    """Close the case at the citizen's (or the secretariat's) withdrawal, with the reason."""
    check_version(case, expected_version)
    _open(case)
    reason = clean_reason(reason)
    now = utcnow()
    case.closed_at, case.closure, case.due_at, case.follow_up_on = now, Closure.WITHDRAWN, None, None
    event = add_event(case, user=user, membership=membership, action="withdraw", label=_("Kasus ditarik"),
                      note=reason, data={"closure": Closure.WITHDRAWN}, closes=True)
    flush_case(case)
    record("case.withdraw", "case", case.id, ticket=case.ticket, reason=reason, state=case.state)
    return event


def find_survivor(ticket: str, membership) -> Case | None:
    """The open case with this ticket that the member may see (the one a duplicate merges into)."""
    return db.session.scalar(select(Case).where(Case.ticket == (ticket or "").strip().upper(),
                                                visible_condition(membership)))


def merge_case(duplicate: Case, survivor_ticket: str, reason: str, *, user, membership,
               expected_version: int | None = None) -> Case:
    """Close `duplicate` as merged into the case with `survivor_ticket`; both timelines say so.

    The duplicate keeps its events and points to the survivor (`merged_into_id`); returns the survivor.
    """
    check_version(duplicate, expected_version)
    _open(duplicate)
    reason = clean_reason(reason)
    survivor = find_survivor(survivor_ticket, membership)
    if survivor is None:
        raise Invalid(errors={"survivor": [_("Tiket tidak ditemukan di antara kasus yang dapat Anda lihat.")]})
    if survivor.id == duplicate.id:
        raise Invalid(errors={"survivor": [_("Pilih kasus lain, bukan kasus ini sendiri.")]})
    if survivor.is_closed:
        raise Invalid(errors={"survivor": [_("Kasus %(t)s sudah ditutup; gabungkan ke kasus yang masih terbuka.",
                                             t=survivor.ticket)]})
    now = utcnow()
    duplicate.closed_at, duplicate.closure, duplicate.merged_into_id = now, Closure.MERGED, survivor.id
    duplicate.due_at, duplicate.follow_up_on = None, None
    add_event(duplicate, user=user, membership=membership, action="merge",
              label=_("Digabung ke %(t)s", t=survivor.ticket), note=reason,
              data={"closure": Closure.MERGED, "into": survivor.ticket}, closes=True)
    add_event(survivor, user=user, membership=membership, action="merged_from",
              label=_("Kasus duplikat %(t)s digabung ke sini", t=duplicate.ticket), note=reason,
              data={"from": duplicate.ticket})
    flush_case(duplicate)
    record("case.merge", "case", duplicate.id, ticket=duplicate.ticket, into=survivor.ticket, reason=reason)
    return survivor


def merged_here(case: Case) -> list[Case]:
    """The duplicates merged into `case` (its page links to them)."""
    return list(db.session.scalars(select(Case).where(Case.merged_into_id == case.id).order_by(Case.created_at)))


def candidates(case: Case) -> list[tuple[User, Membership]]:
    """Active members who could take the case's current step: its waiting role, area and unit."""
    from app.casework.steps import covers

    roles = case.sop_version.sop.waiting_roles(case.state)
    rows = db.session.execute(
        select(User, Membership).join(Membership, Membership.user_id == User.id)
        .join(Position, and_(Position.tenant_id == Membership.tenant_id, Position.id == Membership.position_id))
        .where(User.active.is_(True), Membership.active.is_(True), Position.role.in_(roles))
        .options(selectinload(Membership.position).selectinload(Position.unit), selectinload(Membership.areas))
        .order_by(User.name)).all()
    return [(u, m) for u, m in rows if covers(m, case) and covers_unit(m, case)]


def reassign_case(case: Case, user_id: str | uuid.UUID, reason: str, *, user, membership,
                  expected_version: int | None = None) -> CaseEvent:
    """Make a named member responsible for the case now (one who can take its current step)."""
    check_version(case, expected_version)
    _open(case)
    reason = clean_reason(reason)
    chosen = next((pair for pair in candidates(case) if str(pair[0].id) == str(user_id)), None)
    if chosen is None:
        raise Invalid(errors={"assignee": [_("Pilih petugas yang dapat mengambil langkah pada tahap ini.")]})
    target, target_membership = chosen
    previous = case.assignee.name if case.assignee else ""
    case.assignee_id = target.id
    event = add_event(case, user=user, membership=membership, action="reassign",
                      label=_("Dialihkan ke %(name)s", name=target.name), note=reason,
                      data={"to": target.name, "to_title": target_membership.position.title, "from": previous})
    flush_case(case)
    record("case.reassign", "case", case.id, ticket=case.ticket, to=str(target.id), reason=reason)
    return event


def set_priority(case: Case, priority: str, reason: str = "", *, user, membership,
                 expected_version: int | None = None) -> CaseEvent | None:
    """Set the case's priority (None when it was already that)."""
    check_version(case, expected_version)
    if priority not in Priority.labels():
        raise Invalid(errors={"priority": [_("Pilih prioritas dari daftar.")]})
    reason = clean_reason(reason, required=False)
    if priority == case.priority:
        return None
    before, case.priority = case.priority, priority
    event = add_event(case, user=user, membership=membership, action="priority",
                      label=_("Prioritas: %(p)s", p=Priority.label_of(priority)), note=reason,
                      data={"priority": priority, "before": before})
    flush_case(case)
    record("case.priority", "case", case.id, ticket=case.ticket, before=before, after=priority)
    return event


def set_follow_up(case: Case, on: date | None, reason: str = "", *, user, membership,
                  expected_version: int | None = None) -> CaseEvent:
    """Schedule (or clear, with None) the date the case is to be followed up; it shows in the inbox."""
    check_version(case, expected_version)
    _open(case)
    reason = clean_reason(reason, required=False)
    if on is not None and on < utcnow().date():
        raise Invalid(errors={"follow_up_on": [_("Tanggal tindak lanjut tidak boleh sebelum hari ini.")]})
    before, case.follow_up_on = case.follow_up_on, on
    label = (_("Tindak lanjut dijadwalkan %(d)s", d=on.strftime("%d-%m-%Y")) if on
             else _("Jadwal tindak lanjut dihapus"))
    event = add_event(case, user=user, membership=membership, action="follow_up", label=label, note=reason,
                      data={"follow_up_on": on.isoformat() if on else None})
    flush_case(case)
    record("case.follow_up", "case", case.id, ticket=case.ticket, before=before.isoformat() if before else None,
           after=on.isoformat() if on else None)
    return event
