"""Importing the extract: upload, the job's progress, the preview with confirm or discard, the
history of imports and the comparison of the current import with the previous one."""
from __future__ import annotations

import os

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.blueprints.register import bp
from app.blueprints.register.forms import ImportDecisionForm, ImportForm
from app.blueprints.register.routes import register_name, render_index
from app.citizens.dtks_import import RegisterImportError, check_upload
from app.citizens.extract_format import DECILE_KEYS, PROGRAM_NAMES
from app.citizens.extract_history import (
    compared_with,
    comparison,
    confirm_import,
    discard_import,
    figures_of,
    history,
    pending_import,
    previous_import,
)
from app.citizens.import_jobs import RegisterImportJob, active_import, start_import
from app.citizens.models import RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.dashboard.reporting import is_stalled
from app.extensions import db, htmx
from app.permissions import Capability, requires
from app.tenancy.context import tenant_in_context


@bp.post("/import")
@requires(Capability.IMPORT_REGISTER)
def import_file():
    """Stage an uploaded CSV or Excel file in the background; a wrong header or early row refuses it (422)."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_index(form, status=422)
    upload = form.file.data
    try:  # the header and the first rows are checked before anything is saved; the job checks every row
        check_upload(upload.stream, tenant_in_context().region_code)
    except RegisterImportError as exc:
        form.file.errors = list(exc.problems)
        return render_index(form, status=422)
    if active_import() is not None:
        form.file.errors = [_("Impor lain sedang berjalan. Tunggu sampai selesai, lalu unggah lagi.")]
        return render_index(form, status=422)
    start_import(upload.stream, os.path.basename(upload.filename or ""), current_user.user)
    flash(_("Berkas diterima dan sedang diperiksa; kemajuannya tampil di bawah. Data yang berlaku baru berganti "
            "setelah Anda mengonfirmasi pratinjaunya."), "success")
    return redirect(url_for("register.index"))


@bp.get("/imports/<uuid:job_id>")
@requires(Capability.IMPORT_REGISTER)
def import_status(job_id):
    """One import job's row (htmx polls it every 2 seconds while it runs)."""
    job = db.one_or_404(select(RegisterImportJob).where(RegisterImportJob.id == job_id))
    if not htmx:
        return redirect(url_for("register.index"))
    state = None
    if job.import_id:
        state = db.session.scalar(select(RegisterImport.status).where(RegisterImport.id == job.import_id))
    return render_template("register/_import_job.html", job=job, stalled=is_stalled(job), import_state=state)


@bp.get("/imports/<uuid:import_id>/preview")
@requires(Capability.IMPORT_REGISTER)
def import_preview(import_id):
    """What an import holds and what it changes against the import current when it was staged."""
    batch = db.one_or_404(select(RegisterImport).where(RegisterImport.id == import_id))
    if batch.status == ImportStatus.PENDING and batch.id != getattr(pending_import(), "id", None):
        flash(_("Impor ini masih diperiksa; pratinjaunya tampil setelah selesai."), "info")
        return redirect(url_for("register.index"))
    return render_template("register/preview.html", batch=batch, figures=figures_of(batch),
                           form=ImportDecisionForm(), register_name=register_name(), statuses=ImportStatus.labels(),
                           against=compared_with(batch),
                           program_names=PROGRAM_NAMES, decile_keys=DECILE_KEYS)


def _decide(import_id, decide, done_message: str):
    batch = db.one_or_404(select(RegisterImport).where(RegisterImport.id == import_id))
    form = ImportDecisionForm()
    if not form.validate_on_submit():
        flash(_("Permintaan kedaluwarsa; muat ulang halaman dan coba lagi."), "error")
        return redirect(url_for("register.import_preview", import_id=batch.id))
    decide(batch, current_user.user)
    flash(done_message, "success")
    return redirect(url_for("register.index"))


@bp.post("/imports/<uuid:import_id>/confirm")
@requires(Capability.IMPORT_REGISTER)
def import_confirm(import_id):
    """Make the previewed import the current extract (the one it replaces is kept as the previous)."""
    return _decide(import_id, confirm_import, _("Data baru berlaku. Data sebelumnya disimpan untuk perbandingan."))


@bp.post("/imports/<uuid:import_id>/discard")
@requires(Capability.IMPORT_REGISTER)
def import_discard(import_id):
    """Discard the previewed import; the current extract stays as it is."""
    return _decide(import_id, discard_import, _("Impor dibatalkan; data yang berlaku tidak berubah."))


@bp.get("/history")
@requires(Capability.IMPORT_REGISTER)
def import_history():
    """Every import of the extract: file, who imported and confirmed it, when, counts, status."""
    previous = previous_import()
    return render_template("register/history.html", rows=history(), statuses=ImportStatus.labels(),
                           register_name=register_name(), previous_id=previous.id if previous else None)


@bp.get("/compare")
@requires(Capability.IMPORT_REGISTER)
def import_compare():
    """The current import beside the previous one: figures side by side, decile moves, program flags."""
    current, previous, changes = comparison()
    return render_template("register/compare.html", current=current, previous=previous, changes=changes,
                           now_figures=figures_of(current) if current else {},
                           then_figures=figures_of(previous) if previous else {}, register_name=register_name(),
                           program_names=PROGRAM_NAMES, decile_keys=DECILE_KEYS)
