"""Correcting a case after intake: the citizen's data and the complaint, with a reason.

Who may: members holding `Capability.CORRECT_CASE` (the region's choice; by default the
manager, the unit head and the intake and case officers, on the cases they may see), and
whoever recorded the case while it is back with them after a return (a facilitator whose
record the supervisor returned corrects the record itself, not only a note).

A correction appends one case event (which fields, the reason) and one audit event with
the values before and after (a NIK masked); it only flushes, the request commits.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.log import record
from app.casework.case_admin import add_event, check_version, clean_reason, flush_case
from app.casework.intake import register_match
from app.casework.models import Case, CaseEvent
from app.citizens.identity import check_identity, mask_nik
from app.citizens.models import Citizen
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.permissions import Capability, can

CITIZEN_FIELDS = ("nik", "kk_number", "name", "birth_date", "sex", "address", "phone")


@dataclass
class Correction:
    """The citizen's data and the complaint as they should read."""

    nik: str
    kk_number: str
    name: str
    birth_date: date
    sex: str
    address: str
    phone: str
    complaint: str

    @classmethod
    def of(cls, case: Case) -> Correction:
        """The case's data as it reads now (the form starts from it)."""
        citizen = case.citizen
        return cls(complaint=case.complaint, **{f: getattr(citizen, f) for f in CITIZEN_FIELDS})


def was_returned(case: Case) -> bool:
    """Whether the case's last SOP step sent it back (a return), so it waits on its recorder again."""
    sop = case.sop_version.sop
    for event in reversed(case.events):
        if event.to_state is None:  # management events do not move the case
            continue
        step = sop.transition(event.action)
        return step is not None and step.step_kind.sends_back
    return False


def may_correct(membership, case: Case) -> bool:
    """Whether this member may correct this (visible) case now."""
    if membership is None or case.citizen_id is None:  # a group's case has no citizen data to correct
        return False
    if can(membership, Capability.CORRECT_CASE):
        return True
    return (not case.is_closed and case.created_by == membership.user_id and was_returned(case)
            and membership.position.role in case.sop_version.sop.waiting_roles(case.state))


def _shown(name: str, value):
    if name == "nik":
        return mask_nik(value)
    return value.isoformat() if isinstance(value, date) else value


def _check(case: Case, new: Correction) -> None:
    identity = check_identity(new.nik, new.kk_number, new.birth_date, new.sex, case.citizen.village_code)
    errors = dict(identity.errors)
    if new.nik != case.citizen.nik and "nik" not in errors:
        other = db.session.scalar(select(Citizen.id).where(Citizen.nik == new.nik))
        if other is not None:
            errors["nik"] = [_("NIK ini sudah tercatat untuk warga lain; periksa kembali.")]
    if not new.complaint.strip():
        errors["complaint"] = [_("Keluhan wajib diisi.")]
    if errors:
        raise Invalid(errors=errors)


def correct_case(case: Case, new: Correction, reason: str, *, user, membership,
                 expected_version: int | None = None) -> CaseEvent | None:
    """Apply the correction; returns its event, or None when nothing differs. Refuses before changing."""
    if not may_correct(membership, case):
        raise Forbidden(_("Anda tidak berwenang mengoreksi kasus ini."))
    check_version(case, expected_version)
    new.complaint = new.complaint.strip()
    errors: dict[str, list[str]] = {}
    for check in (lambda: clean_reason(reason), lambda: _check(case, new)):
        try:
            check()
        except Invalid as exc:
            errors.update(exc.errors)
    if errors:
        raise Invalid(errors=errors)
    reason = clean_reason(reason)
    old = Correction.of(case)
    changed = [name for name, value in asdict(new).items() if getattr(old, name) != value]
    if not changed:
        return None
    citizen = case.citizen
    for name in changed:
        setattr(case if name == "complaint" else citizen, name, getattr(new, name))
    if {"nik", "kk_number"} & set(changed):
        case.in_register = register_match(citizen.nik, citizen.kk_number) is not None
    event = add_event(case, user=user, membership=membership, action="correct", label=_("Koreksi data"),
                      note=reason, data={"fields": changed})
    flush_case(case)
    record("case.correct", "case", case.id, ticket=case.ticket, reason=reason, fields=changed,
           before={n: _shown(n, getattr(old, n)) for n in changed},
           after={n: _shown(n, getattr(new, n)) for n in changed})
    return event
