"""Reviewed records and data updates for tests: places, a submitted update, chains as data."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.extensions import db
from app.reference.models import District, Village
from app.reviews.operations import submit
from app.tenancy.context import tenant_in_context
from app.verval.models import DataUpdate

#: Payakumbuh Pasal 7 (3) e.a–b and the first 7 (4) b, as data: the supervisor reviews, the manager decides.
TWO_STAGES = [
    {"action": "review", "roles": ["supervisor"], "legal_basis": "Pasal 7 ayat (4) huruf b"},
    {"action": "decide", "roles": ["manager"], "legal_basis": "Pasal 7 ayat (3) huruf e angka b"},
]


def district_village(index: int = 0) -> Village:
    """The first village of the region's `index`-th district (index 0: where the demo field staff work)."""
    region = tenant_in_context().region_code
    district = db.session.scalars(select(District).where(District.regency_code == region)
                                  .order_by(District.code).offset(index).limit(1)).one()
    return db.session.scalars(select(Village).where(Village.district_code == district.code)
                              .order_by(Village.code).limit(1)).one()


def demo_user_id(email: str):
    from app.accounts.models import User

    return db.session.scalar(select(User.id).where(User.email == email))


def submitted_update(village: Village, *, by: str, kind: str = "member_changed", chain: list | None = None,
                     kk_number: str = "") -> DataUpdate:
    """A data update of `kind` in `village` proposed by demo account `by`, on `chain` (default: the
    region's own for the kind), submitted and flushed."""
    tenant = tenant_in_context()
    saved = dict(tenant.review_chains or {})
    if chain is not None:
        tenant.review_chains = {**saved, kind: chain}
    try:
        update = DataUpdate(kind=kind, kk_number=kk_number or village.district_code.replace(".", "") +
                            f"{uuid.uuid4().int % 10**10:010d}", nik="", district_code=village.district_code,
                            village_code=village.code, data={}, created_by=demo_user_id(by))
        submit(update, kind)
        db.session.flush()
    finally:
        tenant.review_chains = saved
    return update
