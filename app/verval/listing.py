"""Reading data updates: the list (by kind, status, district; area-bound roles their own areas),
one's own proposals, and one update as a member may see it."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, select

from app.accounts.models import User
from app.errors import NotFound
from app.extensions import db
from app.pagination import page_of
from app.permissions import Capability, can
from app.reference.models import District, Village
from app.reviews.operations import area_bound, membership_of
from app.reviews.queue import area_condition, may_see
from app.reviews.vocabulary import ReviewStatus
from app.tenancy.context import tenant_in_context
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

PAGE_SIZE = 20


@dataclass
class UpdateFilters:
    """The list's filters, read from the query string (unknown values are dropped)."""

    kind: str = ""
    status: str = ""
    district: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> UpdateFilters:
        try:
            page = int(args.get("page", 1))
        except ValueError:
            page = 1
        kind, status = args.get("kind", ""), args.get("status", "")
        return cls(kind=kind if kind in UpdateKind.labels() else "",
                   status=status if status in ReviewStatus.labels() else "",
                   district=str(args.get("district", ""))[:8], page=page)

    def as_args(self) -> dict:
        return {k: v for k, v in (("kind", self.kind), ("status", self.status), ("district", self.district)) if v}


def _rows(stmt):
    return (stmt.add_columns(Village.name, District.name, User.name)
            .outerjoin(Village, Village.code == DataUpdate.village_code)
            .outerjoin(District, District.code == DataUpdate.district_code)
            .outerjoin(User, User.id == DataUpdate.created_by))


def page_of_updates(member, filters: UpdateFilters):
    """The page asked for; each row of `.items` is (update, village, district, proposer name)."""
    membership = membership_of(member)
    stmt = select(DataUpdate)
    area = area_condition(DataUpdate, membership)
    if area is not None:
        stmt = stmt.where(area)
    if filters.kind:
        stmt = stmt.where(DataUpdate.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(DataUpdate.status == filters.status)
    if filters.district:
        stmt = stmt.where(DataUpdate.district_code == filters.district)
    return page_of(_rows(stmt).order_by(DataUpdate.created_at.desc(), DataUpdate.id), filters.page, PAGE_SIZE,
                   rows=True)


def page_of_mine(member, page: int = 1):
    """The updates the member proposed, newest first (same rows as `page_of_updates`)."""
    membership = membership_of(member)
    stmt = select(DataUpdate).where(DataUpdate.created_by == membership.user_id)
    return page_of(_rows(stmt).order_by(DataUpdate.created_at.desc(), DataUpdate.id), page, PAGE_SIZE, rows=True)


def visible_update(member, update_id) -> DataUpdate:
    """The update if the member may see it (NotFound otherwise, as for another region's): its
    proposer, its reviewers and whoever sees the data updates, in their areas; those who
    exchange with SIKS-NG, everywhere."""
    membership = membership_of(member)
    update = db.session.scalar(select(DataUpdate).where(DataUpdate.id == update_id))
    if update is None or membership is None:
        raise NotFound(_("Usulan tidak ditemukan."))
    if may_see(membership, update, update.kind):
        return update
    if can(membership, Capability.EXCHANGE_SIKS) and not area_bound(membership):
        return update
    raise NotFound(_("Usulan tidak ditemukan."))


def member_districts(member) -> list[District]:
    """The districts this member may filter by (an area-bound member: those of their areas)."""
    membership = membership_of(member)
    stmt = select(District).where(District.regency_code == tenant_in_context().region_code).order_by(District.name)
    if area_bound(membership):
        stmt = stmt.where(District.code.in_({a.district_code for a in membership.areas}))
    return list(db.session.scalars(stmt))


def place_names(update: DataUpdate) -> tuple[str, str]:
    """(village name, district name) of where the update's household lives."""
    row = db.session.execute(select(Village.name, District.name).join(
        District, and_(District.code == Village.district_code)).where(Village.code == update.village_code)).first()
    return (row[0], row[1]) if row else ("", "")


def proposer_name(update) -> str:
    return db.session.scalar(select(User.name).where(User.id == update.created_by)) or ""


def proposable_villages(member) -> list[tuple[str, str, str]]:
    """(village code, village name, district name) a member may propose a new household in: their
    villages (or districts' villages) if area-bound, else every village of the region."""
    membership = membership_of(member)
    stmt = (select(Village.code, Village.name, District.name).join(District, District.code == Village.district_code)
            .where(District.regency_code == tenant_in_context().region_code).order_by(District.name, Village.name))
    if area_bound(membership):
        villages = {a.village_code for a in membership.areas if a.village_code}
        districts = {a.district_code for a in membership.areas if not a.village_code}
        stmt = stmt.where(Village.code.in_(villages) | District.code.in_(districts))
    return [(code, name, district) for code, name, district in db.session.execute(stmt)]
