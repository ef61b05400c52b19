from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.auth import current_membership, staff_required
from app.blueprints.auth.forms import LoginForm
from app.blueprints.home import bp
from app.extensions import db
from app.tenancy.context import current_tenant
from app.tenancy.models import Tenant, TenantStatus


@bp.get("/")
def index():
    """Apex: the regions that are live and the platform login. Region: its front page."""
    if current_tenant:
        if current_user.is_authenticated and current_user.partner:  # a partner officer has only the portal
            return redirect(url_for("partner.index"))
        if current_user.is_authenticated:
            return redirect(url_for("home.dashboard"))
        return render_template("home/region.html", region=current_tenant, form=LoginForm())
    regions = db.session.scalars(
        select(Tenant).where(Tenant.status == TenantStatus.ACTIVE.value).order_by(Tenant.name)
    ).all()
    return render_template("home/platform.html", regions=regions, form=LoginForm())


@bp.get("/home")
@staff_required()
def dashboard():
    """A staff member's home: who they are here, in the region's own words."""
    from app.casework.home_work import home_work
    from app.casework.staffing import unstaffed_count
    from app.permissions import Capability, can

    membership = current_membership
    # @staff_required: a user is logged in to a region only through a membership there (authorize_in_realm).
    assert membership is not None
    return render_template("home/dashboard.html", membership=membership, work=home_work(membership),
                           unstaffed=unstaffed_count(membership),
                           oversees=can(membership, Capability.OVERSEE_CASES),
                           position=membership.position, unit=membership.position.unit)
