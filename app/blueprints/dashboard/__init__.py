"""The region's dashboard (the web-based visual board) and its activity reports."""
from flask import Blueprint, has_request_context
from flask_login import current_user

from app.tenants.context import current_tenant

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

#: May look at the dashboard (patrons and the coordination team read it).
DASHBOARD_ROLES = ("manager", "unit_head", "monitoring_officer", "patron", "coordination_member")
#: May have reports built and download them (the secretariat reports upward).
REPORT_ROLES = ("manager", "unit_head", "monitoring_officer")


def held_role() -> str | None:
    if not (has_request_context() and current_tenant and current_user.is_authenticated):
        return None
    return current_user.role


@bp.app_context_processor
def dashboard_nav() -> dict:
    """`nav_dashboard`: the "Dasbor" link, by role (never by region)."""
    return {"nav_dashboard": held_role() in DASHBOARD_ROLES}


from app.blueprints.dashboard import reports, routes  # noqa: E402,F401
