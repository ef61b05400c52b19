"""Attachments: the files on a case and its citizen — list, upload, delete, download by signed link."""
from flask import Blueprint

bp = Blueprint("attachments", __name__)

from app.blueprints.attachments import routes  # noqa: E402,F401
