"""Reports on the platform apex: any region's monthly or yearly report, or the national summary."""
from flask import Blueprint

bp = Blueprint("platform_reports", __name__, url_prefix="/console/reports")

from app.blueprints.platform_reports import routes  # noqa: E402,F401
