"""Reading what the settings pages show: unit cards, choices for forms, staff, areas, village labels."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Membership, MembershipArea, User
from app.extensions import db
from app.org.chart import UnitNode
from app.org.models import OrgUnit, Position
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context


def parse_id(raw) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError):
        return None


def find(model, raw_id):
    """A row of the current region by an id typed into a form, or None."""
    object_id = parse_id(raw_id)
    return db.session.scalar(select(model).where(model.id == object_id)) if object_id else None


def _position_options():
    return (selectinload(Position.memberships).options(
        selectinload(Membership.user),
        selectinload(Membership.areas).options(selectinload(MembershipArea.district),
                                               selectinload(MembershipArea.village))),)


def card_node(unit: OrgUnit) -> UnitNode:
    """One unit with its active positions and their holders (for its card)."""
    positions = db.session.scalars(select(Position).where(Position.unit_id == unit.id, Position.retired_at.is_(None))
                                   .order_by(Position.sort_order).options(*_position_options())).all()
    return UnitNode(unit, list(positions))


def active_units() -> list[OrgUnit]:
    return list(db.session.scalars(select(OrgUnit).where(OrgUnit.retired_at.is_(None)).order_by(OrgUnit.sort_order)))


def parent_choices(exclude: set | None = None) -> list[tuple[str, str]]:
    """Active units as an indented list (depth shown with dashes), minus `exclude` ids."""
    units = active_units()
    ids = {u.id for u in units}
    children: dict = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    out = [("", _("— unit puncak (tanpa induk) —"))]

    def walk(parent, depth):
        for unit in children.get(parent, []):
            if exclude and unit.id in exclude:
                continue
            out.append((str(unit.id), "\u2003" * depth + unit.name))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return out


def position_choices() -> list:
    """Active posts of active units, grouped by unit (an <optgroup> each)."""
    rows = db.session.execute(
        select(Position, OrgUnit).join(OrgUnit, OrgUnit.id == Position.unit_id)
        .where(Position.retired_at.is_(None), OrgUnit.retired_at.is_(None))
        .order_by(OrgUnit.sort_order, Position.sort_order)).all()
    return [SelectChoice("", _("— pilih jabatan —"))] + [
        SelectChoice(str(p.id), f"{p.title} \u2014 {u.name} ({p.role_label})", optgroup=u.name) for p, u in rows]


def districts() -> list[District]:
    return list(db.session.scalars(select(District).where(District.regency_code == tenant_in_context().region_code)
                                   .order_by(District.name)))


def villages_by_district() -> list[tuple[District, list[Village]]]:
    """The region's villages grouped by district, both by name."""
    ds = districts()
    villages = db.session.scalars(select(Village).where(Village.district_code.in_([d.code for d in ds]))
                                  .order_by(Village.name)).all()
    grouped: dict[str, list[Village]] = {}
    for village in villages:
        grouped.setdefault(village.district_code, []).append(village)
    return [(d, grouped.get(d.code, [])) for d in ds]


def members(active: bool = True) -> list[Membership]:
    """The region's members (active or not), by name, with post, unit and areas loaded."""
    return list(db.session.scalars(
        select(Membership).join(User, User.id == Membership.user_id)
        .where(Membership.active.is_(active))
        .order_by(User.name)
        .options(selectinload(Membership.user), selectinload(Membership.position).selectinload(Position.unit),
                 selectinload(Membership.areas).options(selectinload(MembershipArea.district),
                                                        selectinload(MembershipArea.village)))))


def unit_village_labels() -> dict[str, str]:
    """`Talang Aman, Kec. Kemuning` by village code, for every village a unit of the region names."""
    rows = db.session.execute(
        select(Village.code, Village.name, District.name).join(District, District.code == Village.district_code)
        .where(Village.code.in_(select(OrgUnit.village_code).where(OrgUnit.village_code.is_not(None))))).all()
    return {c: f"{v}, Kec. {d}" for c, v, d in rows}
