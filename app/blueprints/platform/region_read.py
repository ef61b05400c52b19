"""A region's org chart, SOP (current and former versions) and staff, read-only on the console.

National administrators and auditors read them; each view is in the platform audit log.
"""
from __future__ import annotations

from flask import render_template, request

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.blueprints.platform.regions import READERS, _load
from app.platform.region_views import region_chart, region_sop, region_staff


@bp.get("/regions/<uuid:tenant_id>/chart")
@platform_required(*READERS)
def region_chart_page(tenant_id):
    """The region's units and posts with who holds them."""
    tenant = _load(tenant_id)
    return render_template("platform/region_chart.html", region=tenant, chart=region_chart(tenant))


@bp.get("/regions/<uuid:tenant_id>/sop")
@platform_required(*READERS)
def region_sop_page(tenant_id):
    """The region's published SOP (or `?version=N`) and the list of its versions."""
    tenant = _load(tenant_id)
    number = request.args.get("version", type=int)
    return render_template("platform/region_sop.html", region=tenant, sop=region_sop(tenant, number))


@bp.get("/regions/<uuid:tenant_id>/staff")
@platform_required(*READERS)
def region_staff_page(tenant_id):
    """The region's members, active and deactivated, and its open invitations (no links)."""
    tenant = _load(tenant_id)
    return render_template("platform/region_staff.html", region=tenant, staff=region_staff(tenant))
