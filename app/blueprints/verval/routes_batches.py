"""SIKS-NG batches: gather approved updates, download the batch (CSV, Excel), mark it sent,
import the ministry's answer."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.verval import bp
from app.blueprints.verval.forms import AnswerForm, BatchNoteForm
from app.errors import Conflict, Invalid, NotFound
from app.permissions import Capability, requires
from app.verval import batches as batch_ops
from app.verval import summary
from app.verval.siks_format import ANSWER_COLUMNS, COLUMNS
from app.verval.vocabulary import BatchStatus, MinistryResult, UpdateKind


def _batch(batch_id):
    try:
        return batch_ops.get_batch(batch_id)
    except NotFound:
        abort(404)


@bp.get("/batches")
@requires(Capability.EXCHANGE_SIKS)
def batches():
    """The batches, newest first, and how many approved updates wait for the next one."""
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    return render_template("verval/batches.html", pager=batch_ops.page_of_batches(page),
                           waiting=batch_ops.waiting_count(), form=BatchNoteForm(), statuses=BatchStatus.labels())


@bp.post("/batches")
@requires(Capability.EXCHANGE_SIKS)
def gather_batch():
    """Gather every approved update not sent yet into a new batch."""
    form = BatchNoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        batch = batch_ops.gather(current_user, form.note.data or "")
    except (Conflict, Invalid) as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("verval.batches"))
    flash(_("Batch %(n)s dibuat dengan %(c)s usulan.", n=batch.number, c=batch.update_count), "success")
    return redirect(url_for("verval.batch", batch_id=batch.id))


def _show(batch, answer_form=None, problems=None, status=200):
    return render_template("verval/batch.html", batch=batch, updates=batch_ops.updates_in(batch),
                           results=dict(batch_ops.results_of(batch)), form=BatchNoteForm(),
                           answer_form=answer_form or AnswerForm(), problems=problems or [],
                           statuses=BatchStatus.labels(), result_labels=MinistryResult.labels(),
                           kinds=UpdateKind.labels(), what=summary.what, person=summary.person_name,
                           columns=COLUMNS, answer_columns=ANSWER_COLUMNS), status


@bp.get("/batches/<uuid:batch_id>")
@requires(Capability.EXCHANGE_SIKS)
def batch(batch_id):
    """One batch: its updates, downloads, sending, and the ministry's answer."""
    return _show(_batch(batch_id))


@bp.get("/batches/<uuid:batch_id>/export")
@requires(Capability.EXCHANGE_SIKS)
def batch_export(batch_id):
    """The batch file in the documented layout: `?format=csv` (default) or `xlsx` (audited)."""
    found = batch_ops.export(_batch(batch_id), request.args.get("format", "csv"))
    return Response(found.content, mimetype=found.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{found.filename}"'})


@bp.get("/batches/<uuid:batch_id>/answer-template")
@requires(Capability.EXCHANGE_SIKS)
def batch_answer_template(batch_id):
    """An answer file to fill in: one row per update, hasil and alasan empty."""
    found = batch_ops.answer_template(_batch(batch_id))
    return Response(found.content, mimetype=found.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{found.filename}"'})


@bp.post("/batches/<uuid:batch_id>/sent")
@requires(Capability.EXCHANGE_SIKS)
def batch_sent(batch_id):
    """Mark the batch as sent to SIKS-NG."""
    found = _batch(batch_id)
    if not BatchNoteForm().validate_on_submit():
        abort(400)
    try:
        batch_ops.mark_sent(found, current_user)
    except Conflict as refusal:
        flash(refusal.message, "error")
    else:
        flash(_("Batch %(n)s ditandai terkirim.", n=found.number), "success")
    return redirect(url_for("verval.batch", batch_id=found.id))


@bp.post("/batches/<uuid:batch_id>/answer")
@requires(Capability.EXCHANGE_SIKS)
def batch_answer(batch_id):
    """Import the ministry's answer file; a malformed one is refused with each row's reason (422)."""
    found = _batch(batch_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _show(found, form, status=422)
    upload = form.file.data
    try:
        count = batch_ops.import_answer(found, upload.stream, upload.filename or "", current_user)
    except Invalid as refusal:
        return _show(found, form, [refusal.message, *refusal.errors.get("file", [])], 422)
    except Conflict as refusal:
        return _show(found, form, [refusal.message], 409)
    flash(_("Hasil dari Kemensos dicatat untuk %(n)s usulan.", n=count), "success")
    return redirect(url_for("verval.batch", batch_id=found.id))
