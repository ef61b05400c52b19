"""The bell (unread count, htmx-polled), the list of notices, and the email choices."""
from flask import Blueprint

bp = Blueprint("notices", __name__)

from app.blueprints.notices import routes  # noqa: E402,F401
