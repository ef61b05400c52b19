"""The region's dashboard (the web-based visual board) and its activity reports.

Its pages read the read replica when one is configured (`app.tenancy.reads`), except those
marked `@reads_primary`: the report list and settings (shown right after a form saved them)
and a report's progress and download (a job the worker has just updated).
"""
from flask import Blueprint

from app.tenancy.reads import replica_reads

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
replica_reads(bp)


from app.blueprints.dashboard import report_settings, reports, routes  # noqa: E402,F401
