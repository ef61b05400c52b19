"""The region's letterhead (kop surat): the office that signs referral letters, how it numbers them, its logo.

One row per region, set by a manager on the letterhead settings page; until then the letter
uses the defaults below. The number format holds `{n}` (the letter's serial in the region's
year, required), and optionally `{yyyy}` (the year) and `{mm}` (the month in Roman numerals,
as Indonesian official letters write it).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from app.audit.log import record
from app.extensions import Model, db
from app.tenancy.models import TenantOwned, utcnow

DEFAULT_NUMBER_FORMAT = "{n}/SLRT/{mm}/{yyyy}"
MAX_FORMAT_LENGTH = 100
PLACEHOLDERS = ("{n}", "{yyyy}", "{mm}")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
FIELDS = ("office_name", "address", "phone", "email", "number_format")


class Letterhead(TenantOwned, Model):
    """What heads the region's letters; one per region."""

    __tablename__ = "letterheads"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_letterheads_tenant"),)

    office_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    number_format: Mapped[str] = mapped_column(String(MAX_FORMAT_LENGTH), default=DEFAULT_NUMBER_FORMAT)
    #: The logo re-encoded as PNG (see `app.tenants.logo`); None = no logo.
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


@dataclass(frozen=True)
class LetterheadFacts:
    """The letterhead as a letter prints it (the stored row, or the defaults)."""

    office_name: str
    address: str
    phone: str
    email: str
    number_format: str
    logo_png: bytes | None


def stored_letterhead() -> Letterhead | None:
    """The current region's letterhead row, if a manager saved one."""
    return db.session.scalar(select(Letterhead))


def letterhead_of(tenant) -> LetterheadFacts:
    """The current region's letterhead, with the defaults for what was never set."""
    row = stored_letterhead()
    if row is None:
        return LetterheadFacts(office_name=_("Dinas Sosial %(region)s", region=tenant.name), address="", phone="",
                               email="", number_format=DEFAULT_NUMBER_FORMAT, logo_png=None)
    return LetterheadFacts(office_name=row.office_name or _("Dinas Sosial %(region)s", region=tenant.name),
                           address=row.address, phone=row.phone, email=row.email,
                           number_format=row.number_format or DEFAULT_NUMBER_FORMAT, logo_png=row.logo_png)


def format_errors(number_format: str) -> list[str]:
    """What is wrong with a letter number format ([] when it is usable)."""
    errors = []
    if "{n}" not in number_format:
        errors.append(_("Format nomor harus memuat {n} (nomor urut surat)."))
    unknown = sorted(set(re.findall(r"\{[^}]*\}", number_format)) - set(PLACEHOLDERS))
    if unknown or re.search(r"[{}]", re.sub(r"\{(n|yyyy|mm)\}", "", number_format)):
        errors.append(_("Format nomor hanya boleh memakai {n}, {yyyy} (tahun) dan {mm} (bulan Romawi)."))
    if len(number_format) > MAX_FORMAT_LENGTH:
        errors.append(_("Format nomor paling panjang %(n)s karakter.", n=MAX_FORMAT_LENGTH))
    return errors


def letter_number(number_format: str, serial: int, day: date) -> str:
    """The number of the `serial`-th letter of `day`'s year in `number_format`."""
    return (number_format.replace("{n}", str(serial)).replace("{yyyy}", f"{day.year:04d}")
            .replace("{mm}", ROMAN_MONTHS[day.month - 1]))


def _row(user) -> Letterhead:
    row = stored_letterhead()
    if row is None:
        row = Letterhead(number_format=DEFAULT_NUMBER_FORMAT, updated_by=user.id)
        db.session.add(row)
    return row


def update_letterhead(user, **values: str) -> list[str]:
    """Save the letterhead's texts and number format (checked by the form); returns the names of what changed."""
    row = _row(user)
    after = {name: " ".join((values.get(name) or "").split()) for name in FIELDS}
    after["address"] = (values.get("address") or "").strip()
    before = {name: getattr(row, name) or "" for name in FIELDS}
    changed = [name for name in FIELDS if before[name] != after[name]]
    if changed:
        for name in changed:
            setattr(row, name, after[name])
        row.updated_at, row.updated_by = utcnow(), user.id
        db.session.flush()
        record("config.letterhead.update", "letterhead", row.id, before={k: before[k] for k in changed},
               after={k: after[k] for k in changed})
    return changed


def set_logo(user, png: bytes) -> None:
    """Store the (already checked and re-encoded) logo."""
    row = _row(user)
    row.logo_png, row.updated_at, row.updated_by = png, utcnow(), user.id
    db.session.flush()
    record("config.letterhead.logo", "letterhead", row.id, size=len(png))
