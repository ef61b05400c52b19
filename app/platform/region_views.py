"""A region's org chart, SOP and staff as the national console shows them, read-only.

Each read enters the region (`tenant_context`) and uses the region's own read code, so the
console sees exactly what the region's pages show; nothing here writes to the region. The
view itself is recorded in the platform audit log (`region.view_*`), whoever looks.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.models import Membership
from app.accounts.staff import pending_invitations
from app.casework import sop_procedure
from app.casework.models import SopVersion
from app.casework.sop_checks import current_coverage
from app.casework.sop_store import current_version
from app.casework.vocabulary import SopStatus
from app.extensions import db
from app.org.chart import UnitNode, active_holders, org_tree
from app.org.lookups import members
from app.org.models import Position
from app.platform.audit import record_platform
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant

VIEW_ACTIONS = {"chart": "region_read.chart", "sop": "region_read.sop", "staff": "region_read.staff"}


def _seen(tenant: Tenant, what: str, **detail) -> None:
    record_platform(VIEW_ACTIONS[what], tenant=tenant, object_type="tenant", object_id=tenant.id, **detail)


@dataclass
class ChartView:
    roots: list[UnitNode]
    holders: dict  # position id → active memberships
    coverage: list = field(default_factory=list)  # app.org.coverage.Gap: places nobody covers


def region_chart(tenant: Tenant) -> ChartView:
    """The region's chart (units, posts, who holds them); recorded as viewed."""
    with tenant_context(tenant):
        roots = org_tree()
        holders: dict = {}

        def walk(nodes):
            for node in nodes:
                for position in node.positions:
                    holders[position.id] = active_holders(position)
                walk(node.children)

        walk(roots)
        gaps = current_coverage()
    _seen(tenant, "chart")
    return ChartView(roots, holders, gaps)


@dataclass
class SopView:
    version: SopVersion | None       # the one shown (the published one unless another was asked for)
    current: SopVersion | None       # the published one
    stages: list
    channels: list
    routing: list
    history: list                    # (version, publisher name), newest first

    @staticmethod
    def status_label(version: SopVersion) -> str:
        return str(SopStatus.label_of(version.status))


def region_sop(tenant: Tenant, number: int | None = None) -> SopView:
    """The region's published SOP (or version `number`), with the history of versions."""
    with tenant_context(tenant):
        try:
            current: SopVersion | None = current_version()
        except LookupError:
            current = None
        history = [(v, name) for v, name in sop_procedure.versions() if v.status != SopStatus.DRAFT]
        shown = current
        if number is not None:
            shown = next((v for v, _n in history if v.number == number), None)
        titles = sop_procedure.titles_by_role()
        definition = shown.definition if shown is not None else {}
        view = SopView(shown, current, sop_procedure.stages(definition, titles),
                       sop_procedure.channels(definition, titles), sop_procedure.routing(definition), history)
    _seen(tenant, "sop", version=shown.number if shown is not None else None)
    return view


@dataclass
class StaffView:
    active: list[Membership]
    inactive: list[Membership]
    invitations: list
    position_titles: dict
    coverage: list = field(default_factory=list)  # app.org.coverage.Gap: places nobody covers


def region_staff(tenant: Tenant) -> StaffView:
    """The region's members (active and not) and its open invitations."""
    with tenant_context(tenant):
        active, inactive = members(True), members(False)
        invitations = pending_invitations()
        ids = {i.position_id for i in invitations if i.position_id}
        titles = ({p.id: p.title for p in db.session.scalars(select(Position).where(Position.id.in_(ids)))}
                  if ids else {})
        gaps = current_coverage()
    _seen(tenant, "staff")
    return StaffView(active, inactive, invitations, titles, gaps)
