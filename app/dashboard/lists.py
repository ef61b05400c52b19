"""The long lists a report carries, read in keyset chunks so memory stays flat.

* pre-list proposals made in the period (the summary of proposals to add beneficiaries);
* referrals requested in the period, with where they stand.

Names of citizens appear only in the pre-list (the proposal is about that person); the
NIK is always masked. Referrals are listed by ticket, never by name.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import and_, select, tuple_

from app.casework.models import Case, Partner, Referral
from app.casework.vocabulary import Outcome, PartnerLevel, ReferralStatus
from app.citizens.identity import mask_nik
from app.citizens.models import Citizen, PrelistProposal
from app.citizens.vocabulary import ProposalStatus
from app.dashboard.periods import Period
from app.dashboard.queries import day_bounds
from app.extensions import db
from app.org.vocabulary import SERVICE_AREAS
from app.reference.models import District, Village
from app.templating import localtime

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


def prelist_columns() -> list[str]:
    return [_("Tanggal usulan"), _("Nama"), _("NIK"), _("Kelurahan/Desa"), _("Kecamatan"), _("Status")]


def prelist_rows(period: Period, district: str = "", chunk: int = CHUNK) -> Iterator[list[list[str]]]:
    """Chunks of pre-list rows, oldest first."""
    lower, upper = day_bounds(period)
    stmt = (select(PrelistProposal.created_at, PrelistProposal.id, Citizen.name, Citizen.nik, Village.name,
                   District.name, PrelistProposal.status)
            .join(Citizen, and_(Citizen.tenant_id == PrelistProposal.tenant_id,
                                Citizen.id == PrelistProposal.citizen_id))
            .join(Village, Village.code == PrelistProposal.village_code)
            .join(District, District.code == PrelistProposal.district_code)
            .where(PrelistProposal.created_at >= lower, PrelistProposal.created_at < upper))
    if district:
        stmt = stmt.where(PrelistProposal.district_code == district)
    for rows in _chunks(stmt, (PrelistProposal.created_at, PrelistProposal.id), chunk):
        yield [[localtime(r[0])[:10], r[2], mask_nik(r[3]), r[4], r[5], ProposalStatus.label_of(r[6])]
               for r in rows]


def referral_columns() -> list[str]:
    return [_("Tanggal"), _("Tiket"), _("Bidang"), _("Kecamatan"), _("Lembaga"), _("Tingkat"), _("Status"),
            _("Hasil")]


def referral_rows(period: Period, district: str = "", chunk: int = CHUNK) -> Iterator[list[list[str]]]:
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
    for rows in _chunks(stmt, (Referral.requested_at, Referral.id), chunk):
        yield [[localtime(r[0])[:10], r[2], str(SERVICE_AREAS.get(r[3], r[3])), r[4], r[5],
                PartnerLevel.label_of(r[6]), ReferralStatus.label_of(r[7]),
                Outcome.label_of(r[8]) if r[8] else "—"] for r in rows]
