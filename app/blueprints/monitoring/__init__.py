"""Monitoring and evaluation: the annual plan and budget and its realisation, each Puskesos's
figures, the dashboard's plan-against-realisation panel and the year-end evaluation."""
from flask import Blueprint

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")


from app.blueprints.monitoring import evaluation, items, plans  # noqa: E402,F401
