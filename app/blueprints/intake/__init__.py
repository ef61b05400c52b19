"""Intake: the front office's (and the facilitator's) one screen for a new complaint, and its receipt."""
from flask import Blueprint

bp = Blueprint("intake", __name__, url_prefix="/intake")

from app.blueprints.intake import group, lookups, receipts, routes  # noqa: E402,F401
