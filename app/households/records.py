"""A household's records as its page shows them: programs received, needs, data updates, and
where each stands in its review chain (waiting on whom, approved, rejected and why)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.casework.sop_procedure import titles_by_role
from app.citizens.models import RegisterEntry, RegisterHousehold
from app.citizens.register import current_import_id
from app.extensions import db
from app.org.service_areas import area_label
from app.org.vocabulary import ROLES
from app.programs.models import Need, Participation, Program
from app.programs.vocabulary import ParticipationSource
from app.reviews.vocabulary import ReviewAction, ReviewStatus
from app.verval.models import DataUpdate
from app.verval.vocabulary import MinistryResult, UpdateKind


@dataclass
class ReviewView:
    """Where a reviewed record stands, in words."""

    status: str
    label: str
    waiting: str = ""   # pending: "Menelaah: Supervisor Kecamatan" (the open stage's action and local titles)
    stage: str = ""     # pending: "tahap 1 dari 2"
    reason: str = ""    # rejected: the reviewer's reason


def review_view(row: Any, titles: dict[str, list[str]]) -> ReviewView:
    """The review state of a Participation, Need or DataUpdate, from its own chain snapshot."""
    label = ReviewStatus.label_of(row.status)
    if row.status == ReviewStatus.REJECTED:
        return ReviewView(row.status, label, reason=row.note or "")
    chain = row.chain or []
    if row.status != ReviewStatus.PENDING or not 0 <= row.stage < len(chain):
        return ReviewView(row.status, label)
    stage = chain[row.stage]
    who = [", ".join(titles.get(role) or [str(ROLES.get(role, role))]) for role in stage.get("roles") or []]
    action = ReviewAction.label_of(stage.get("action") or ReviewAction.REVIEW)
    return ReviewView(row.status, label, waiting=f"{action}: {' / '.join(who) or '—'}",
                      stage=_("tahap %(n)s dari %(total)s", n=row.stage + 1, total=len(chain)))


@dataclass
class ReceivedRow:
    """A program the register extract flags for the household or one member."""

    program: Program
    member_name: str  # "" = the household


@dataclass
class RecordRow:
    """A participation or need recorded by staff, with its review state."""

    row: Participation | Need
    program: Program | None
    what: str          # the program's name, or the kind of help
    member_name: str   # "" = the whole household
    review: ReviewView
    source: str = ""   # participation: where the knowledge comes from


@dataclass
class UpdateRow:
    update: DataUpdate
    kind: str
    member_name: str
    review: ReviewView
    result: str = ""  # the ministry's answer, in words


@dataclass
class HouseholdRecords:
    received: list[ReceivedRow] = field(default_factory=list)
    participations: list[RecordRow] = field(default_factory=list)
    needs: list[RecordRow] = field(default_factory=list)
    updates: list[UpdateRow] = field(default_factory=list)


def _flagged(kk_number: str, catalogue: dict[str, Program], names: dict[str, str]) -> list[ReceivedRow]:
    """Programs the current extract flags for this household and its members (two indexed reads)."""
    import_id = current_import_id()
    if import_id is None:
        return []
    by_flag = {p.register_flag.strip().lower(): p for p in catalogue.values() if p.register_flag}

    def programs(flags: str | None) -> list[Program]:
        return [by_flag[f] for f in (x.strip().lower() for x in (flags or "").split(",")) if f in by_flag]

    household = db.session.scalar(select(RegisterHousehold.programs).where(
        RegisterHousehold.import_id == import_id, RegisterHousehold.kk_number == kk_number))
    rows = [ReceivedRow(p, "") for p in programs(household)]
    for nik, flags in db.session.execute(select(RegisterEntry.nik, RegisterEntry.programs).where(
            RegisterEntry.import_id == import_id, RegisterEntry.kk_number == kk_number, RegisterEntry.programs != "")):
        rows += [ReceivedRow(p, names.get(nik, "")) for p in programs(flags)]
    return rows


def household_records(kk_number: str, names: dict[str, str], programs: list[Program] | None = None) -> HouseholdRecords:
    """Everything recorded about the household besides its cases; `names` maps its members' NIKs to
    names; `programs` is the region's catalogue when the caller has it already."""
    catalogue = {str(p.id): p for p in (db.session.scalars(select(Program)) if programs is None else programs)}
    titles = titles_by_role()
    out = HouseholdRecords(received=_flagged(kk_number, catalogue, names))
    for part in db.session.scalars(select(Participation).where(Participation.kk_number == kk_number)
                                   .order_by(Participation.created_at.desc())):
        program = catalogue.get(str(part.program_id))
        out.participations.append(RecordRow(
            part, program, program.name if program else "—", names.get(part.nik, ""), review_view(part, titles),
            source=ParticipationSource.label_of(part.source)))
    for need in db.session.scalars(select(Need).where(Need.kk_number == kk_number).order_by(Need.created_at.desc())):
        program = catalogue.get(str(need.program_id)) if need.program_id else None
        what = program.name if program else area_label(need.service_area)
        out.needs.append(RecordRow(need, program, what, names.get(need.nik, ""), review_view(need, titles)))
    for update in db.session.scalars(select(DataUpdate).where(DataUpdate.kk_number == kk_number)
                                     .order_by(DataUpdate.created_at.desc())):
        out.updates.append(UpdateRow(update, UpdateKind.label_of(update.kind), names.get(update.nik, ""),
                                     review_view(update, titles),
                                     MinistryResult.label_of(update.result) if update.result else ""))
    return out


@dataclass
class MyRecord:
    """A participation or need as its recorder's own list shows it."""

    kind: str
    what: str
    kk_number: str
    nik: str
    created_at: Any
    review: ReviewView


def recorded_by(user_id, limit: int = 50) -> list[MyRecord]:
    """The participation and needs this user recorded, newest first (at most `limit` of each)."""
    catalogue = {str(p.id): p.name for p in db.session.scalars(select(Program))}
    titles = titles_by_role()
    rows: list[MyRecord] = []
    for part in db.session.scalars(select(Participation).where(Participation.created_by == user_id)
                                   .order_by(Participation.created_at.desc()).limit(limit)):
        rows.append(MyRecord(_("Kepesertaan"), catalogue.get(str(part.program_id), "—"), part.kk_number, part.nik,
                             part.created_at, review_view(part, titles)))
    for need in db.session.scalars(select(Need).where(Need.created_by == user_id)
                                   .order_by(Need.created_at.desc()).limit(limit)):
        what = catalogue.get(str(need.program_id), "—") if need.program_id else str(
            area_label(need.service_area))
        rows.append(MyRecord(_("Kebutuhan"), what, need.kk_number, need.nik, need.created_at,
                             review_view(need, titles)))
    return sorted(rows, key=lambda r: r.created_at, reverse=True)
