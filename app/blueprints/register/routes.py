"""The register extract page: its size, the last import, an exact lookup, and a new import."""
from __future__ import annotations

import io
import os

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from app.blueprints.register import bp
from app.blueprints.register.forms import ImportForm
from app.citizens.dtks_import import COLUMNS, RegisterImportError, parse_register_csv
from app.citizens.identity import mask_nik
from app.citizens.import_jobs import RegisterImportJob, active_import, recent_imports, start_import
from app.citizens.register import first_village, look_up_entries, register_summary
from app.dashboard.reporting import is_stalled
from app.extensions import db, htmx
from app.permissions import Capability, can, requires
from app.reports.cells import SafeCsvWriter
from app.tenancy.context import tenant_in_context


def _register_name() -> str:
    return tenant_in_context().term("welfare_register", "Data Terpadu Kesejahteraan Sosial (DTKS)")


def _search(term: str) -> tuple[list, str]:
    """Entries whose NIK or KK number is exactly `term` (never a listing), and a hint if refused."""
    if not term:
        return [], ""
    if not (len(term) == 16 and term.isdigit()):
        return [], _("Masukkan 16 angka NIK atau Nomor KK; pencarian hanya untuk nomor yang persis sama.")
    return look_up_entries(term), ""


def _render_index(form: ImportForm | None = None, status: int = 200):
    term = request.args.get("q", "").strip()[:32]
    results, hint = _search(term)
    context = dict(term=term, results=results, hint=hint, mask_nik=mask_nik, register_name=_register_name())
    if htmx and htmx.target == "register-search":
        return render_block("register/index.html", "search_results", **context), status
    summary = register_summary()
    context.update(
        size=summary.size, last=summary.last, importer=summary.importer,
        can_import=can(current_user, Capability.IMPORT_REGISTER), form=form or ImportForm(formdata=None),
        columns=COLUMNS, example_village=first_village().code, is_stalled=is_stalled)
    if context["can_import"]:
        context["import_jobs"] = recent_imports()
    return render_template("register/index.html", **context), status


@bp.get("/")
@requires(Capability.SEARCH_REGISTER)
def index():
    """The region's register extract: size, last import, exact lookup by NIK or KK, upload form."""
    return _render_index()


@bp.post("/import")
@requires(Capability.IMPORT_REGISTER)
def import_file():
    """Replace the extract with an uploaded CSV; any bad row refuses the whole file (422)."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_index(form, status=422)
    upload = form.file.data
    try:  # the whole file is checked before anything is saved or written
        parse_register_csv(upload.stream, tenant_in_context().region_code)
    except RegisterImportError as exc:
        form.file.errors = list(exc.problems)
        return _render_index(form, status=422)
    if active_import() is not None:
        form.file.errors = [_("Impor lain sedang berjalan. Tunggu sampai selesai, lalu unggah lagi.")]
        return _render_index(form, status=422)
    start_import(upload.stream, os.path.basename(upload.filename or ""), current_user.user)
    flash(_("Berkas diterima dan sedang diimpor; kemajuannya tampil di bawah."), "success")
    return redirect(url_for("register.index"))


@bp.get("/imports/<uuid:job_id>")
@requires(Capability.IMPORT_REGISTER)
def import_status(job_id):
    """One import job's row (htmx polls it every 2 seconds while it runs)."""
    job = db.one_or_404(select(RegisterImportJob).where(RegisterImportJob.id == job_id))
    if not htmx:
        return redirect(url_for("register.index"))
    return render_template("register/_import_job.html", job=job, stalled=is_stalled(job))


@bp.get("/sample.csv")
@requires(Capability.SEARCH_REGISTER)
def sample():
    """A three-row example file with the expected header, valid for this region."""
    village = first_village()
    digits = village.code.replace(".", "")[:6]
    people = [("0101800001", "Siti Aminah", "Jl. Melati No. 1"), ("5203850002", "Budi Santoso", "Jl. Melati No. 1"),
              ("1207900003", "Rina Marlina", "Jl. Kenanga No. 7")]
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(COLUMNS)
    for n, (tail, name, address) in enumerate(people):
        kk = digits + ("0000000001" if n < 2 else "0000000002")
        writer.writerow([digits + tail, kk, name, village.code, address])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=contoh-data-terpadu.csv"})
