"""Choosing the interface language (Bahasa Indonesia or English), before or after login."""
from flask import Blueprint

bp = Blueprint("locale", __name__)

from app.blueprints.locale import routes  # noqa: E402,F401
