"""The pre-list: citizens not found in the register, proposed for addition, and their review."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import and_, func, select

from app.accounts.auth import current_membership, staff_required
from app.audit.log import record
from app.blueprints.register import bp
from app.blueprints.register.access import PRELIST_ROLES, REVIEW_ROLES
from app.blueprints.register.forms import DECISIONS, PROPOSAL_STATUSES, ReviewForm
from app.casework.models import Case
from app.citizens.identity import mask_nik
from app.citizens.models import Citizen, PrelistProposal
from app.extensions import db, htmx
from app.reference.models import District, Village
from app.tenants.context import current_tenant

PAGE_SIZE = 20


@dataclass
class PrelistFilters:
    status: str = ""
    district: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "PrelistFilters":
        try:
            page = int(args.get("page", 1))
        except ValueError:
            page = 1
        status = args.get("status", "")
        return cls(status=status if status in PROPOSAL_STATUSES else "", district=args.get("district", "")[:8],
                   page=page)

    def as_args(self) -> dict:
        return {k: v for k, v in (("status", self.status), ("district", self.district)) if v}


def area_districts(membership) -> list[str] | None:
    """The districts a supervisor works in; None for roles that see the whole region."""
    if membership.position.role != "supervisor":
        return None
    return sorted({area.district_code for area in membership.areas})


def page_of_proposals(membership, filters: PrelistFilters):
    """(rows on this page, total, pages, page); each row is (proposal, citizen, case id, ticket, village, district)."""
    stmt = (select(PrelistProposal, Citizen, Case.id, Case.ticket, Village.name, District.name)
            .join(Citizen, and_(Citizen.tenant_id == PrelistProposal.tenant_id,
                                Citizen.id == PrelistProposal.citizen_id))
            .outerjoin(Case, and_(Case.tenant_id == PrelistProposal.tenant_id, Case.id == PrelistProposal.case_id))
            .join(Village, Village.code == PrelistProposal.village_code)
            .join(District, District.code == PrelistProposal.district_code))
    own = area_districts(membership)
    if own is not None:
        stmt = stmt.where(PrelistProposal.district_code.in_(own))
    if filters.status:
        stmt = stmt.where(PrelistProposal.status == filters.status)
    if filters.district:
        stmt = stmt.where(PrelistProposal.district_code == filters.district)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    rows = db.session.execute(stmt.order_by(PrelistProposal.created_at.desc(), PrelistProposal.id)
                              .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return rows, total, pages, page


def review_proposal(proposal: PrelistProposal, decision: str, note: str, user) -> None:
    """Mark a proposal verified or rejected (the reason is kept in `note`) and audit it."""
    proposal.status = decision
    proposal.note = note.strip()
    record("prelist.review", "prelist_proposal", proposal.id, decision=decision, citizen=proposal.citizen_id,
           reviewer=user.id)


def _districts(membership) -> list:
    own = area_districts(membership)
    stmt = select(District).where(District.regency_code == current_tenant.region_code).order_by(District.name)
    if own is not None:
        stmt = stmt.where(District.code.in_(own))
    return db.session.scalars(stmt).all()


def _render_prelist(filters: PrelistFilters, failed: tuple | None = None, status: int = 200):
    rows, total, pages, page = page_of_proposals(current_membership, filters)
    context = dict(rows=rows, total=total, pages=pages, page=page, filters=filters, mask_nik=mask_nik,
                   statuses=PROPOSAL_STATUSES, decisions=DECISIONS, can_review=current_user.role in REVIEW_ROLES,
                   failed_id=failed[0] if failed else None, failed_form=failed[1] if failed else None,
                   districts=_districts(current_membership))
    if htmx and htmx.target == "proposal-list":
        return render_block("register/prelist.html", "proposal_list", **context), status
    return render_template("register/prelist.html", **context), status


@bp.get("/prelist")
@staff_required(*PRELIST_ROLES)
def prelist():
    """Citizens proposed for the register, by status and district (a supervisor: own districts)."""
    return _render_prelist(PrelistFilters.from_args(request.args))


@bp.post("/prelist/<uuid:proposal_id>/review")
@staff_required(*REVIEW_ROLES)
def prelist_review(proposal_id):
    """Verify or reject one proposal; rejecting needs a reason (422 without one)."""
    proposal = db.session.scalar(select(PrelistProposal).where(PrelistProposal.id == proposal_id))
    if proposal is None:
        abort(404)
    own = area_districts(current_membership)
    if own is not None and proposal.district_code not in own:
        abort(403)
    filters = PrelistFilters.from_args(request.args)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _render_prelist(filters, failed=(proposal.id, form), status=422)
    review_proposal(proposal, form.decision.data, form.note.data or "", current_user.user)
    flash(_("Usulan atas nama %(name)s: %(status)s.", name=proposal.citizen.name,
            status=PROPOSAL_STATUSES[form.decision.data]), "success")
    return redirect(url_for("register.prelist", **filters.as_args(), page=filters.page))
