"""Who may do what with the register and the pre-list, and the nav links that follow from it."""
from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from app.blueprints.register import bp
from app.tenants.context import current_tenant

#: May look at the extract (size, last import, exact lookup).
VIEW_ROLES = ("data_officer", "manager", "unit_head", "intake_officer")
#: May replace the extract with a new file.
IMPORT_ROLES = ("data_officer", "manager", "unit_head")
#: May see the pre-list; a supervisor only in their own districts.
PRELIST_ROLES = ("supervisor", "manager", "unit_head", "data_officer")
#: May verify or reject a proposal; a supervisor only in their own districts.
REVIEW_ROLES = ("supervisor", "manager", "unit_head")


def role() -> str | None:
    """The canonical role held in the current region, or None."""
    if not (has_request_context() and current_tenant and current_user.is_authenticated):
        return None
    return current_user.role


@bp.app_context_processor
def register_nav() -> dict:
    """Nav visibility by role (never by region): `nav_register`, `nav_prelist`."""
    held = role()
    return {"nav_register": held in VIEW_ROLES, "nav_prelist": held in PRELIST_ROLES}
