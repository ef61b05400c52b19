"""Opening a Puskesos (welfare center) in one village: the unit and its three posts at once.

The posts come from a small built-in set (coordinator, front office, back office), all
working per village; their titles and article can be edited afterwards like any post.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit
from app.org.operations import WELFARE_CENTER, create_unit, raise_if
from app.org.positions import create_position
from app.reference.models import District, Village
from app.tenancy.context import tenant_in_context

#: (local title, canonical role) of the posts every new Puskesos starts with.
PUSKESOS_POSTS = (
    (_l("Koordinator"), "welfare_center_coordinator"),
    (_l("Petugas Front Office"), "intake_officer"),
    (_l("Petugas Back Office"), "case_officer"),
)


def generic_welfare_center() -> OrgUnit | None:
    """The region's Puskesos unit that is not tied to one village (from its template), if any."""
    return db.session.scalars(select(OrgUnit).where(
        OrgUnit.kind == WELFARE_CENTER, OrgUnit.village_code.is_(None), OrgUnit.retired_at.is_(None))
        .order_by(OrgUnit.sort_order)).first()


def welfare_center_parent() -> OrgUnit | None:
    """Where a new Puskesos goes: under the generic Puskesos unit, else under the secretariat."""
    return generic_welfare_center() or db.session.scalars(select(OrgUnit).where(
        OrgUnit.kind == "secretariat", OrgUnit.retired_at.is_(None)).order_by(OrgUnit.sort_order)).first()


def default_legal_basis() -> str:
    generic = generic_welfare_center()
    return generic.legal_basis if generic else ""


def village_in_region(code: str | None) -> Village | None:
    """The village with this code if it lies in the current region, else None."""
    if not code or not code.startswith(tenant_in_context().region_code + "."):
        return None
    return db.session.get(Village, code)


def welfare_center_in(village_code: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(
        OrgUnit.kind == WELFARE_CENTER, OrgUnit.village_code == village_code, OrgUnit.retired_at.is_(None)))


def villages_without_welfare_center() -> list[tuple[str, str, str]]:
    """(district name, village code, village name) of the region's villages with no Puskesos yet."""
    taken = set(db.session.scalars(select(OrgUnit.village_code).where(
        OrgUnit.kind == WELFARE_CENTER, OrgUnit.retired_at.is_(None), OrgUnit.village_code.is_not(None))))
    rows = db.session.execute(
        select(District.name, Village.code, Village.name).join(District, Village.district_code == District.code)
        .where(District.regency_code == tenant_in_context().region_code).order_by(District.name, Village.name)).all()
    return [(district, code, name) for district, code, name in rows if code not in taken]


def open_welfare_center(*, village_code: str, name: str = "", legal_basis: str = "") -> OrgUnit:
    """Create the Puskesos of a village with its coordinator, front-office and back-office posts."""
    errors: dict[str, list[str]] = {"village_code": [], "legal_basis": []}
    village = village_in_region(village_code)
    if village is None:
        errors["village_code"].append(_("Pilih kelurahan/desa dari daftar daerah ini."))
    else:
        existing = welfare_center_in(village.code)
        if existing is not None:
            errors["village_code"].append(_("%(v)s sudah punya Puskesos: %(u)s.", v=village.name, u=existing.name))
    legal_basis = legal_basis.strip()
    if not legal_basis:
        errors["legal_basis"].append(
            _("Tulis pasal dasar pembentukan Puskesos, misalnya \u201cPasal 8 ayat (5)\u201d."))
    raise_if(errors)
    assert village is not None  # a missing village was refused just above
    unit = create_unit(name=name.strip() or _("Puskesos %(v)s", v=village.name), kind=WELFARE_CENTER,
                       parent=welfare_center_parent(), legal_basis=legal_basis,
                       district_code=village.district_code, village_code=village.code)
    for title, role in PUSKESOS_POSTS:
        create_position(unit, title=str(title), role=role, legal_basis=legal_basis, area_level="village")
    return unit
