"""Recording what a household receives (kepesertaan) and needs (kebutuhan).

A facilitator on a home visit, a front-office officer, or the back office while handling a
case records that a household (or one member) receives a program — where the knowledge
comes from, since when, whether it was checked — or needs a program or a kind of help, and
why. Each record is validated against the household as the secretariat knows it
(`app.programs.facts`), placed where the household lives (so area-bound reviewers see it),
sent into the region's review chain for its kind (`app.reviews.operations.submit`) and
audited. Who reviews is region data; nothing here names a role.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.log import record
from app.casework.access import covers_place
from app.citizens.identity import district_code_of, mask_nik
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.org.service_areas import service_areas
from app.permissions import Capability, can
from app.programs.catalogue import program_by_code
from app.programs.facts import HouseholdFacts, household_facts
from app.programs.models import Need, Participation, Program
from app.programs.vocabulary import ParticipationSource
from app.reviews.operations import submit
from app.reviews.vocabulary import ReviewedKind, ReviewStatus

NOTE_MAX = 2000
REASON_MAX = 2000


def _membership(member: Any):
    """A Membership from a SessionUser or a Membership."""
    return getattr(member, "membership", member)


def _user_id(member: Any):
    membership = _membership(member)
    return getattr(membership, "user_id", None) or getattr(member, "id", None)


def household_in_reach(kk_number: str, member: Any, today: date | None = None) -> HouseholdFacts:
    """The household's facts if it is in this region and in the member's areas; NotFound otherwise.

    An area-bound member (a facilitator's villages, a supervisor's districts) is told the
    same as for a household of another region, so nothing leaks about who lives elsewhere.
    """
    facts = household_facts((kk_number or "").strip(), today) if kk_number else None
    if facts is None or not covers_place(_membership(member), facts.village_code or None):
        raise NotFound(_("Rumah tangga tidak ditemukan."))
    return facts


def _may_record(member: Any, kk_number: str) -> HouseholdFacts:
    if not can(member, Capability.RECORD_PARTICIPATION):
        raise Forbidden(_("Anda tidak berwenang mencatat kepesertaan atau kebutuhan program."))
    return household_in_reach(kk_number, member)


def _program(program: Program | str | None, field: str = "program") -> Program:
    """The active catalogue program (given as a row or its code)."""
    found = program_by_code(program) if isinstance(program, str) else program
    if found is None or not found.active:
        raise Invalid(errors={field: [_("Pilih program yang aktif di katalog.")]})
    return found


def _member_nik(facts: HouseholdFacts, nik: str, program: Program | None) -> str:
    """The member's NIK ("" = the whole household), checked against the household."""
    nik = (nik or "").strip()
    if nik and nik not in {m.nik for m in facts.members}:
        raise Invalid(errors={"nik": [_("NIK ini bukan anggota rumah tangga tersebut.")]})
    if not nik and program is not None and program.member_level:
        raise Invalid(errors={"nik": [_("Program ini diterima per orang: pilih anggota rumah tangga.")]})
    return nik


def _receives(facts: HouseholdFacts, nik: str, program: Program) -> bool:
    """Whether the household (or that member) already receives the program, as far as is known."""
    if nik:
        return any(m.nik == nik and program.code in m.programs for m in facts.members)
    return program.code in facts.programs


def _case_id(case, kk_number: str):
    """The case's id, if the case is about a member of this household."""
    if case is None:
        return None
    citizen = getattr(case, "citizen", None)
    if citizen is None or citizen.kk_number != kk_number:
        raise Invalid(errors={"case": [_("Kasus ini bukan milik anggota rumah tangga tersebut.")]})
    return case.id


def _place(record_: Participation | Need, facts: HouseholdFacts) -> None:
    record_.village_code = facts.village_code or ""
    record_.district_code = facts.district_code or district_code_of(facts.kk_number)


def record_participation(*, kk_number: str, nik: str, program: Program | str, source: str, since: date | None,
                         verified: bool, note: str, member: Any, case=None) -> Participation:
    """Record that a household (nik "") or one member receives `program`; sent for review, audited.

    Refused: no right to record (Forbidden), a household outside this region or the member's
    areas (NotFound), an inactive program, a NIK of another household, an unknown source, a
    date in the future (Invalid), and what is already known to be received (Conflict).
    """
    facts = _may_record(member, kk_number)
    program = _program(program)
    errors: dict[str, list[str]] = {}
    if source not in ParticipationSource.labels():
        errors["source"] = [_("Pilih sumber keterangan.")]
    if since is not None and since > date.today():
        errors["since"] = [_("Tanggal mulai tidak boleh di masa depan.")]
    if len(note or "") > NOTE_MAX:
        errors["note"] = [_("Catatan terlalu panjang (paling banyak %(n)s karakter).", n=NOTE_MAX)]
    nik = _member_nik(facts, nik, program)
    if errors:
        raise Invalid(errors=errors)
    if _receives(facts, nik, program) or _open_participation(facts.kk_number, nik, program) is not None:
        raise Conflict(_("Kepesertaan %(p)s ini sudah tercatat.", p=program.name), errors={"program": [
            _("Kepesertaan %(p)s ini sudah tercatat.", p=program.name)]})
    row = Participation(kk_number=facts.kk_number, nik=nik, program_id=program.id, source=source, since=since,
                        verified=bool(verified), case_id=_case_id(case, facts.kk_number),
                        created_by=_user_id(member))
    _place(row, facts)
    submit(row, ReviewedKind.PARTICIPATION)
    row.note = (note or "").strip()  # the recorder's note, until a reviewer's replaces it
    db.session.flush()
    record("participation.record", "participation", row.id, kk=mask_nik(facts.kk_number),
           nik=mask_nik(nik) if nik else "", program=program.code, source=source,
           since=since.isoformat() if since else "", verified=bool(verified), case=row.case_id or "")
    return row


def _open_participation(kk_number: str, nik: str, program: Program) -> Participation | None:
    """A participation of this household/member in `program` not ended and not rejected."""
    return db.session.scalars(select(Participation).where(
        Participation.kk_number == kk_number, Participation.nik == nik, Participation.program_id == program.id,
        Participation.ended_at.is_(None), Participation.status != ReviewStatus.REJECTED).limit(1)).first()


def record_need(*, kk_number: str, nik: str, program: Program | str | None = None, service_area: str = "",
                reason: str, member: Any, case=None) -> Need:
    """Record that a household (nik "") or one member needs a program, or a kind of help
    (`service_area`, one of the region's service areas) when no program fits; sent for review, audited.

    Refused like `record_participation`; also without a reason, with neither program nor
    kind of help, for a program already received, and when the same need is still open.
    """
    facts = _may_record(member, kk_number)
    errors: dict[str, list[str]] = {}
    found = _program(program) if program else None
    service_area = (service_area or "").strip() if found is None else ""
    if found is None and service_area not in service_areas():
        errors["program"] = [_("Pilih program atau jenis bantuan yang dibutuhkan.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Tuliskan mengapa bantuan ini dibutuhkan.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("Alasan terlalu panjang (paling banyak %(n)s karakter).", n=REASON_MAX)]
    nik = _member_nik(facts, nik, found)
    if errors:
        raise Invalid(errors=errors)
    if found is not None and _receives(facts, nik, found):
        raise Conflict(_("Rumah tangga ini sudah menerima %(p)s.", p=found.name),
                       errors={"program": [_("Rumah tangga ini sudah menerima %(p)s.", p=found.name)]})
    if _open_need(facts.kk_number, nik, found, service_area) is not None:
        raise Conflict(_("Kebutuhan ini sudah tercatat dan belum selesai ditelaah."),
                       errors={"program": [_("Kebutuhan ini sudah tercatat dan belum selesai ditelaah.")]})
    row = Need(kk_number=facts.kk_number, nik=nik, program_id=found.id if found else None,
               service_area=service_area, reason=reason, case_id=_case_id(case, facts.kk_number),
               created_by=_user_id(member))
    _place(row, facts)
    submit(row, ReviewedKind.NEED)
    db.session.flush()
    record("need.record", "need", row.id, kk=mask_nik(facts.kk_number), nik=mask_nik(nik) if nik else "",
           program=found.code if found else "", service_area=service_area, case=row.case_id or "")
    return row


def _open_need(kk_number: str, nik: str, program: Program | None, service_area: str) -> Need | None:
    """The same need (program or kind of help) of this household/member, still pending."""
    stmt = select(Need).where(Need.kk_number == kk_number, Need.nik == nik, Need.status == ReviewStatus.PENDING)
    stmt = stmt.where(Need.program_id == program.id) if program else stmt.where(
        Need.program_id.is_(None), Need.service_area == service_area)
    return db.session.scalars(stmt.limit(1)).first()


def end_participation(record_: Participation, ended_at: date | None, note: str, member: Any) -> Participation:
    """Record that a participation has ended (the household no longer receives the program); audited.

    The ending is a fact recorded by staff with the right to record, in their areas; it does
    not reopen the record's review (a rejected ending would otherwise wipe out an approved
    participation). Refused: already ended, a date before `since` or in the future.
    """
    facts = _may_record(member, record_.kk_number)
    errors: dict[str, list[str]] = {}
    if record_.ended_at is not None:
        raise Conflict(_("Kepesertaan ini sudah berakhir."))
    if record_.status == ReviewStatus.REJECTED:
        raise Conflict(_("Kepesertaan yang ditolak tidak dapat diakhiri."))
    if ended_at is None:
        errors["ended_at"] = [_("Isi tanggal berakhir.")]
    elif ended_at > date.today():
        errors["ended_at"] = [_("Tanggal berakhir tidak boleh di masa depan.")]
    elif record_.since is not None and ended_at < record_.since:
        errors["ended_at"] = [_("Tanggal berakhir sebelum tanggal mulai.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Tuliskan alasan kepesertaan berakhir.")]
    elif len(note) > NOTE_MAX:
        errors["note"] = [_("Catatan terlalu panjang (paling banyak %(n)s karakter).", n=NOTE_MAX)]
    if errors:
        raise Invalid(errors=errors)
    record_.ended_at = ended_at
    db.session.flush()
    record("participation.end", "participation", record_.id, kk=mask_nik(facts.kk_number),
           ended_at=ended_at.isoformat() if ended_at else "", note=note)
    return record_
