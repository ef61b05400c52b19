"""The long lists a report carries, read in keyset chunks so memory stays flat.

* proposals to add a household made in the period (data updates of kind `new_household`:
  the summary of proposals to add beneficiaries);
* referrals requested in the period, with where they stand.

The first column of every row is the local date (a `date`: the workbook writes a real date,
the PDF formats it).

Names appear only in the list of proposals (the proposal is about that household: its head,
or its first member); the NIK is always masked. Referrals are listed by ticket, never by name.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, select, tuple_

from app.casework.models import Case, Partner, Referral
from app.casework.vocabulary import Outcome, PartnerLevel, ReferralStatus
from app.citizens.identity import mask_nik
from app.citizens.models import Citizen
from app.dashboard.metrics import PRELIST_STAGES, local_day, prelist_stage
from app.dashboard.periods import Period
from app.dashboard.queries import day_bounds
from app.dashboard.rollups import zone as region_zone
from app.extensions import db
from app.org.service_areas import area_labels
from app.reference.models import District, Village
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

CHUNK = 500


def _chunks(stmt, order_cols, chunk: int) -> Iterator[list]:
    last = None
    while True:
        page = stmt.order_by(*order_cols).limit(chunk)
        if last is not None:
            page = page.where(tuple_(*order_cols) > tuple_(*last))
        rows = list(db.session.execute(page))
        if not rows:
            return
        yield rows
        last = [rows[-1][i] for i in range(len(order_cols))]


def _day(moment: datetime, zone: str | None = None) -> date:
    return local_day(moment, zone or region_zone())


def _texts(labels: dict) -> dict[str, str]:
    """code → label as text, made once for a whole list (a lazy label turned into text costs a lookup of
    the request's language each time: three per referral row were most of the time spent reading them)."""
    return {code: str(label) for code, label in labels.items()}


def prelist_columns() -> list[str]:
    return [_("Tanggal usulan"), _("Nama"), _("NIK/No. KK"), _("Kelurahan/Desa"), _("Kecamatan"), _("Tahap")]


def _head(data: dict | None) -> dict:
    """The proposed household's head (or its first member) from the update's data."""
    members = [m for m in (data or {}).get("members") or [] if isinstance(m, dict)]
    return next((m for m in members if m.get("relation_to_head") == "head"), members[0] if members else {})


def prelist_rows(period: Period, district: str = "", chunk: int = CHUNK) -> Iterator[list[list]]:
    """Chunks of proposals to add a household, oldest first."""
    lower, upper = day_bounds(period)
    stmt = (select(DataUpdate.created_at, DataUpdate.id, Citizen.name, Citizen.nik, Village.name, District.name,
                   DataUpdate.status, DataUpdate.result, DataUpdate.data, DataUpdate.kk_number)
            .outerjoin(Citizen, and_(Citizen.tenant_id == DataUpdate.tenant_id, Citizen.id == DataUpdate.citizen_id))
            .outerjoin(Village, Village.code == DataUpdate.village_code)
            .outerjoin(District, District.code == DataUpdate.district_code)
            .where(DataUpdate.kind == UpdateKind.NEW_HOUSEHOLD, DataUpdate.created_at >= lower,
                   DataUpdate.created_at < upper))
    if district:
        stmt = stmt.where(DataUpdate.district_code == district)
    stages, zone = _texts(PRELIST_STAGES), region_zone()
    for rows in _chunks(stmt, (DataUpdate.created_at, DataUpdate.id), chunk):
        out = []
        for at, _id, name, nik, village, district_name, status, result, data, kk in rows:
            head = _head(data)
            name, nik = name or str(head.get("name") or "—"), nik or str(head.get("nik") or "")
            out.append([_day(at, zone), name, mask_nik(nik or kk), village or "—", district_name or "—",
                        stages.get(prelist_stage(status, result), status)])
        yield out


def referral_columns() -> list[str]:
    return [_("Tanggal"), _("Tiket"), _("Bidang"), _("Kecamatan"), _("Lembaga"), _("Tingkat"), _("Status"),
            _("Hasil")]


def referral_rows(period: Period, district: str = "", chunk: int = CHUNK) -> Iterator[list[list]]:
    """Chunks of referral rows (requested in the period), oldest first."""
    lower, upper = day_bounds(period)
    stmt = (select(Referral.requested_at, Referral.id, Case.ticket, Case.service_area, District.name, Partner.name,
                   Partner.level, Referral.status, Referral.outcome)
            .join(Case, and_(Case.tenant_id == Referral.tenant_id, Case.id == Referral.case_id))
            .join(Partner, and_(Partner.tenant_id == Referral.tenant_id, Partner.id == Referral.partner_id))
            .join(District, District.code == Case.district_code)
            .where(Referral.requested_at >= lower, Referral.requested_at < upper))
    if district:
        stmt = stmt.where(Case.district_code == district)
    labels, zone = area_labels(), region_zone()
    levels, statuses, outcomes = (_texts(v.labels()) for v in (PartnerLevel, ReferralStatus, Outcome))
    for rows in _chunks(stmt, (Referral.requested_at, Referral.id), chunk):
        yield [[_day(r[0], zone), r[2], labels.get(r[3], r[3]), r[4], r[5], levels.get(r[6], r[6]),
                statuses.get(r[7], r[7]), outcomes.get(r[8], r[8]) if r[8] else "—"] for r in rows]
