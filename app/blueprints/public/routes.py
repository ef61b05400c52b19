"""The public status page: a ticket and the phone's last 4 digits give a case's stage — nothing personal."""
from __future__ import annotations

from flask import abort, current_app, render_template, request

from app.blueprints.public import bp
from app.blueprints.public.forms import StatusForm
from app.casework.public_status import find_status
from app.extensions import limiter
from app.tenancy.context import current_tenant


@bp.before_request
def region_only():
    """These pages belong to a region; the platform apex has none."""
    if not current_tenant:  # a LocalProxy: test its truth, not identity
        abort(404)


def _status_limit() -> str:
    return current_app.config.get("STATUS_RATE_LIMIT", "20 per minute")


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
def status():
    """Check a complaint's status with its ticket number and the last 4 digits of the phone."""
    form = StatusForm()
    result, mismatch = None, False
    if form.validate_on_submit():
        result = find_status(form.ticket.data, form.phone_last4.data)
        mismatch = result is None
    code = 422 if request.method == "POST" and result is None else 200
    return render_template("public/status.html", form=form, result=result, mismatch=mismatch), code
