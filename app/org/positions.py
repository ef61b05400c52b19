"""Changing the posts of a region's org chart: local title, canonical role, ex officio, article.

Part of the org-chart operations (see `app.org.operations`): explicit arguments, flush
only, `ConfigError` with per-field messages when refused, an audit event when done.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit.log import record
from app.extensions import db
from app.org.decree import Decree
from app.org.decree import check as decree_problems
from app.org.models import OrgUnit, Position
from app.org.operations import (
    ConfigError,
    active_holders_of,
    next_order,
    open_invitations_to,
    position_snapshot,
    raise_if,
    roles_still_needed,
    unique_key,
)
from app.org.vocabulary import AREA_LEVEL_BY_ROLE, ROLES, AreaLevel
from app.permissions import Capability, roles_for
from app.tenancy.models import utcnow

AREA_LEVEL_LABELS = AreaLevel.labels()


def _check(position: Position | None, unit: OrgUnit, title: str, role: str, legal_basis: str,
           area_level: str | None, actor=None, decree: Decree | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {"": [], "title": [], "role": [], "legal_basis": [], "area_level": [],
                                    **decree_problems(decree or Decree())}
    if unit.retired_at is not None:
        errors[""].append(_("Unit %(u)s sudah dipensiunkan.", u=unit.name))
    if not title:
        errors["title"].append(_("Nama jabatan wajib diisi."))
    elif len(title) > 200:
        errors["title"].append(_("Nama jabatan paling banyak 200 karakter."))
    if role not in ROLES:
        errors["role"].append(_("Pilih peran dari daftar: aplikasi hanya mengenal peran-peran itu."))
    if not legal_basis:
        errors["legal_basis"].append(_("Tulis pasal asal jabatan ini, misalnya \u201cPasal 8 ayat (4) huruf a\u201d."))
    if area_level is not None and area_level not in AreaLevel.labels():
        errors["area_level"].append(_("Pilih tingkat wilayah kerja dari daftar."))
    elif role in AREA_LEVEL_BY_ROLE and area_level != AREA_LEVEL_BY_ROLE[role]:
        errors["area_level"].append(_("Peran %(r)s bekerja per %(l)s.", r=ROLES[role],
                                      l=AREA_LEVEL_LABELS[AREA_LEVEL_BY_ROLE[role]]))
    if position is None or errors["role"]:
        return errors
    holders = active_holders_of([position.id])
    if holders and area_level != position.area_level:
        old = AREA_LEVEL_LABELS.get(position.area_level or "", _("seluruh daerah"))
        errors["area_level"].append(_("Jabatan ini dipegang %(n)s orang dengan wilayah kerja per %(old)s. Pindahkan "
                                      "mereka ke jabatan lain dahulu, atau buat jabatan baru.",
                                      n=len(holders), old=old))
    if role != position.role:
        if actor is not None and actor.position_id == position.id and role not in roles_for(Capability.CONFIGURE):
            errors["role"].append(_("Anda memegang jabatan ini: dengan peran itu Anda tidak dapat lagi membuka "
                                    "Pengaturan. Minta pimpinan lain mengubahnya."))
        errors["role"].extend(roles_still_needed({position.id}, (role,)))
    return errors


def create_position(unit: OrgUnit, *, title: str, role: str, ex_officio: str = "", legal_basis: str,
                    area_level: str | None = None, decree: Decree | None = None) -> Position:
    """Add a post to `unit`. The area level follows the role where the role has one."""
    title, ex_officio, legal_basis = title.strip(), ex_officio.strip(), legal_basis.strip()
    area_level = area_level or AREA_LEVEL_BY_ROLE.get(role)
    decree = _trimmed(decree or Decree())
    raise_if(_check(None, unit, title, role, legal_basis, area_level, decree=decree))
    position = Position(key=unique_key(Position, f"{unit.key}_{title}"), unit_id=unit.id, title=title, role=role,
                        ex_officio=ex_officio, legal_basis=legal_basis, area_level=area_level,
                        sort_order=next_order(Position), **decree.columns())
    db.session.add(position)
    db.session.flush()
    db.session.refresh(position, ["unit"])
    record("config.position.create", "position", position.id, after=position_snapshot(position))
    return position


def update_position(position: Position, *, title: str, role: str, ex_officio: str, legal_basis: str,
                    area_level: str | None = None, actor=None, decree: Decree | None = None) -> Position:
    """Edit a post; `actor` (the editor's membership) may not take configuration away from themselves.

    `decree` replaces the post's appointing decree (an empty `Decree()` removes it); None leaves it as it is.
    """
    if position.retired_at is not None:
        raise ConfigError({"": [_("Jabatan ini sudah dipensiunkan.")]})
    title, ex_officio, legal_basis = title.strip(), ex_officio.strip(), legal_basis.strip()
    area_level = area_level or AREA_LEVEL_BY_ROLE.get(role)
    decree = _trimmed(decree) if decree is not None else Decree.of(position)
    raise_if(_check(position, position.unit, title, role, legal_basis, area_level, actor, decree))
    before = position_snapshot(position)
    position.title, position.role, position.ex_officio = title, role, ex_officio
    position.legal_basis, position.area_level = legal_basis, area_level
    for name, value in decree.columns().items():
        setattr(position, name, value)
    db.session.flush()
    after = position_snapshot(position)
    changed = [k for k in after if before[k] != after[k]]
    if changed:
        record("config.position.update", "position", position.id, before={k: before[k] for k in changed},
               after={k: after[k] for k in changed})
    return position


def _trimmed(decree: Decree) -> Decree:
    return Decree(authority=decree.authority.strip(), number=decree.number.strip(), date=decree.date)


def position_retire_blockers(position: Position) -> list[str]:
    """What must happen before `position` can be retired."""
    problems = []
    holders = active_holders_of([position.id])
    if holders:
        problems.append(_("Jabatan ini masih dipegang %(who)s. Pindahkan mereka ke jabatan lain atau nonaktifkan di "
                          "halaman Staf dahulu.", who=", ".join(m.user.name for m in holders)))
    invitations = open_invitations_to([position.id])
    if invitations:
        problems.append(_("Masih ada undangan terbuka ke jabatan ini (%(e)s). Batalkan undangan itu di halaman Staf "
                          "dahulu.", e=", ".join(i.email for i in invitations)))
    problems.extend(roles_still_needed({position.id}))
    return problems


def retire_position(position: Position) -> Position:
    """Retire an empty post; refused with what to do first."""
    if position.retired_at is not None:
        raise ConfigError({"": [_("Jabatan ini sudah dipensiunkan.")]})
    raise_if({"": position_retire_blockers(position)})
    position.retired_at = utcnow()
    db.session.flush()
    record("config.position.retire", "position", position.id, before=position_snapshot(position))
    return position
