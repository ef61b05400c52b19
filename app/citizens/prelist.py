"""Where a member's district-bound lists reach: the districts a supervisor works in.

The pre-list itself is now a kind of data update (`app.verval`: new_household); these two
helpers stay for the lists filtered by district.
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.reference.models import District
from app.tenancy.context import tenant_in_context


def area_districts(membership) -> list[str] | None:
    """The districts a supervisor works in; None for roles that see the whole region."""
    if membership.position.role != "supervisor":
        return None
    return sorted({area.district_code for area in membership.areas})


def member_districts(membership) -> list[District]:
    """The districts of the region this member may filter a list by (a supervisor: their own)."""
    own = area_districts(membership)
    stmt = select(District).where(District.regency_code == tenant_in_context().region_code).order_by(District.name)
    if own is not None:
        stmt = stmt.where(District.code.in_(own))
    return list(db.session.scalars(stmt))
