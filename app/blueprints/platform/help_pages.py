"""Help pages of the console: the region template format, for the wizard's "upload a template".

The page holds no personal data, only the format of a template file (FORMAT.md, the same file
as the region's /settings/format); it is for every platform user (auditors read it too).
"""
from __future__ import annotations

from flask import render_template

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.tenants.format_doc import format_help as rendered_format


@bp.get("/format")
@platform_required()
def format_help():
    """The region template format (FORMAT.md, rendered from the file itself)."""
    html, headings = rendered_format()
    return render_template("platform/format.html", body=html, headings=headings)
