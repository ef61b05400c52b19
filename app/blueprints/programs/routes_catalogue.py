"""The program catalogue: every staff member reads it; whoever may manage programs edits the region's own."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.auth import staff_required
from app.blueprints.programs import bp
from app.blueprints.programs.forms_catalogue import ProgramForm
from app.errors import Invalid
from app.extensions import db
from app.permissions import Capability, requires
from app.programs import catalogue_edit as ops
from app.programs.catalogue import active_programs, all_programs, partners_by_id, program_names
from app.programs.catalogue_forms import parse_rows, value_hints
from app.programs.criteria import describe
from app.programs.models import Program
from app.programs.vocabulary import ProgramLevel


def _load(program_id) -> Program:
    return db.one_or_404(select(Program).where(Program.id == program_id))


def catalogue_context(programs: list[Program]) -> dict:
    """What the catalogue lists need: partner names and each program's criteria in words."""
    names = program_names()
    return {"partners": partners_by_id(), "levels": ProgramLevel.labels(),
            "words": {p.id: [describe(c, names) for c in p.criteria or []] for p in programs}}


@bp.get("/")
@staff_required()
def catalogue():
    """The region's programs with level, partner, description and criteria in words; filter by level."""
    level = request.args.get("level", "")
    if level not in ProgramLevel.labels():
        level = ""
    show_all = request.args.get("status") == "all"
    programs = all_programs(level or None) if show_all else active_programs(level or None)
    return render_template("programs/catalogue.html", programs=programs, level=level, show_all=show_all,
                           **catalogue_context(programs))


@bp.get("/<uuid:program_id>")
@staff_required()
def program(program_id):
    """One program: what it gives, to whom (each condition with its legal basis), who manages it."""
    found = _load(program_id)
    names = program_names()
    return render_template("programs/program.html", program=found, partner=partners_by_id().get(found.partner_id),
                           criteria=[(c, describe(c, names)) for c in found.criteria or []],
                           ranking=[(c, describe(c, names)) for c in found.ranking or []],
                           levels=ProgramLevel.labels())


def _form(program: Program | None) -> ProgramForm:
    form = ProgramForm(obj=program, formdata=None) if request.method == "GET" else ProgramForm()
    if request.method == "GET":
        form.fill_rows(program.criteria if program else [], program.ranking if program else [])
        form.partner_id.data = str(program.partner_id) if program and program.partner_id else ""
    form.offer(list(partners_by_id().values()), national=program is not None and program.level == ProgramLevel.NATIONAL)
    return form


def _editor(form: ProgramForm, program: Program | None, status: int = 200, errors=()):
    errors = list(errors) or ([_("Periksa isian yang ditandai.")] if status == 422 else [])
    return render_template("programs/edit.html", form=form, program=program, hints=value_hints(),
                           errors=list(errors)), status


def _values(form: ProgramForm) -> tuple[ops.ProgramValues, dict[str, list[str]]]:
    """The typed values, and problems of rows that cannot be read (keyed like the form's fields)."""
    errors: dict[str, list[str]] = {}
    parsed = {}
    for name, weights in (("criteria", False), ("ranking", True)):
        rows = form.rows(name)
        filled = [i for i, row in enumerate(rows) if not row.blank]
        conditions, problems = parse_rows(rows, weights=weights)
        for index, fields in problems.items():
            for key, message in fields.items():
                errors.setdefault(f"{name}-{filled[index]}-{key}", []).append(message)
        parsed[name] = (conditions, filled)
    try:
        partner_id = uuid.UUID(form.partner_id.data) if form.partner_id.data else None
    except ValueError:
        partner_id, errors["partner_id"] = None, [_("Pilih lembaga pengelola dari daftar.")]
    values = ops.ProgramValues(
        name=form.name.data or "", level=form.level.data or "", description=form.description.data or "",
        legal_basis=form.legal_basis.data or "", partner_id=partner_id,
        register_flag=(form.register_flag.data or "").strip(), member_level=bool(form.member_level.data),
        criteria=parsed["criteria"][0], ranking=parsed["ranking"][0])
    form.filled = {name: filled for name, (_c, filled) in parsed.items()}
    return values, errors


def _save(form: ProgramForm, program: Program | None):
    """Validate and save; the editor again, with each problem at its field, if anything is refused."""
    if "add_rows" in request.form:
        form.add_blank_rows()
        form.offer(list(partners_by_id().values()),
                   national=program is not None and program.level == ProgramLevel.NATIONAL)
        return _editor(form, program)
    valid = form.validate_on_submit()
    values, errors = _values(form)
    if not valid or errors:
        return _editor(form, program, 422, _show_row_errors(form, errors))
    try:
        if program is None:
            program = ops.create_program(form.code.data or "", values)
            flash(_("Program \u201c%(n)s\u201d ditambahkan ke katalog.", n=program.name), "success")
        else:
            changed = ops.update_program(program, values)
            flash(_("Perubahan disimpan.") if changed else _("Tidak ada yang berubah."),
                  "success" if changed else "info")
    except Invalid as refused:  # checked before anything is written
        return _editor(form, program, 422, _show_refusal(form, refused))
    return redirect(url_for(".program", program_id=program.id))


def _show_row_errors(form: ProgramForm, errors: dict[str, list[str]]) -> list[str]:
    """Errors keyed by the form's own row index (rows that cannot be read)."""
    return _place(form, errors, by_condition=False)


def _show_refusal(form: ProgramForm, refused: Invalid) -> list[str]:
    """Errors of the operation: conditions are numbered among the filled rows."""
    loose = _place(form, refused.errors, by_condition=True)
    return loose or ([refused.message] if not refused.errors else [])


def _place(form: ProgramForm, errors: dict[str, list[str]], by_condition: bool) -> list[str]:
    loose: list[str] = []
    filled = getattr(form, "filled", {})
    for key, messages in errors.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] in ("criteria", "ranking") and parts[1].isdigit():
            name, index, column = parts[0], int(parts[1]), parts[2]
            rows = filled.get(name, []) if by_condition else range(len(form[name].entries))
            if index < len(rows):
                row = form[name].entries[rows[index]].form
                target = row[column] if column in row._fields else row["attribute"]
                target.errors = list(target.errors) + list(messages)
                continue
        if key in form._fields and key not in ("criteria", "ranking"):
            form[key].errors = list(form[key].errors) + list(messages)
        else:
            loose += list(messages)
    return loose


@bp.route("/new", methods=["GET", "POST"])
@requires(Capability.MANAGE_PROGRAMS)
def program_new():
    """Add one of the region's own programs (provincial, regional, village, non-government/CSR)."""
    form = _form(None)
    if request.method == "GET":
        return _editor(form, None)
    return _save(form, None)


@bp.route("/<uuid:program_id>/edit", methods=["GET", "POST"])
@requires(Capability.MANAGE_PROGRAMS)
def program_edit(program_id):
    """Edit a program: details, partner, criteria and ranking weights, each condition with its legal basis."""
    found = _load(program_id)
    form = _form(found)
    if request.method == "GET":
        return _editor(form, found)
    return _save(form, found)


@bp.post("/<uuid:program_id>/deactivate")
@requires(Capability.MANAGE_PROGRAMS)
def program_deactivate(program_id):
    """Take a program out of use: no longer listed or used for gaps; its records keep it."""
    found = _load(program_id)
    ops.set_active(found, False)
    flash(_("\u201c%(n)s\u201d dinonaktifkan.", n=found.name), "success")
    return redirect(url_for(".program", program_id=found.id))


@bp.post("/<uuid:program_id>/reactivate")
@requires(Capability.MANAGE_PROGRAMS)
def program_reactivate(program_id):
    """Put a program back into use."""
    found = _load(program_id)
    ops.set_active(found, True)
    flash(_("\u201c%(n)s\u201d diaktifkan kembali.", n=found.name), "success")
    return redirect(url_for(".program", program_id=found.id))
