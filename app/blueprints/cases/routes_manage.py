"""Correcting and managing a case: the citizen's data and complaint, withdraw, merge, reassign,
priority and follow-up date. Each route parses its form, calls one operation of
app.casework.corrections / case_admin, and redirects; a refusal is shown at its field."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.auth import current_membership, staff_required
from app.blueprints.cases import bp
from app.blueprints.cases.forms_manage import FORMS, CorrectionForm
from app.blueprints.cases.routes import _conflict, _load_case, _render_case
from app.casework import case_admin
from app.casework.corrections import Correction, correct_case, may_correct
from app.casework.errors import StaleCase
from app.casework.vocabulary import AnswerResult, Closure, Priority
from app.errors import Invalid
from app.extensions import db
from app.permissions import Capability, requires

#: What a correction event lists, in words (the timeline).
FIELD_LABELS = {"nik": _l("NIK"), "kk_number": _l("Nomor KK"), "name": _l("Nama"), "birth_date": _l("Tanggal lahir"),
                "sex": _l("Jenis kelamin"), "address": _l("Alamat"), "phone": _l("Telepon"), "complaint": _l("Keluhan")}


def _iso_date(value) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)


bp.add_app_template_filter(Closure.label_of, "closure_label")
bp.add_app_template_filter(Priority.label_of, "priority_label")
bp.add_app_template_filter(AnswerResult.label_of, "answer_label")
bp.add_app_template_filter(_iso_date, "iso_date")
bp.add_app_template_filter(lambda name: str(FIELD_LABELS.get(name, name)), "correction_field")


def _show_errors(form, exc: Invalid) -> None:
    for name, messages in exc.errors.items():
        target = getattr(form, name, None) if name else None
        if target is None:
            form.form_errors.extend(messages)
        else:
            target.errors = [*target.errors, *messages]


@bp.route("/<uuid:case_id>/correct", methods=["GET", "POST"])
@staff_required()
def correct(case_id):
    """Correct the citizen's data and the complaint, with a reason (before/after go to the audit log)."""
    case = _load_case(case_id)
    if not may_correct(current_membership, case):
        abort(403)
    form = CorrectionForm(version=str(case.version))
    if not form.is_submitted():
        form.process(data={**Correction.of(case).__dict__, "version": str(case.version)})
    elif form.validate():
        try:
            event = correct_case(case, form.correction(), form.reason.data, user=current_user.user,
                                 membership=current_membership, expected_version=form.expected_version())
        except StaleCase:
            db.session.rollback()
            return _conflict(case_id)
        except Invalid as exc:
            db.session.rollback()
            _show_errors(form, exc)
        else:
            flash(_("Data kasus dikoreksi.") if event else _("Tidak ada yang berubah."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    status = 422 if form.is_submitted() else 200
    return render_template("cases/correct.html", case=_load_case(case_id), form=form), status


def _manage(case_id, name: str, act, done: str):
    """Parse management form `name`, run `act(case, form)`, redirect; errors re-render the case page."""
    case = _load_case(case_id)
    form = FORMS[name](prefix=name)
    if form.validate():
        try:
            act(case, form)
        except StaleCase:
            db.session.rollback()
            return _conflict(case_id)
        except Invalid as exc:
            db.session.rollback()
            _show_errors(form, exc)
        else:
            flash(done, "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return _render_case(_load_case(case_id), status=422, manage={name: form})


def _who() -> dict:
    return {"user": current_user.user, "membership": current_membership}


@bp.post("/<uuid:case_id>/withdraw")
@requires(Capability.MANAGE_CASES)
def withdraw(case_id):
    """Withdraw the case (closed, with the reason)."""
    return _manage(case_id, "withdraw", lambda case, form: case_admin.withdraw_case(
        case, form.reason.data, expected_version=form.expected_version(), **_who()), _("Kasus ditarik."))


@bp.post("/<uuid:case_id>/merge")
@requires(Capability.MANAGE_CASES)
def merge(case_id):
    """Merge this case, a duplicate, into another (it closes and points to the one that stays)."""
    return _manage(case_id, "merge", lambda case, form: case_admin.merge_case(
        case, form.survivor.data, form.reason.data, expected_version=form.expected_version(), **_who()),
        _("Kasus digabung."))


@bp.post("/<uuid:case_id>/reassign")
@requires(Capability.MANAGE_CASES)
def reassign(case_id):
    """Make a named member responsible for the case."""
    return _manage(case_id, "reassign", lambda case, form: case_admin.reassign_case(
        case, form.assignee.data, form.reason.data, expected_version=form.expected_version(), **_who()),
        _("Petugas penanggung jawab diganti."))


@bp.post("/<uuid:case_id>/priority")
@requires(Capability.MANAGE_CASES)
def priority(case_id):
    """Set the case's priority."""
    return _manage(case_id, "priority", lambda case, form: case_admin.set_priority(
        case, form.priority.data, form.reason.data or "", expected_version=form.expected_version(), **_who()),
        _("Prioritas disimpan."))


@bp.post("/<uuid:case_id>/follow-up")
@requires(Capability.MANAGE_CASES)
def follow_up(case_id):
    """Schedule (or clear) the follow-up date shown in the inbox."""
    return _manage(case_id, "follow_up", lambda case, form: case_admin.set_follow_up(
        case, form.follow_up_on.data, form.reason.data or "", expected_version=form.expected_version(),
        **_who()), _("Jadwal tindak lanjut disimpan."))
