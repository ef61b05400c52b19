"""The program catalogue (staff and settings), eligibility gaps, and rankings of candidates."""
from flask import Blueprint

bp = Blueprint("programs", __name__, url_prefix="/programs")

from app.blueprints.programs import routes_catalogue, routes_gaps, routes_ranking  # noqa: E402,F401
