"""The region template format (FORMAT.md) as a help page: the same file the templates follow
(rendered by `app.tenants.format_doc`, which the national console's copy of this page uses too)."""
from __future__ import annotations

from flask import render_template

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.routes_sop import configure
from app.tenants.format_doc import format_help as rendered_format


@bp.get("/format")
@configure
def format_help():
    """The template format as a help page (FORMAT.md, rendered from the file itself)."""
    html, headings = rendered_format()
    return render_template("settings_sop/format.html", body=html, headings=headings)
