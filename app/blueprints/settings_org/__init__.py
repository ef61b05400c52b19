"""Settings for a region's managers: the org chart (units, posts, Puskesos) and the staff."""
from flask import Blueprint

bp = Blueprint("settings_org", __name__, url_prefix="/settings")

from app.blueprints.settings_org import (  # noqa: E402,F401
    routes_areas,
    routes_coverage,
    routes_nip,
    routes_org,
    routes_staff,
)
