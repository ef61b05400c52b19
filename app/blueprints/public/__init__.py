"""Public pages of a region, for citizens (no login): the status of a complaint, the check of a letter."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from app.blueprints.public import programs, routes, verify  # noqa: E402,F401
