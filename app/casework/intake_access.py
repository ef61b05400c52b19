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


def is_welfare_center_post(role: str, unit_kind: str) -> bool:
    """A Puskesos post: in a unit of kind welfare_center, or the Puskesos coordinator."""
    return unit_kind == WELFARE_CENTER or role == "welfare_center_coordinator"


def works_at_welfare_center(membership) -> bool:
    """Whether the member's post is a Puskesos post (`is_welfare_center_post`)."""
    position = membership.position
    return is_welfare_center_post(position.role, position.unit.kind)


def offered_channels(sop: Sop, membership) -> list[Channel]:
    """The channels this member may record through, in the SOP's order (`post_channels` of their post)."""
    return post_channels(sop, membership.position.role, works_at_welfare_center(membership))


def post_channels(sop: Sop, role: str, at_welfare_center: bool) -> list[Channel]:
    """The channels a post with `role` may record through, in the SOP's order.

    A channel must name the post's role. The Puskesos channel is for Puskesos posts only;
    a Puskesos post records through it instead of the secretariat's walk-in channel. A region's own
    channel behaves as the built-in one it maps to (`Channel.national`).
    """
    mine = [c for c in sop.channels.values() if role in c.roles]
    if not at_welfare_center:
        return [c for c in mine if c.national != WELFARE_CENTER]
    if any(c.national == WELFARE_CENTER for c in mine):
        return [c for c in mine if c.national != "walk_in"]
    return mine


def field_villages(membership, channels: list[Channel]) -> set[str] | None:
    """Village codes a home-visit-only member works in (None: the whole region).

    A facilitator records where they visit: their assigned villages, or every village of
    an assigned district.
    """
    if not channels or any(c.national != "home_visit" for c in channels) or not membership.areas:
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
