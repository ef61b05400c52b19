"""Is a region ready to go live? The checks the console shows before activation.

Three checks on the region's published SOP and who works there now:

* **staffed** — every role the SOP's steps and channels name has at least one active member;
* **channels** — every intake channel has a post (in service) that may use it, and someone
  holds one of those posts (`app.casework.sop_checks`, the rule the SOP publisher refuses by);
* **coverage** — where a step or channel is taken only by posts working per area (supervisor
  by district, facilitator by village…), every district / village of the region is covered by
  an active holder (`app.org.coverage`, areas as `app.casework.steps.covers` reads them).

`check_definition(definition)` works in the region in context (other code — the SOP
publisher, the staff page — can reuse it); `region_readiness(tenant)` enters the region.
Problems are warnings: activation may go ahead with a reason (`app.platform.operations.activate_region`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.casework.sop import SopError, parse_stored
from app.casework.sop_checks import channel_problems, channel_vacancies, coverage, posts_in_service
from app.casework.sop_edits import roles_of
from app.casework.sop_procedure import role_titles, titles_by_role
from app.casework.sop_store import current_version
from app.casework.staffing import active_members
from app.tenancy.context import tenant_context
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


def _channels(sop, posts: list) -> Check:
    check = Check("channels", _("Setiap jalur masuk dapat dipakai oleh suatu jabatan"))
    check.problems = [p.split(": ", 1)[-1] for p in channel_problems(sop, posts)] + channel_vacancies(sop, posts)
    return check


def _coverage(sop, posts: list) -> Check:
    check = Check("coverage", _("Setiap wilayah punya petugas di tahap yang dibagi per wilayah"))
    check.problems = [g.summary(NAMED) for g in coverage(sop, posts)]
    return check


def check_definition(definition: dict) -> list[Check]:
    """The three checks for an SOP definition, in the region in context."""
    by_role: dict[str, list] = defaultdict(list)
    for member in active_members():
        by_role[member.position.role].append(member)
    titles = titles_by_role()
    staffed = _staffed(definition, by_role, titles)
    try:
        sop = parse_stored(definition)
    except SopError as exc:
        return [staffed, Check("channels", _("Setiap jalur masuk dapat dipakai oleh suatu jabatan"), exc.problems)]
    posts = posts_in_service()
    return [staffed, _channels(sop, posts), _coverage(sop, posts)]


def region_readiness(tenant: Tenant) -> Readiness:
    """The checklist for `tenant`'s published SOP (a region without one fails the first check)."""
    with tenant_context(tenant):
        try:
            definition = current_version().definition
        except LookupError:
            no_sop = Check("sop", _("SOP sudah diterbitkan"), [_("Daerah ini belum punya SOP yang berlaku.")])
            return Readiness([no_sop])
        return Readiness(check_definition(definition))
