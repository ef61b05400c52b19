"""The region's dashboard (the web-based visual board) and its activity reports."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


from app.blueprints.dashboard import report_settings, reports, routes  # noqa: E402,F401
