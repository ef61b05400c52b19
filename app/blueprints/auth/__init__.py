"""Logging in and out, at a region's subdomain or on the platform apex."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.blueprints.auth import password_reset_routes, routes  # noqa: E402,F401
