"""Recording from the household page: what it receives (kepesertaan), what it needs (kebutuhan),
and that a participation has ended. Each record goes through the region's review chain."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.auth import staff_required
from app.blueprints.households import bp
from app.blueprints.households.forms import EndForm, NeedForm, ParticipationForm, member_choices
from app.blueprints.households.routes import case_from_query
from app.errors import Invalid, NotFound, Refused
from app.extensions import db
from app.households.page import member_at, member_rows
from app.households.records import recorded_by
from app.permissions import Capability, can, requires
from app.programs.catalogue import active_programs
from app.programs.models import Participation
from app.programs.participation import end_participation, household_in_reach, record_need, record_participation


def _show_errors(form, refusal: Refused) -> list[str]:
    """Put a refusal's messages at their fields; what has no visible field is returned for the top of the form."""
    loose = []
    for name, messages in refusal.errors.items():
        target = getattr(form, "member" if name == "nik" else name, None) if name else None
        if target is not None and hasattr(target, "errors") and target.type != "HiddenField":
            target.errors = list(target.errors or []) + messages
        else:
            loose += messages
    if not refusal.errors and refusal.message:
        loose.append(refusal.message)
    return loose


def _nik_of(facts, form) -> str:
    index = form.member_index()
    if index is None:
        return ""
    try:
        return member_at(facts, index).nik
    except NotFound:
        raise Invalid(errors={"member": [_("Pilih anggota rumah tangga dari daftar.")]}) from None


def _prepare(form, facts, case, *, optional_program: bool):
    programs = active_programs()
    form.program.choices = ([("", "—")] if optional_program else [("", _("Pilih program"))]) + [
        (p.code, _("%(name)s (per orang)", name=p.name) if p.member_level else p.name) for p in programs]
    form.member.choices = member_choices(member_rows(facts))
    if case is not None and not form.case.data:
        form.case.data = str(case.id)


def _page(template, form, facts, case, status=200, errors=None, **extra):
    return render_template(template, form=form, facts=facts, case=case, errors=errors or [], **extra), status


@bp.get("/my-records")
@requires(Capability.RECORD_PARTICIPATION)
def my_records():
    """What I recorded (participation and needs), newest first, with where each stands in its review."""
    return render_template("households/my_records.html", rows=recorded_by(current_user.id))


def _reachable(kk_number: str):
    """The household if it is in this member's reach (404 otherwise, as for another region's), then
    the right to record (403): the order that tells an outsider nothing."""
    facts = household_in_reach(kk_number, current_user)
    if not can(current_user, Capability.RECORD_PARTICIPATION):
        abort(403)
    return facts


@bp.route("/<kk_number>/participation/new", methods=["GET", "POST"])
@staff_required()
def new_participation(kk_number):
    """Record that the household (or a member) receives a program: source, since when, checked or not."""
    facts = _reachable(kk_number)
    case = case_from_query()
    form = ParticipationForm()
    _prepare(form, facts, case, optional_program=False)
    template = "households/participation_form.html"
    if not form.validate_on_submit():
        return _page(template, form, facts, case, status=422 if form.is_submitted() else 200)
    try:
        record_participation(kk_number=facts.kk_number, nik=_nik_of(facts, form), program=form.program.data,
                             source=form.source.data, since=form.since.data, verified=form.verified.data,
                             note=form.note.data or "", member=current_user, case=case)
    except Refused as refusal:
        if isinstance(refusal, NotFound):
            raise
        db.session.rollback()
        return _page(template, form, facts, case, status=refusal.status, errors=_show_errors(form, refusal))
    flash(_("Kepesertaan program tercatat dan dikirim untuk ditelaah."), "success")
    return redirect(url_for("households.show", kk_number=facts.kk_number, case=case.id if case else None))


@bp.route("/<kk_number>/needs/new", methods=["GET", "POST"])
@staff_required()
def new_need(kk_number):
    """Record that the household (or a member) needs a program, or a kind of help, and why."""
    facts = _reachable(kk_number)
    case = case_from_query()
    form = NeedForm()
    _prepare(form, facts, case, optional_program=True)
    form.fill_areas()
    template = "households/need_form.html"
    if not form.validate_on_submit():
        return _page(template, form, facts, case, status=422 if form.is_submitted() else 200)
    try:
        record_need(kk_number=facts.kk_number, nik=_nik_of(facts, form), program=form.program.data or None,
                    service_area=form.service_area.data or "", reason=form.reason.data or "",
                    member=current_user, case=case)
    except Refused as refusal:
        if isinstance(refusal, NotFound):
            raise
        db.session.rollback()
        return _page(template, form, facts, case, status=refusal.status, errors=_show_errors(form, refusal))
    flash(_("Kebutuhan program tercatat dan dikirim untuk ditelaah."), "success")
    return redirect(url_for("households.show", kk_number=facts.kk_number, case=case.id if case else None))


@bp.route("/<kk_number>/participation/<uuid:record_id>/end", methods=["GET", "POST"])
@staff_required()
def end(kk_number, record_id):
    """Record that the household no longer receives a program (when, and why)."""
    facts = _reachable(kk_number)
    row = db.one_or_404(select(Participation).where(Participation.id == record_id,
                                                    Participation.kk_number == facts.kk_number))
    form = EndForm()
    template = "households/end_form.html"
    if not form.validate_on_submit():
        return _page(template, form, facts, None, status=422 if form.is_submitted() else 200, row=row)
    try:
        end_participation(row, form.ended_at.data, form.note.data or "", current_user)
    except Refused as refusal:
        if isinstance(refusal, NotFound):
            raise
        db.session.rollback()
        return _page(template, form, facts, None, status=refusal.status, errors=_show_errors(form, refusal), row=row)
    flash(_("Kepesertaan dicatat berakhir."), "success")
    return redirect(url_for("households.show", kk_number=facts.kk_number))
