"""The region's report settings as operations: who signs its reports, and which it has built each month.

Both are region configuration (`ReportSettings`, `ReportSchedule`), changed only through
these functions, each change audited (`config.report_signer.update`,
`config.report_schedule.update`) so it shows in the region's configuration history.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Membership
from app.audit.log import record
from app.errors import Invalid
from app.extensions import db
from app.reports.models import ReportSchedule, ReportSettings
from app.tenancy.models import utcnow

#: The reports a region may have built at the start of each month: (kind, format) → label.
SCHEDULABLE = {("monthly", "pdf"): _l("Laporan bulanan (PDF) untuk bulan yang baru berakhir"),
               ("monthly", "xlsx"): _l("Laporan bulanan (Excel) untuk bulan yang baru berakhir"),
               ("yearly", "pdf"): _l("Laporan tahunan (PDF) untuk tahun yang baru berakhir, dibuat bulan Januari"),
               ("yearly", "xlsx"): _l("Laporan tahunan (Excel) untuk tahun yang baru berakhir, dibuat bulan Januari")}
NIP_LENGTH = 18


@dataclass(frozen=True)
class Signer:
    """The signature block as a report prints it ("" where nothing is set: dotted lines)."""

    name: str
    title: str
    nip: str
    place: str

    @property
    def chosen(self) -> bool:
        return bool(self.name)


def stored_settings() -> ReportSettings | None:
    return db.session.scalar(select(ReportSettings))


def signer_member(row: ReportSettings | None) -> Membership | None:
    if row is None or row.signer_membership_id is None:
        return None
    return db.session.scalar(select(Membership).where(Membership.id == row.signer_membership_id))


def signer_of(tenant) -> Signer:
    """The current region's signer: a member of its staff, an official typed in, or nobody yet."""
    row = stored_settings()
    place = (row.sign_place if row is not None else "") or tenant.name
    member = signer_member(row)
    if member is not None:
        return Signer(member.user.name, (row.signer_title if row else "") or member.position.title, member.nip, place)
    if row is not None and row.signer_name:
        return Signer(row.signer_name, row.signer_title, row.signer_nip, place)
    return Signer("", row.signer_title if row is not None else "", "", place)


def clean_nip(value: str | None) -> str:
    """A NIP with its spaces taken out; raises `Invalid` at `nip` unless it is empty or 18 digits."""
    nip = "".join((value or "").split())
    if nip and not (nip.isdigit() and len(nip) == NIP_LENGTH):
        message = _("NIP terdiri dari 18 angka (tanpa huruf atau tanda baca).")
        raise Invalid(message, errors={"nip": [message]})
    return nip


def _line(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def update_signer(user, membership_id: uuid.UUID | None, name: str, title: str, nip: str, place: str) -> list[str]:
    """Choose who signs: a member of this region's staff (`membership_id`), or an official typed in
    (`name`, `title`, `nip`). Returns the names of what changed (audited)."""
    member = None
    if membership_id is not None:
        member = db.session.scalar(select(Membership).where(Membership.id == membership_id,
                                                            Membership.active.is_(True)))
        if member is None:  # another region's member, or not on the staff any more: not offered here
            message = _("Pilih anggota staf daerah ini.")
            raise Invalid(message, errors={"signer": [message]})
        name, nip = "", ""
    else:
        name, nip = _line(name, 200), clean_nip(nip)
        if not name:
            message = _("Isi nama pejabat penanda tangan, atau pilih anggota staf.")
            raise Invalid(message, errors={"name": [message]})
    after = {"signer_membership_id": str(member.id) if member else "", "signer_name": name,
             "signer_title": _line(title, 200), "signer_nip": nip, "sign_place": _line(place, 100)}
    row = stored_settings()
    if row is None:
        row = ReportSettings(updated_by=user.id)
        db.session.add(row)
    before = {"signer_membership_id": str(row.signer_membership_id or ""), "signer_name": row.signer_name or "",
              "signer_title": row.signer_title or "", "signer_nip": row.signer_nip or "",
              "sign_place": row.sign_place or ""}
    changed = [key for key in after if before[key] != after[key]]
    if changed:
        row.signer_membership_id = member.id if member else None
        row.signer_name, row.signer_title, row.signer_nip, row.sign_place = (
            after["signer_name"], after["signer_title"], after["signer_nip"], after["sign_place"])
        row.updated_at, row.updated_by = utcnow(), user.id
        db.session.flush()
        record("config.report_signer.update", "report_settings", row.id,
               before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
               signer=member.user.name if member else name)
    return changed


def scheduled_reports() -> set[tuple[str, str]]:
    """The (kind, format) pairs the current region has built each month."""
    return {(kind, fmt) for kind, fmt in db.session.execute(select(ReportSchedule.kind, ReportSchedule.format))}


def set_schedule(user, chosen: set[tuple[str, str]]) -> bool:
    """Build exactly the reports in `chosen` each month from now on; returns whether anything changed."""
    unknown = chosen - set(SCHEDULABLE)
    if unknown:
        message = _("Laporan terjadwal tidak dikenal.")
        raise Invalid(message, errors={"reports": [message]})
    before = scheduled_reports()
    if before == chosen:
        return False
    for row in db.session.scalars(select(ReportSchedule)):
        if (row.kind, row.format) not in chosen:
            db.session.delete(row)
    for kind, fmt in sorted(chosen - before):
        db.session.add(ReportSchedule(kind=kind, format=fmt, created_by=user.id))
    db.session.flush()
    record("config.report_schedule.update", "report_schedule", "",
           before=sorted(f"{k}:{f}" for k, f in before), after=sorted(f"{k}:{f}" for k, f in chosen))
    return True


def signer_choices() -> list[tuple[str, str]]:
    """(membership id, "Name — post title (NIP …)") of the region's active staff, who may be chosen to sign."""
    from app.accounts.models import User
    from app.org.models import Position

    rows = db.session.execute(
        select(Membership.id, User.name, Position.title, Membership.nip)
        .join(User, User.id == Membership.user_id)
        .join(Position, (Position.tenant_id == Membership.tenant_id) & (Position.id == Membership.position_id))
        .where(Membership.active.is_(True)).order_by(Position.sort_order, Position.title, User.name))
    missing = _("NIP belum diisi")
    return [(str(mid), f"{name} — {title} ({'NIP ' + nip if nip else missing})") for mid, name, title, nip in rows]
