"""The platform console on the apex domain (national administrator, auditors)."""
from flask import Blueprint

bp = Blueprint("platform", __name__, url_prefix="/console")

from app.blueprints.platform import routes  # noqa: E402,F401
