"""Who sees which case and whose personal data: one rule, by the member's work area and unit.

The areas are the member's own (set with their post): a supervisor works in districts, a
facilitator or a Puskesos officer in villages; a member without areas works region-wide.
A back-office member sees the cases routed within their unit scope (see `routing`) or not
routed yet, the same units they may act for. Whoever holds a case (its assignee) or
recorded it keeps seeing it wherever it lies, so a case never vanishes from its holder.

The inbox, the case page, NIK reveal, the receipt and every other case-scoped route load
cases through `visible_condition`; a case outside it answers 404, like another region's.
"""
from __future__ import annotations

from sqlalchemy import and_, or_, select, true

from app.casework.models import Case
from app.casework.routing import unit_scope
from app.extensions import db

BACK_OFFICE = "back_office"


def area_condition(membership):
    """The case lies in one of the member's areas (None: the member works region-wide)."""
    parts = [Case.village_code == a.village_code if a.village_code else Case.district_code == a.district_code
             for a in membership.areas]
    return or_(*parts) if parts else None


def unit_condition(membership):
    """A back-office member's cases are those routed within their unit scope, or not yet routed."""
    unit = membership.position.unit
    if unit.kind != BACK_OFFICE:
        return None
    return or_(Case.unit_id.is_(None), Case.unit_id.in_(unit_scope(unit.id)))


def visible_condition(membership):
    """The SQL condition on `Case` for the cases this member may see."""
    bounds = [c for c in (area_condition(membership), unit_condition(membership)) if c is not None]
    if not bounds:
        return true()
    holds = or_(Case.assignee_id == membership.user_id, Case.created_by == membership.user_id)
    return or_(holds, and_(*bounds))


def visible_case(membership, case_id, *options):
    """The select of the case with this id if the member may see it (none otherwise): routes
    load it with `db.one_or_404`, so another area's case answers 404 like another region's."""
    return select(Case).where(Case.id == case_id, visible_condition(membership)).options(*options)


def may_see(membership, case) -> bool:
    """Whether the member may see this case (the rule of `visible_case`, for a case at hand)."""
    return db.session.scalar(select(Case.id).where(Case.id == case.id, visible_condition(membership))) is not None


def covers_place(membership, village_code: str | None) -> bool:
    """Whether a person living in `village_code` is in the member's areas (no areas: all of them).

    An unknown village is outside every area: an area-bound member sees only whom they can place.
    """
    if not membership.areas:
        return True
    if not village_code:
        return False
    district_code = village_code.rsplit(".", 1)[0]
    return any(a.village_code == village_code if a.village_code else a.district_code == district_code
               for a in membership.areas)
