"""Who may record a complaint, through which channel, for which villages — read from data.

The channels come from the region's SOP (each names the roles that may use it); the
Puskesos channel is told apart by the kind of the officer's unit, never by the region.
"""
from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.accounts.auth import current_membership
from app.casework.sop import Channel, Sop
from app.casework.sop_store import current_version
from app.extensions import db
from app.reference.models import District, Village
from app.tenancy.context import current_tenant, tenant_in_context

WELFARE_CENTER = "welfare_center"


def intake_roles(sop: Sop) -> set[str]:
    """Every role that some channel of the SOP lets record a complaint."""
    return {role for channel in sop.channels.values() for role in channel.roles}


def works_at_welfare_center(membership) -> bool:
    """A Puskesos post: a unit of kind welfare_center, or the Puskesos coordinator."""
    position = membership.position
    return position.unit.kind == WELFARE_CENTER or position.role == "welfare_center_coordinator"


def offered_channels(sop: Sop, membership) -> list[Channel]:
    """The channels this member may record through, in the SOP's order.

    A channel must name the member's role. The Puskesos channel is for Puskesos posts only;
    a Puskesos post records through it instead of the secretariat's walk-in channel.
    """
    role = membership.position.role
    mine = [c for c in sop.channels.values() if role in c.roles]
    if not works_at_welfare_center(membership):
        return [c for c in mine if c.key != WELFARE_CENTER]
    if any(c.key == WELFARE_CENTER for c in mine):
        return [c for c in mine if c.key != "walk_in"]
    return mine


def field_villages(membership, channels: list[Channel]) -> set[str] | None:
    """Village codes a home-visit-only member works in (None: the whole region).

    A facilitator records where they visit: their assigned villages, or every village of
    an assigned district.
    """
    if not channels or any(c.key != "home_visit" for c in channels) or not membership.areas:
        return None
    codes = {a.village_code for a in membership.areas if a.village_code}
    districts = [a.district_code for a in membership.areas if not a.village_code]
    if districts:
        codes |= set(db.session.scalars(select(Village.code).where(Village.district_code.in_(districts))))
    return codes


def region_villages(only: set[str] | None = None) -> list[tuple[str, str, str]]:
    """(district name, village code, village name) of the region, by district then village."""
    query = (select(District.name, Village.code, Village.name).join(District, Village.district_code == District.code)
             .where(District.regency_code == tenant_in_context().region_code)
             .order_by(District.name, Village.name))
    if only is not None:
        query = query.where(Village.code.in_(only))
    return [(district, code, name) for district, code, name in db.session.execute(query)]


def can_intake() -> bool:
    """Whether the logged-in member may record a complaint here (for the navigation)."""
    if "can_intake" not in g:
        g.can_intake = _compute_can_intake()
    return g.can_intake


def _compute_can_intake() -> bool:
    if not current_tenant or not current_user.is_authenticated or not current_membership:
        return False
    try:
        return bool(offered_channels(current_version().sop, current_membership))
    except (LookupError, SQLAlchemyError):  # no published SOP, or an error page after a failed query
        return False
