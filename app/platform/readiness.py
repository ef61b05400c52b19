"""Is a region ready to go live? The checks the console shows before activation.

Three checks on the region's published SOP and who works there now:

* **staffed** — every role the SOP's steps and channels name has at least one active member;
* **channels** — every intake channel has a post (in service) whose role may use it;
* **coverage** — where a step is taken by an area-bound role (supervisor by district,
  facilitator by village…), every district / village of the region is covered by an active
  member of that role (areas as `app.casework.steps.covers` reads them).

`check_definition(definition)` works in the region in context (other code — the SOP
publisher, the staff page — can reuse it); `region_readiness(tenant)` enters the region.
Problems are warnings: activation may go ahead with a reason (`app.platform.operations.activate_region`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.casework.sop_diff import CHANNEL_LABELS
from app.casework.sop_edits import roles_of
from app.casework.sop_procedure import role_titles, titles_by_role
from app.casework.sop_store import current_version
from app.casework.staffing import active_members
from app.extensions import db
from app.org.models import Position
from app.reference.models import District, Village
from app.tenancy.context import tenant_context, tenant_in_context
from app.tenancy.models import Tenant

#: How many uncovered places are named (the rest are counted).
NAMED = 10


@dataclass
class Check:
    key: str                      # staffed | channels | coverage | sop
    label: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Readiness:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[str]:
        return [p for c in self.checks for p in c.problems]


def _step_roles(definition: dict) -> list[str]:
    """Roles named by the SOP's steps and channels, in their order, once each."""
    found: list[str] = []
    for item in list(definition.get("channels") or []) + list(definition.get("transitions") or []):
        found += [r for r in roles_of(item) if r not in found]
    return found


def _staffed(definition: dict, by_role: dict, titles: dict) -> Check:
    check = Check("staffed", _("Jabatan yang dibutuhkan SOP sudah terisi"))
    for role in _step_roles(definition):
        if not by_role.get(role):
            check.problems.append(_("Belum ada petugas aktif untuk %(who)s.", who=role_titles([role], titles)))
    return check


def _channels(definition: dict, held: set[str], titles: dict) -> Check:
    check = Check("channels", _("Setiap jalur masuk dapat dipakai oleh suatu jabatan"))
    for channel in definition.get("channels") or []:
        roles = roles_of(channel)
        if not any(r in held for r in roles):
            name = channel.get("label") or str(CHANNEL_LABELS.get(channel.get("key"), channel.get("key")))
            check.problems.append(_("Jalur \u201c%(c)s\u201d tidak dapat dipakai: tidak ada jabatan %(who)s.",
                                    c=name, who=role_titles(list(roles), titles) if roles else "—"))
    return check


def _named(names: list[str]) -> str:
    shown = ", ".join(names[:NAMED])
    return shown if len(names) <= NAMED else _("%(shown)s dan %(n)s lainnya", shown=shown, n=len(names) - NAMED)


def _coverage(definition: dict, by_role: dict, levels: dict, titles: dict) -> Check:
    check = Check("coverage", _("Setiap wilayah punya petugas di tahap yang dibagi per wilayah"))
    prefix = tenant_in_context().region_code + "."
    districts = None
    for role in _step_roles(definition):
        level = levels.get(role)
        if level is None or not by_role.get(role):
            continue  # not area-bound, or nobody at all (said by the staffed check)
        holders = by_role[role]
        if any(not m.areas for m in holders):
            continue  # someone covers the whole region
        if districts is None:
            districts = db.session.scalars(select(District).where(District.code.startswith(prefix))
                                           .order_by(District.name)).all()
        in_districts = {a.district_code for m in holders for a in m.areas if not a.village_code}
        who = role_titles([role], titles)
        if level == "district":
            missing = [d.name for d in districts if d.code not in in_districts]
            if missing:
                check.problems.append(_("%(n)s kecamatan tanpa %(who)s: %(names)s.", n=len(missing), who=who,
                                        names=_named(missing)))
            continue
        in_villages = {a.village_code for m in holders for a in m.areas if a.village_code}
        villages = db.session.execute(select(Village.code, Village.name, Village.district_code)
                                      .where(Village.code.startswith(prefix)).order_by(Village.name)).all()
        missing = [name for code, name, district in villages
                   if code not in in_villages and district not in in_districts]
        if missing:
            check.problems.append(_("%(n)s kelurahan/desa tanpa %(who)s: %(names)s.", n=len(missing), who=who,
                                    names=_named(missing)))
    return check


def check_definition(definition: dict) -> list[Check]:
    """The three checks for an SOP definition, in the region in context."""
    by_role: dict[str, list] = defaultdict(list)
    for member in active_members():
        by_role[member.position.role].append(member)
    levels: dict[str, str] = {}
    held: set[str] = set()
    for role, level in db.session.execute(select(Position.role, Position.area_level)
                                          .where(Position.retired_at.is_(None))):
        held.add(role)
        if level and levels.get(role) != "village":
            levels[role] = level
    titles = titles_by_role()
    return [_staffed(definition, by_role, titles), _channels(definition, held, titles),
            _coverage(definition, by_role, levels, titles)]


def region_readiness(tenant: Tenant) -> Readiness:
    """The checklist for `tenant`'s published SOP (a region without one fails the first check)."""
    with tenant_context(tenant):
        try:
            definition = current_version().definition
        except LookupError:
            no_sop = Check("sop", _("SOP sudah diterbitkan"), [_("Daerah ini belum punya SOP yang berlaku.")])
            return Readiness([no_sop])
        return Readiness(check_definition(definition))
