"""The region's program catalogue for citizens: programs and their criteria in plain words, nothing personal."""
from __future__ import annotations

from flask import render_template

from app.blueprints.public import bp
from app.programs.public import public_catalogue


@bp.get("/program-bantuan")
def programs():
    """Every program in use here, by level: what it gives, who may receive it, its legal basis, who manages it."""
    return render_template("public/programs.html", catalogue=public_catalogue())
