"""Cases: inboxes, the case page, and the SOP steps taken on it."""
from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from app.blueprints.cases import letters, routes, routes_manage, routes_staffing  # noqa: E402,F401
