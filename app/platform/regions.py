"""Reading the regions for the platform console: the list by name, and what one region's page shows."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.invitations import Invitation
from app.extensions import db
from app.platform.models import PlatformAuditEvent
from app.tenancy.models import Tenant, TenantAlias

RECENT = 10


def regions_by_name() -> list[Tenant]:
    """Every region, by name (platform reads; `tenants` is not a tenant-owned table)."""
    return list(db.session.scalars(select(Tenant).order_by(Tenant.name)))


@dataclass
class RegionHistory:
    """A region's former subdomains, its latest invitations and its latest region events."""
    aliases: list[TenantAlias]
    invitations: list[Invitation]
    events: list[PlatformAuditEvent]


def region_history(tenant: Tenant) -> RegionHistory:
    """What the region page lists under the region's figures, newest first."""
    aliases = db.session.scalars(select(TenantAlias).where(TenantAlias.tenant_id == tenant.id)
                                 .order_by(TenantAlias.created_at.desc())).all()
    invitations = db.session.scalars(select(Invitation).where(Invitation.tenant_id == tenant.id)
                                     .order_by(Invitation.created_at.desc()).limit(RECENT)).all()
    events = db.session.scalars(select(PlatformAuditEvent).where(PlatformAuditEvent.tenant_id == tenant.id,
                                                                 PlatformAuditEvent.action.like("region.%"))
                                .order_by(PlatformAuditEvent.at.desc()).limit(RECENT)).all()
    return RegionHistory(list(aliases), list(invitations), list(events))
