"""Cases nobody can take ("tanpa petugas"): the list with the reasons, and the manager assigning one.

Who could take a case is `app.casework.staffing`'s rule; the assignment is the hand-over's
(`app.accounts.handover.assign_case`): a case event and an audit event.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from app.accounts.auth import current_membership, staff_required
from app.accounts.handover import assign_case, candidates_for
from app.blueprints.cases import bp
from app.blueprints.cases.routes import _load_case
from app.casework.staffing import unstaffed_cases
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.permissions import Capability, can


class AssignForm(FlaskForm):
    target_id = SelectField(_l("Tugaskan kepada"), choices=[], validate_choice=False)
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=1000)])


def _assign_form(case, formdata=None) -> AssignForm:
    form = AssignForm(formdata=formdata, prefix=f"c{case.id.hex[:8]}")
    form.members = {str(m.id): m for m in candidates_for([case], None)}
    form.target_id.choices = [("", _("— pilih petugas —"))] + [
        (key, f"{m.user.name} · {m.position.title}") for key, m in form.members.items()]
    return form


def _page(forms: dict | None = None, status: int = 200):
    cases, reasons = unstaffed_cases(current_membership)
    manages = can(current_membership, Capability.MANAGE_CASES)
    forms = forms or {}
    if manages:
        for case in cases:
            forms.setdefault(case.id, _assign_form(case))
    return render_template("cases/unstaffed.html", cases=cases, reasons=reasons, forms=forms,
                           manages=manages), status


@bp.get("/unstaffed")
@staff_required()
def unstaffed():
    """The open cases no active member can take, why, and (for a manager) to whom to give each."""
    if not can(current_membership, Capability.OVERSEE_CASES):
        raise Forbidden(_("Halaman ini untuk yang mengawasi kasus."))
    return _page()


@bp.post("/<uuid:case_id>/assign")
@staff_required()
def assign(case_id):
    """Give a case to a member holding a role its stage waits on (the case must be visible first)."""
    case = _load_case(case_id)
    if not can(current_membership, Capability.MANAGE_CASES):
        raise Forbidden(_("Hanya pengelola yang dapat menugaskan kasus."))
    form = _assign_form(case, formdata=request.form)
    target = form.members.get(form.target_id.data or "")
    try:
        if not form.validate_on_submit():
            raise Invalid(errors={"note": form.note.errors})
        assign_case(case, target=target, note=form.note.data or "", user=current_user.user,
                    actor=current_membership)
    except Invalid as exc:
        db.session.rollback()
        for name, messages in exc.errors.items():
            getattr(form, name, form.target_id).errors = list(messages)
        return _page({case.id: form}, status=422)
    flash(_("Kasus %(t)s ditugaskan kepada %(n)s.", t=case.ticket, n=target.user.name), "success")
    return redirect(url_for("cases.unstaffed"))
