"""Changing a region's org chart: units and positions, each change checked and audited.

Operations take explicit arguments, flush, and leave the commit to the request. A refused
change raises `ConfigError` with messages (in Bahasa Indonesia) per form field; nothing is
written in that case. Every accepted change is an audit event `config.unit.*` /
`config.position.*` with the values before and after.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.invitations import Invitation
from app.accounts.models import Membership, User
from app.audit.log import record
from app.casework.models import Case
from app.errors import Invalid
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.org.service_areas import area_label
from app.org.service_areas import service_areas as region_areas
from app.org.vocabulary import ROLES, UNIT_KINDS
from app.tenancy.models import utcnow

WELFARE_CENTER = "welfare_center"


class ConfigError(Invalid):
    """A configuration change was refused. `errors` maps a field name ("" = the whole form) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors=errors)
        self.errors = errors


def raise_if(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ConfigError(errors)


def unit_snapshot(unit: OrgUnit) -> dict:
    """What the audit log keeps of a unit."""
    return {"name": unit.name, "kind": unit.kind, "parent": unit.parent.name if unit.parent else None,
            "legal_basis": unit.legal_basis, "service_areas": unit.service_areas, "village": unit.village_code}


def position_snapshot(position: Position) -> dict:
    """What the audit log keeps of a position."""
    return {"title": position.title, "role": position.role, "ex_officio": position.ex_officio,
            "legal_basis": position.legal_basis, "area_level": position.area_level, "unit": position.unit.name,
            "decree_authority": position.decree_authority, "decree_number": position.decree_number,
            "decree_date": position.decree_date.isoformat() if position.decree_date else ""}


def unique_key(model, text: str) -> str:
    """A template-safe key (`[a-z0-9_]`, ≤ 80) from `text`, unused in this region (retired rows count)."""
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "unit"
    taken = set(db.session.scalars(select(model.key).where(model.key.like(f"{base}%"))))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def next_order(model) -> int:
    return (db.session.scalar(select(func.max(model.sort_order))) or 0) + 1


def subtree_ids(unit: OrgUnit) -> set:
    """The unit and every unit under it (retired ones included)."""
    rows = db.session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all()
    children: dict = {}
    for uid, parent in rows:
        children.setdefault(parent, []).append(uid)
    out, frontier = {unit.id}, [unit.id]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in out:
                out.add(child)
                frontier.append(child)
    return out


def _sop():
    from app.casework.sop_store import current_version

    try:
        return current_version().sop
    except LookupError:
        return None


def routed_areas(unit: OrgUnit) -> list[str]:
    """Service areas the published SOP routes to this unit."""
    sop = _sop()
    return [area_label(a) for a, key in (sop.routing.items() if sop else []) if key == unit.key]


def roles_still_needed(without: set, extra_roles: tuple = ()) -> list[str]:
    """Messages for SOP steps and channels left with no position once `without` (position ids) is gone."""
    sop = _sop()
    if sop is None:
        return []
    query = select(Position.role).where(Position.retired_at.is_(None))
    if without:
        query = query.where(Position.id.not_in(without))
    held = set(db.session.scalars(query))
    held |= set(extra_roles)
    problems = []
    steps = [(t.label, t.roles) for t in sop.transitions] + [(c.label, c.roles) for c in sop.channels.values()]
    for label, roles in steps:
        if not set(roles) & held:
            names = ", ".join(str(ROLES.get(r, r)) for r in roles)
            problems.append(_("SOP membutuhkan peran %(r)s untuk \u201c%(s)s\u201d, dan tidak ada jabatan lain dengan "
                              "peran itu. Tambahkan jabatan tersebut dahulu.", r=names, s=label))
    return sorted(set(problems))


def _check_unit_fields(unit: OrgUnit | None, name: str, kind: str, parent: OrgUnit | None,
                       service_areas) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {"name": [], "kind": [], "parent_id": [], "service_areas": []}
    if not name:
        errors["name"].append(_("Nama unit wajib diisi."))
    elif len(name) > 200:
        errors["name"].append(_("Nama unit paling banyak 200 karakter."))
    if kind not in UNIT_KINDS:
        errors["kind"].append(_("Pilih jenis unit dari daftar."))
    if parent is not None:
        if parent.retired_at is not None:
            errors["parent_id"].append(_("Unit induk sudah dipensiunkan; pilih unit lain."))
        elif unit is not None and parent.id == unit.id:
            errors["parent_id"].append(_("Unit tidak dapat dipindahkan ke bawah dirinya sendiri."))
        elif unit is not None and parent.id in subtree_ids(unit):
            errors["parent_id"].append(_("Unit tidak dapat dipindahkan ke bawah sub-unitnya sendiri (%(p)s).",
                                         p=parent.name))
    bad = [a for a in service_areas if a not in region_areas()]
    if bad:
        errors["service_areas"].append(_("Bidang layanan tidak dikenal: %(a)s.", a=", ".join(bad)))
    if name and not errors["parent_id"]:
        twin = db.session.scalar(select(OrgUnit).where(
            OrgUnit.retired_at.is_(None), func.lower(OrgUnit.name) == name.lower(),
            OrgUnit.parent_id.is_(None) if parent is None else OrgUnit.parent_id == parent.id))
        if twin is not None and (unit is None or twin.id != unit.id):
            errors["name"].append(_("Sudah ada unit bernama \u201c%(n)s\u201d di tempat yang sama.", n=twin.name))
    if unit is not None and kind != unit.kind and kind in UNIT_KINDS:
        routed = routed_areas(unit)
        if routed and kind != "back_office":
            errors["kind"].append(_("SOP mengarahkan bidang %(a)s ke unit ini, jadi unit ini harus tetap Back "
                                    "Office. Ubah pemetaan bidang layanan di pengaturan SOP dahulu.",
                                    a=", ".join(routed)))
    return errors


def create_unit(*, name: str, kind: str, parent: OrgUnit | None, legal_basis: str = "",
                service_areas=(), district_code: str | None = None, village_code: str | None = None) -> OrgUnit:
    """Add a unit under `parent` (None = a top unit)."""
    name, legal_basis = name.strip(), legal_basis.strip()
    raise_if(_check_unit_fields(None, name, kind, parent, service_areas))
    unit = OrgUnit(key=unique_key(OrgUnit, name), name=name, kind=kind, parent_id=parent.id if parent else None,
                   legal_basis=legal_basis, service_areas=",".join(service_areas), district_code=district_code,
                   village_code=village_code, sort_order=next_order(OrgUnit))
    db.session.add(unit)
    db.session.flush()
    record("config.unit.create", "org_unit", unit.id, after=unit_snapshot(unit))
    return unit


def update_unit(unit: OrgUnit, *, name: str, kind: str, parent: OrgUnit | None, legal_basis: str,
                service_areas=()) -> OrgUnit:
    """Rename, re-kind or move a unit (one audit event per kind of change)."""
    if unit.retired_at is not None:
        raise ConfigError({"": [_("Unit ini sudah dipensiunkan.")]})
    name, legal_basis = name.strip(), legal_basis.strip()
    raise_if(_check_unit_fields(unit, name, kind, parent, service_areas))
    before = unit_snapshot(unit)
    moved = unit.parent_id != (parent.id if parent else None)
    unit.name, unit.kind, unit.legal_basis = name, kind, legal_basis
    unit.service_areas = ",".join(service_areas)
    if moved:
        unit.parent_id = parent.id if parent else None
    db.session.flush()
    db.session.expire(unit, ["parent"])
    after = unit_snapshot(unit)
    if moved:
        record("config.unit.move", "org_unit", unit.id, before={"parent": before["parent"]},
               after={"parent": after["parent"]})
    changed = {k for k in after if k != "parent" and before[k] != after[k]}
    if changed:
        record("config.unit.update", "org_unit", unit.id, before={k: before[k] for k in changed},
               after={k: after[k] for k in changed})
    return unit


def active_holders_of(position_ids) -> list[Membership]:
    if not position_ids:
        return []
    return list(db.session.scalars(
        select(Membership).join(User, User.id == Membership.user_id)
        .where(Membership.position_id.in_(position_ids), Membership.active.is_(True)).order_by(User.name)))


def open_invitations_to(position_ids) -> list[Invitation]:
    from app.tenancy.context import current_tenant_id

    if not position_ids:
        return []
    found = db.session.scalars(select(Invitation).where(
        Invitation.tenant_id == current_tenant_id(), Invitation.position_id.in_(position_ids)))
    return [i for i in found if i.is_open]


def retire_blockers(unit: OrgUnit) -> list[str]:
    """What must happen before `unit` can be retired (empty when it can be)."""
    problems = []
    children = [c for c in unit.children if c.retired_at is None]
    if children:
        problems.append(_("Masih ada sub-unit aktif: %(u)s. Pindahkan sub-unit itu ke unit lain atau pensiunkan "
                          "dahulu.", u=", ".join(c.name for c in children)))
    position_ids = [p.id for p in unit.positions if p.retired_at is None]
    holders = active_holders_of(position_ids)
    if holders:
        problems.append(_("Masih ada %(n)s staf aktif di unit ini (%(who)s). Pindahkan mereka ke jabatan lain atau "
                          "nonaktifkan di halaman Staf dahulu.", n=len(holders),
                          who=", ".join(m.user.name for m in holders)))
    invitations = open_invitations_to(position_ids)
    if invitations:
        problems.append(_("Masih ada undangan terbuka ke jabatan di unit ini (%(e)s). Batalkan undangan itu di "
                          "halaman Staf dahulu.", e=", ".join(i.email for i in invitations)))
    cases = db.session.scalars(select(Case.ticket).where(
        Case.closed_at.is_(None), (Case.unit_id == unit.id) | (Case.origin_unit_id == unit.id))
        .order_by(Case.created_at)).all()
    if cases:
        shown = ", ".join(cases[:5]) + (" …" if len(cases) > 5 else "")
        problems.append(_("Masih ada %(n)s kasus terbuka yang ditangani atau masuk lewat unit ini (%(t)s). "
                          "Selesaikan kasus itu dahulu.", n=len(cases), t=shown))
    routed = routed_areas(unit)
    if routed:
        problems.append(_("SOP mengarahkan bidang %(a)s ke unit ini. Ubah pemetaan bidang layanan di pengaturan SOP "
                          "dahulu.", a=", ".join(routed)))
    problems.extend(roles_still_needed(set(position_ids)))
    return problems


def retire_unit(unit: OrgUnit) -> OrgUnit:
    """Retire a unit and its (empty) positions; refused with what to do first."""
    if unit.retired_at is not None:
        raise ConfigError({"": [_("Unit ini sudah dipensiunkan.")]})
    raise_if({"": retire_blockers(unit)})
    now = utcnow()
    unit.retired_at = now
    for position in unit.positions:
        if position.retired_at is None:
            position.retired_at = now
    db.session.flush()
    record("config.unit.retire", "org_unit", unit.id, before=unit_snapshot(unit),
           positions=[p.title for p in unit.positions])
    return unit
