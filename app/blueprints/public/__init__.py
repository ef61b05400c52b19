"""Public pages of a region, for citizens (no login): the status of a complaint."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from app.blueprints.public import routes  # noqa: E402,F401
