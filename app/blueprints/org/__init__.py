"""The region's org chart: units as a tree with local titles and who holds each post."""
from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/org")

from app.blueprints.org import routes  # noqa: E402,F401
