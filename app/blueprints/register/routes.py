"""The register extract page: the current import, an exact lookup, a search by name, and the example file.

Importing, the preview, the history and the comparison are in `routes_imports`.
"""
from __future__ import annotations

import io

from flask import Response, render_template, request
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app.blueprints.register import bp
from app.blueprints.register.forms import ImportForm, NameSearchForm
from app.citizens.demo_extract import demo_rows
from app.citizens.dtks_import import COLUMNS, REQUIRED_COLUMNS
from app.citizens.extract_history import pending_import
from app.citizens.identity import mask_nik
from app.citizens.import_jobs import import_states, recent_imports
from app.citizens.register import first_village, look_up_entries, register_summary, search_by_name
from app.citizens.vocabulary import Relationship
from app.dashboard.reporting import is_stalled
from app.extensions import htmx
from app.org.lookups import villages_by_district
from app.permissions import Capability, can, requires
from app.reports.cells import SafeCsvWriter
from app.tenancy.context import tenant_in_context


def register_name() -> str:
    return tenant_in_context().term("welfare_register", "Data Terpadu Kesejahteraan Sosial (DTKS)")


def _exact(term: str) -> tuple[list, str]:
    """Entries whose NIK or KK number is exactly `term` (never a listing), and a hint if refused."""
    from flask_babel import gettext as _

    if not term:
        return [], ""
    if not (len(term) == 16 and term.isdigit()):
        return [], _("Masukkan 16 angka NIK atau Nomor KK; pencarian hanya untuk nomor yang persis sama.")
    return look_up_entries(term), ""


def render_index(form: ImportForm | None = None, status: int = 200):
    term = request.args.get("q", "").strip()[:32]
    results, hint = _exact(term)
    context = dict(term=term, results=results, hint=hint, mask_nik=mask_nik, register_name=register_name(),
                   relationships=Relationship.labels())
    if htmx and htmx.target == "register-search":
        return render_block("register/index.html", "search_results", **context), status
    summary = register_summary()
    context.update(summary=summary, can_import=can(current_user, Capability.IMPORT_REGISTER),
                   form=form or ImportForm(formdata=None), columns=COLUMNS, required=REQUIRED_COLUMNS,
                   example_village=first_village().code, is_stalled=is_stalled)
    if context["can_import"]:
        jobs = recent_imports()
        context.update(import_jobs=jobs, import_states=import_states(jobs), pending=pending_import())
    return render_template("register/index.html", **context), status


@bp.get("/")
@requires(Capability.SEARCH_REGISTER)
def index():
    """The region's register extract: the current import, exact lookup by NIK or KK, upload and preview."""
    return render_index()


@bp.get("/search")
@requires(Capability.SEARCH_REGISTER)
def search():
    """Members of the current extract by name within a district or village: masked NIKs, paged, audited."""
    form = NameSearchForm(request.args)
    asked = bool(request.args.get("name") or request.args.get("area"))
    pager, status = None, 200
    if asked and form.validate():
        try:
            page = max(1, int(request.args.get("page", 1)))
        except ValueError:
            page = 1
        pager = search_by_name(form.name.data, form.area.data, page)
    elif asked:
        status = 422
    context = dict(form=form, pager=pager, asked=asked, mask_nik=mask_nik, register_name=register_name(),
                   relationships=Relationship.labels(),
                   args={"name": form.name.data or "", "area": form.area.data or ""})
    if htmx and htmx.target == "name-results":
        return render_block("register/search.html", "name_results", **context), status
    context["areas"] = villages_by_district()
    return render_template("register/search.html", **context), status


@bp.get("/sample.csv")
@requires(Capability.SEARCH_REGISTER)
def sample():
    """An example file in the full layout, valid for this region: two households, Indonesian values."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in demo_rows([first_village().code], 2, seed=7, first_share=1.0):
        writer.writerow(row)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=contoh-data-terpadu.csv"})


from app.blueprints.register import routes_imports  # noqa: E402,F401  (its routes join this blueprint)
