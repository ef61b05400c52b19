"""The pre-list pages: proposals by status and district, and reviewing one."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from app.accounts.auth import current_membership
from app.blueprints.register import bp
from app.blueprints.register.forms import DECISIONS, ReviewForm
from app.citizens.identity import mask_nik
from app.citizens.models import PrelistProposal
from app.citizens.prelist import area_districts, member_districts, page_of_proposals, review_proposal
from app.citizens.vocabulary import ProposalStatus
from app.extensions import db, htmx
from app.permissions import Capability, requires


@dataclass
class PrelistFilters:
    status: str = ""
    district: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> PrelistFilters:
        try:
            page = int(args.get("page", 1))
        except ValueError:
            page = 1
        status = args.get("status", "")
        return cls(status=status if status in ProposalStatus.labels() else "", district=args.get("district", "")[:8],
                   page=page)

    def as_args(self) -> dict:
        return {k: v for k, v in (("status", self.status), ("district", self.district)) if v}


def _render_prelist(filters: PrelistFilters, failed: tuple | None = None, status: int = 200):
    pager = page_of_proposals(current_membership, status=filters.status, district=filters.district,
                              page=filters.page)
    context = dict(rows=pager.items, total=pager.total, pager=pager, page=pager.page, filters=filters,
                   mask_nik=mask_nik,
                   statuses=ProposalStatus.labels(), decisions=DECISIONS,
                   failed_id=failed[0] if failed else None, failed_form=failed[1] if failed else None,
                   districts=member_districts(current_membership))
    if htmx and htmx.target == "proposal-list":
        return render_block("register/prelist.html", "proposal_list", **context), status
    return render_template("register/prelist.html", **context), status


@bp.get("/prelist")
@requires(Capability.SEE_PRELIST)
def prelist():
    """Citizens proposed for the register, by status and district (a supervisor: own districts)."""
    return _render_prelist(PrelistFilters.from_args(request.args))


@bp.post("/prelist/<uuid:proposal_id>/review")
@requires(Capability.DECIDE_PRELIST)
def prelist_review(proposal_id):
    """Verify or reject one proposal; rejecting needs a reason (422 without one)."""
    proposal = db.one_or_404(select(PrelistProposal).where(PrelistProposal.id == proposal_id))
    own = area_districts(current_membership)
    if own is not None and proposal.district_code not in own:
        abort(403)
    filters = PrelistFilters.from_args(request.args)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _render_prelist(filters, failed=(proposal.id, form), status=422)
    review_proposal(proposal, form.decision.data, form.note.data or "", current_user.user)
    flash(_("Usulan atas nama %(name)s: %(status)s.", name=proposal.citizen.name,
            status=ProposalStatus(form.decision.data).label), "success")
    return redirect(url_for("register.prelist", **filters.as_args(), page=filters.page))
