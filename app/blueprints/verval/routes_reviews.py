"""The review queue: what waits for me across kinds (participation, needs, data updates), one
record with its chain and steps, and my decision at its open stage."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app.accounts.auth import current_membership, staff_required
from app.blueprints.verval import bp
from app.blueprints.verval.forms import DECISIONS, DecisionForm
from app.errors import Invalid
from app.extensions import htmx
from app.reviews.describe import describe, stage_label, step_views
from app.reviews.operations import decide, may_act
from app.reviews.queue import load, may_see, waiting_page
from app.reviews.vocabulary import ReviewDecision, ReviewedKind, ReviewStatus
from app.verval.listing import member_districts
from app.verval.vocabulary import UpdateKind


def _page_number() -> int:
    try:
        return int(request.args.get("page", 1))
    except ValueError:
        return 1


@bp.get("/reviews")
@staff_required()
def reviews():
    """What waits for my decision, oldest first, filtered by kind and district (htmx: the list alone)."""
    kind = request.args.get("kind", "")
    kind = kind if kind in ReviewedKind.labels() else ""
    district = request.args.get("district", "")[:8]
    pager = waiting_page(current_membership, kind=kind, district=district, page=_page_number())
    items = [describe(row.kind, row.record) for row in pager.items]
    filters = {k: v for k, v in (("kind", kind), ("district", district)) if v}
    context = dict(items=items, pager=pager, filters=filters, kinds=ReviewedKind.labels(),
                   districts=member_districts(current_membership), stage_label=stage_label)
    if htmx and htmx.target == "review-list":
        return render_block("verval/reviews.html", "review_list", **context)
    return render_template("verval/reviews.html", **context)


def _record(kind: str, record_id):
    """The record the URL names, if this member may see it (404 otherwise, as for another region's)."""
    if kind not in ReviewedKind.labels():
        abort(404)
    record = load(kind, record_id)
    if record is None or not may_see(current_membership, record, kind):
        abort(404)
    return record


def _show(kind, record, form=None, status=200):
    form = form or DecisionForm()
    return render_template("verval/review.html", view=describe(kind, record), steps=step_views(kind, record.id),
                           form=form, decisions=DECISIONS, may_act=may_act(current_membership, record),
                           stage_label=stage_label(record), status_labels=ReviewStatus.labels(),
                           is_update=kind in UpdateKind.labels()), status


@bp.get("/reviews/<kind>/<uuid:record_id>")
@staff_required()
def review(kind, record_id):
    """One record: household, what is proposed, who proposed it, its chain and every decision taken."""
    return _show(kind, _record(kind, record_id))


@bp.post("/reviews/<kind>/<uuid:record_id>")
@staff_required()
def review_decide(kind, record_id):
    """Approve or reject at the open stage (a rejection needs its reason: 422 at the field)."""
    record = _record(kind, record_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _show(kind, record, form, 422)
    try:
        decide(record, kind, form.decision.data or "", form.note.data or "", current_user)
    except Invalid as refusal:
        for name, messages in refusal.errors.items():
            target = getattr(form, name, None)
            if target is not None:
                target.errors = list(target.errors or []) + messages
        return _show(kind, record, form, 422)
    if form.decision.data == ReviewDecision.REJECT:
        flash(_("Usulan ditolak; alasannya tercatat."), "success")
    elif stage_label(record):
        flash(_("Disetujui dan diteruskan ke tahap berikutnya: %(s)s.", s=stage_label(record)), "success")
    else:
        flash(_("Usulan disetujui."), "success")
    return redirect(url_for("verval.reviews"))
