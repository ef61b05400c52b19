"""Region configuration, part B: the SOP (procedure, routing, channels), partners,
terminology, the configuration history, and export/import of the whole configuration.

Only members who may configure the region (`Capability.CONFIGURE`, `app.permissions`) reach these pages.
"""
from flask import Blueprint, current_app, url_for
from flask_babel import gettext as _

bp = Blueprint("settings_sop", __name__, url_prefix="/settings")


@bp.context_processor
def settings_trail():
    """`settings_trail()` (the breadcrumb up to this part's index, via part A's if present) and labels."""

    def trail() -> list[tuple[str, str]]:
        """(label, href) pairs up to this part's index."""
        items = []
        if "settings_org.index" in current_app.view_functions:
            items.append((_("Pengaturan"), url_for("settings_org.index")))
        items.append((_("Prosedur dan mitra"), url_for("settings_sop.index")))
        return items

    from app.casework.vocabulary import PartnerKind, PartnerLevel

    return {"settings_trail": trail, "PARTNER_LEVELS": PartnerLevel.labels(),
            "PARTNER_KINDS": PartnerKind.labels()}


from app.blueprints.settings_sop import (  # noqa: E402,F401
    routes_channels,
    routes_config,
    routes_draft,
    routes_format,
    routes_letterhead,
    routes_partners,
    routes_permissions,
    routes_reviews,
    routes_sop,
    routes_stage,
    routes_ticket,
)
