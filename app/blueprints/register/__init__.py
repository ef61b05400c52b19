"""The welfare register (DTKS) extract: import, exact lookup, and the pre-list of proposals."""
from flask import Blueprint

bp = Blueprint("register", __name__, url_prefix="/register")


from app.blueprints.register import routes, routes_prelist  # noqa: E402,F401
