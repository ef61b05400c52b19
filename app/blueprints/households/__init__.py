"""Households and citizens: what the secretariat knows of a household, what it receives and needs."""
from flask import Blueprint

bp = Blueprint("households", __name__, url_prefix="/households")

from app.blueprints.households import routes, routes_records  # noqa: E402,F401
