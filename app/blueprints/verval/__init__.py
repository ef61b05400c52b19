"""Data updates for verval, the review queue of every reviewed record, and SIKS-NG batches."""
from flask import Blueprint

bp = Blueprint("verval", __name__, url_prefix="/verval")

from app.blueprints.verval import routes_batches, routes_reviews, routes_updates  # noqa: E402,F401
