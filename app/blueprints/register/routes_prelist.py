"""The former pre-list page: it is now the list of data updates of kind new_household."""
from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from app.accounts.auth import staff_required
from app.blueprints.register import bp
from app.permissions import Capability, can

#: The pre-list's statuses as the review statuses of a data update (bookmarks keep their filter).
STATUS = {"proposed": "pending", "verified": "approved", "rejected": "rejected"}


@bp.get("/prelist")
@staff_required()
def prelist():
    """Bookmarks of the pre-list land on the data updates proposing a new household (the list
    itself, `verval.updates`, is the route guarded by SEE_PRELIST)."""
    if not can(current_user, Capability.SEE_PRELIST):
        abort(403)
    args = {"kind": "new_household"}
    if request.args.get("status") in STATUS:
        args["status"] = STATUS[request.args["status"]]
    if request.args.get("district"):
        args["district"] = request.args["district"][:8]
    return redirect(url_for("verval.updates", **args))  # type: ignore[arg-type]
