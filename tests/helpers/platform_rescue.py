"""Builders for the console's rescue routes (cross-tenant and access tests): each runs in the
owner region's context and returns the URL values of something that region owns."""
from __future__ import annotations

from flask import g

from app.extensions import db
from app.platform.manager_invites import create_manager_invitation, manager_positions
from app.tenancy.models import TenantAlias
from tests.helpers.platform import unique_slug


def region_id() -> dict:
    return {"tenant_id": g.tenant.id}


def manager_invitation() -> dict:
    tenant = g.tenant
    invitation, _link = create_manager_invitation(tenant, manager_positions(tenant)[0],
                                                  f"{unique_slug('manajer')}@uji.test", "Manajer Uji")
    return {"tenant_id": tenant.id, "invitation_id": invitation.id}


def alias() -> dict:
    row = TenantAlias(old_slug=unique_slug("lama"), tenant_id=g.tenant.id)
    db.session.add(row)
    db.session.flush()
    return {"tenant_id": g.tenant.id, "alias_id": row.id}


#: endpoint → (method, builder) for every rescue route of the console.
RESCUE_ROUTES = {
    "platform.region_chart_page": ("GET", region_id),
    "platform.region_sop_page": ("GET", region_id),
    "platform.region_staff_page": ("GET", region_id),
    "platform.invite_manager": ("POST", region_id),
    "platform.resend_invitation": ("POST", manager_invitation),
    "platform.revoke_invitation": ("POST", manager_invitation),
    "platform.replace_invitation": ("POST", manager_invitation),
    "platform.remove_alias": ("POST", alias),
}
