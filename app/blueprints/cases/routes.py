from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.auth import current_membership, staff_required
from app.audit.log import record
from app.blueprints.cases import bp
from app.blueprints.cases.forms import step_form
from app.blueprints.cases.forms_manage import manage_forms
from app.casework.access import visible_case
from app.casework.case_admin import merged_here
from app.casework.errors import StaleCase, StepInvalid, StepNotAllowed
from app.casework.inbox import SORTS, InboxFilters, attach_versions, overdue_count, page_of_cases
from app.casework.letters import case_letters
from app.casework.models import Case, Referral
from app.casework.staffing import unstaffed_reasons
from app.casework.steps import allowed_steps, open_referral, take_step
from app.citizens.models import Citizen
from app.extensions import db, htmx
from app.permissions import Capability, requires
from app.reference.models import District
from app.tenancy.context import tenant_in_context
from app.tenancy.models import utcnow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> InboxFilters:
    args = request.args
    try:
        page = int(args.get("page", 1))
    except ValueError:
        page = 1
    return InboxFilters(q=args.get("q", "")[:100], state=args.get("state", ""),
                        service_area=args.get("service_area", ""), district=args.get("district", ""),
                        overdue=args.get("overdue") == "1", view=args.get("view", "mine"), page=page,
                        sort=args.get("sort", ""), follow_up=args.get("follow_up") == "1")


@bp.get("/")
@staff_required()
def inbox():
    """The cases waiting for me (or all open / closed ones I may see), filtered and paginated."""
    filters = _filters()
    pager = page_of_cases(current_membership, filters)
    districts = db.session.scalars(select(District).where(District.regency_code == tenant_in_context().region_code)
                                   .order_by(District.name)).all()
    context = dict(cases=pager.items, total=pager.total, pager=pager, filters=filters, districts=districts,
                   now=utcnow(), overdue=overdue_count(current_membership),
                   unstaffed=unstaffed_reasons(current_membership, pager.items), SORTS=SORTS)
    if htmx and htmx.target == "case-list":
        return render_block("cases/inbox.html", "case_list", **context)
    return render_template("cases/inbox.html", **context)


@bp.get("/export.xlsx")
@staff_required()
def export():
    """The list as filtered and sorted now (every page, up to a cap) as an Excel file; audited."""
    from app.reports.case_list import export_case_list

    result = export_case_list(current_membership, _filters())
    return Response(result.content, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="kasus-{utcnow():%Y%m%d-%H%M}.xlsx"'})


def _load_case(case_id) -> Case:
    """The case if this member may see it; 404 otherwise, as for another region's case."""
    case = db.one_or_404(visible_case(
        current_membership, case_id, selectinload(Case.citizen).selectinload(Citizen.village),
        selectinload(Case.events), selectinload(Case.referrals).selectinload(Referral.partner),
        selectinload(Case.unit)))
    attach_versions([case])  # its SOP version from the versions in use, which the page reads anyway
    return case


def _render_case(case: Case, forms: dict | None = None, status: int = 200, conflict: bool = False,
                 revealed: bool = False, manage: dict | None = None):
    steps = allowed_steps(case, current_membership)
    forms = forms or {}
    for step in steps:
        form = forms.get(step.key) or step_form(step, formdata=None, version=str(case.version))
        step.step_kind.prepare_form(form)
        forms[step.key] = form
    return render_template("cases/case.html", case=case, sop=case.sop_version.sop, steps=steps, forms=forms,
                           referral=open_referral(case), now=utcnow(), conflict=conflict, revealed=revealed,
                           manage=manage_forms(case, current_membership, manage),
                           merged_here=merged_here(case), letters=case_letters(case.id)), status


@bp.get("/<uuid:case_id>")
@staff_required()
def show(case_id):
    """The case: citizen, register status, complaint, timeline, and the steps I may take now."""
    return _render_case(_load_case(case_id))


@bp.post("/<uuid:case_id>/steps/<key>")
@staff_required()
def step(case_id, key):
    """Take one SOP step. Wrong role → 403; stale form → 409 with the current state."""
    case = _load_case(case_id)
    transition = case.sop_version.sop.transition(key)
    if transition is None:
        abort(404)
    form = step_form(transition)
    try:
        expected = int(form.version.data or -1)
    except ValueError:
        expected = -1
    if not form.validate_on_submit():
        return _render_case(case, {key: form}, status=422)
    try:
        event = take_step(case, key, form.step_input(transition.step_kind), user=current_user.user,
                          membership=current_membership, expected_version=expected)
    except StepNotAllowed:
        db.session.rollback()
        if expected != case.version:
            return _conflict(case_id)
        raise  # a 403, answered by app.errors
    except StaleCase:
        db.session.rollback()
        return _conflict(case_id)
    except StepInvalid as exc:
        for name, messages in exc.errors.items():
            getattr(form, name).errors = list(messages)
        return _render_case(case, {key: form}, status=422)
    flash(_("Langkah \u201c%(label)s\u201d tercatat. Tahap sekarang: %(state)s.", label=event.label,
            state=case.sop_version.sop.state(case.state).label), "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _conflict(case_id):
    db.session.expire_all()
    case = _load_case(case_id)
    return _render_case(case, status=409, conflict=True)


@bp.post("/<uuid:case_id>/reveal-nik")
@requires(Capability.REVEAL_NIK)
def reveal_nik(case_id):
    """Show the full NIK to a role that needs it; every reveal is in the audit log."""
    case = _load_case(case_id)
    if case.citizen is None:  # a group's case has no NIK to show
        abort(404)
    record("citizen.reveal_nik", "citizen", case.citizen.id, case=case.ticket)
    if htmx:
        return render_block("cases/case.html", "nik", case=case, revealed=True)
    return _render_case(case, revealed=True)
