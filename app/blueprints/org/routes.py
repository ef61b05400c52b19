from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.auth import staff_required
from app.accounts.models import Membership
from app.blueprints.org import bp
from app.casework.sop_checks import current_coverage
from app.extensions import db
from app.org.chart import active_holders, org_tree
from app.org.models import OrgUnit, Position


@bp.get("/")
@staff_required()
def chart():
    """The org chart as a tree: units, local titles, legal basis and who holds each post."""
    return render_template("org/chart.html", roots=org_tree(), holders=active_holders,
                           coverage_gaps=current_coverage())


@bp.get("/units/<uuid:unit_id>")
@staff_required()
def unit(unit_id):
    """One unit: its posts, their holders and areas, and its sub-units."""
    found = db.one_or_404(
        select(OrgUnit)
        .where(OrgUnit.id == unit_id)
        .options(
            selectinload(OrgUnit.positions)
            .selectinload(Position.memberships)
            .options(selectinload(Membership.user), selectinload(Membership.areas)),
            selectinload(OrgUnit.children),
        )
    )
    return render_template("org/unit.html", unit=found, holders=active_holders)
