"""The partner portal (`/partner/`): partner officers answer the referrals addressed to them."""
from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/partner")

from app.blueprints.partner import routes  # noqa: E402,F401
