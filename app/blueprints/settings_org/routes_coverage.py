"""The places nobody covers where the SOP sends work by area: the whole region, or one district."""
from __future__ import annotations

from flask import abort, render_template

from app.blueprints.settings_org import bp
from app.blueprints.settings_org.common import configuring
from app.casework.sop_checks import current_coverage
from app.extensions import db
from app.reference.models import District
from app.tenancy.context import tenant_in_context


@bp.get("/org/coverage")
@configuring
def coverage():
    """Every district and village without a holder of a post the SOP sends work to by area."""
    return render_template("settings_org/coverage.html", gaps=current_coverage(), district=None)


@bp.get("/org/coverage/<district_code>")
@configuring
def coverage_district(district_code):
    """The same for one district of the region (another region's district: 404)."""
    district = db.get_or_404(District, district_code)
    if district.regency_code != tenant_in_context().region_code:
        abort(404)
    return render_template("settings_org/coverage.html", gaps=current_coverage(district.code), district=district)
