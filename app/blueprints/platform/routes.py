from flask import render_template
from sqlalchemy import select

from app.accounts.auth import platform_required
from app.blueprints.platform import bp
from app.extensions import db
from app.tenants.models import Tenant


@bp.get("/")
@platform_required()
def console():
    """Every region with its status and regulation, for platform users."""
    regions = db.session.scalars(select(Tenant).order_by(Tenant.name)).all()
    return render_template("platform/console.html", regions=regions)
