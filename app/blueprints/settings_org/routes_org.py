"""Org chart settings: the tree, units and posts edited in place, Puskesos opened per village.

Each htmx control swaps one unit's card (`#unit-card-<id>`): GET returns the card with a
form in it, POST returns the card as saved (200) or with the form and its errors (422).
Every control has a real href/action: without JavaScript the same URLs serve full pages
and a saved form redirects.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_htmx.responses import make_response as htmx_response
from jinja2_fragments.flask import render_block
from wtforms.fields.choices import SelectChoice

from app.accounts.auth import current_membership
from app.blueprints.settings_org import bp
from app.blueprints.settings_org.common import configuring, load, refused
from app.blueprints.settings_org.forms import ConfirmForm, PositionForm, UnitForm, WelfareCenterForm
from app.casework.rename_effects import position_rename
from app.casework.sop_checks import current_coverage
from app.extensions import htmx
from app.org.chart import active_holders, org_tree
from app.org.lookups import card_node, find, parent_choices
from app.org.models import OrgUnit, Position
from app.org.operations import ConfigError, create_unit, retire_blockers, retire_unit, subtree_ids, update_unit
from app.org.positions import create_position, position_retire_blockers, retire_position, update_position
from app.org.welfare_centers import default_legal_basis, open_welfare_center, villages_without_welfare_center

CARD = "settings_org/card.html"


@bp.get("/")
@configuring
def index():
    """The settings entry point: org chart, staff, and the SOP settings when they exist."""
    # Part of the settings (SOP, partners, history) lives in another blueprint that may not exist yet.
    return render_template("settings_org/index.html",
                           has_sop_settings="settings_sop.index" in current_app.view_functions)


@bp.get("/org/")
@configuring
def org():
    """The region's chart as an editable tree."""
    return render_template("settings_org/org.html", roots=org_tree(), holders=active_holders,
                           coverage_gaps=current_coverage())


def _inline(unit: OrgUnit) -> bool:
    """An htmx request aimed at this unit's card (a boosted page load is not: it wants the page)."""
    return bool(htmx) and htmx.target == f"unit-card-{unit.id}"


def _card(unit: OrgUnit, status: int = 200, **context):
    """One unit's card: the htmx fragment, or a page holding just that card."""
    context = {"edit": None, "form": None, "errors": (), "editing_id": None, **context,
               "node": card_node(unit), "holders": active_holders}
    if _inline(unit):
        return render_block(CARD, "card", **context), status
    return render_template(CARD, page_title=unit.name, **context), status


def _unit_form(unit: OrgUnit | None = None, **kwargs) -> UnitForm:
    form = UnitForm(**kwargs)
    form.parent_id.choices = parent_choices(exclude=subtree_ids(unit) if unit else None)
    return form


def _unit_values(form: UnitForm) -> dict:
    return dict(name=form.name.data or "", kind=form.kind.data or "", parent=find(OrgUnit, form.parent_id.data),
                legal_basis=form.legal_basis.data or "", service_areas=form.service_areas.data or [])


@bp.get("/org/units/<uuid:unit_id>")
@configuring
def unit_node(unit_id):
    """One unit's card as saved (what "Batal" brings back)."""
    return _card(load(OrgUnit, unit_id))


@bp.route("/org/units/new", methods=["GET", "POST"])
@configuring
def unit_new():
    """Add a unit (front-office or back-office section, field team, …) under a chosen parent."""
    parent = find(OrgUnit, request.args.get("parent"))
    form = _unit_form(parent_id=str(parent.id) if parent else "")
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            unit = create_unit(**_unit_values(form))
        except ConfigError as exc:
            errors = refused(exc, form)
        else:
            flash(_("Unit \u201c%(n)s\u201d ditambahkan.", n=unit.name), "success")
            return redirect(url_for("settings_org.org", _anchor=f"unit-{unit.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template("settings_org/unit_new.html", form=form, errors=errors), status


@bp.route("/org/units/<uuid:unit_id>/edit", methods=["GET", "POST"])
@configuring
def unit_edit(unit_id):
    """Rename a unit, change its kind, article or service areas, or move it under another unit."""
    unit = load(OrgUnit, unit_id)
    if request.method == "GET":
        form = _unit_form(unit, obj=unit, formdata=None)
        form.parent_id.data = str(unit.parent_id) if unit.parent_id else ""
        form.service_areas.data = [a for a in unit.service_areas.split(",") if a]
        return _card(unit, edit="unit", form=form)
    form = _unit_form(unit)
    if form.validate_on_submit():
        old_parent = unit.parent_id
        try:
            update_unit(unit, **_unit_values(form))
        except ConfigError as exc:
            return _card(load(OrgUnit, unit_id), 422, edit="unit", form=form, errors=refused(exc, form))
        if not _inline(unit):
            flash(_("Unit \u201c%(n)s\u201d disimpan.", n=unit.name), "success")
            return redirect(url_for("settings_org.org", _anchor=f"unit-{unit.id}"))
        if unit.parent_id != old_parent:  # the card moves: redraw the tree
            html = render_block("settings_org/org.html", "tree", roots=org_tree(), holders=active_holders)
            return htmx_response(html, retarget="#settings-tree", reswap="outerHTML")
        return _card(unit)
    return _card(unit, 422, edit="unit", form=form)


@bp.route("/org/units/<uuid:unit_id>/retire", methods=["GET", "POST"])
@configuring
def unit_retire(unit_id):
    """Retire a unit; refused, with what to do first, while it still has staff, cases or sub-units."""
    unit = load(OrgUnit, unit_id)
    form = ConfirmForm()
    blockers = retire_blockers(unit) if unit.retired_at is None else [_("Unit ini sudah dipensiunkan.")]
    if request.method == "POST" and form.validate_on_submit():
        try:
            retire_unit(unit)
        except ConfigError as exc:
            blockers = refused(exc)
        else:
            flash(_("Unit \u201c%(n)s\u201d dipensiunkan.", n=unit.name), "success")
            return redirect(url_for("settings_org.org"))
    status = 422 if request.method == "POST" else 200
    return render_template("settings_org/retire.html", form=form, blockers=blockers, thing=unit.name,
                           what=_("unit"), back=url_for("settings_org.org", _anchor=f"unit-{unit.id}")), status


def _position_values(form: PositionForm) -> dict:
    return dict(title=form.title.data or "", role=form.role.data or "", ex_officio=form.ex_officio.data or "",
                legal_basis=form.legal_basis.data or "", area_level=form.area_level.data or None,
                decree=form.decree())


@bp.route("/org/units/<uuid:unit_id>/positions/new", methods=["GET", "POST"])
@configuring
def position_new(unit_id):
    """Add a post to a unit: local title, canonical role, ex officio holder, article."""
    unit = load(OrgUnit, unit_id)
    if request.method == "GET":
        return _card(unit, edit="new_position", form=PositionForm(formdata=None))
    form = PositionForm()
    if form.validate_on_submit():
        try:
            position = create_position(unit, **_position_values(form))
        except ConfigError as exc:
            return _card(load(OrgUnit, unit_id), 422, edit="new_position", form=form, errors=refused(exc, form))
        if not _inline(unit):
            flash(_("Jabatan \u201c%(t)s\u201d ditambahkan.", t=position.title), "success")
            return redirect(url_for("settings_org.org", _anchor=f"unit-{unit.id}"))
        return _card(unit)
    return _card(unit, 422, edit="new_position", form=form)


@bp.route("/org/positions/<uuid:position_id>/edit", methods=["GET", "POST"])
@configuring
def position_edit(position_id):
    """Edit a post in place; a new title is saved only once confirmed (what it affects shown first)."""
    position = load(Position, position_id)
    unit = position.unit
    if request.method == "GET":
        form = PositionForm(obj=position, formdata=None)
        form.area_level.data = position.area_level or ""
        return _card(unit, edit="position", editing_id=position.id, form=form)
    form = PositionForm()
    if form.validate_on_submit():
        rename = position_rename(position, form.title.data or "")
        if rename is not None and not rename.confirmed_by(form.confirm_title.data):  # asked first, on the server
            form.x_rename, form.confirm_title.data = rename, rename.new
            return _card(unit, edit="position", editing_id=position.id, form=form)
        try:
            update_position(position, actor=current_membership, **_position_values(form))
        except ConfigError as exc:
            errors = refused(exc, form)
            position = load(Position, position_id)
            return _card(position.unit, 422, edit="position", editing_id=position.id, form=form, errors=errors)
        if not _inline(unit):
            flash(_("Jabatan \u201c%(t)s\u201d disimpan.", t=position.title), "success")
            return redirect(url_for("settings_org.org", _anchor=f"unit-{unit.id}"))
        return _card(unit)
    return _card(unit, 422, edit="position", editing_id=position.id, form=form)


@bp.route("/org/positions/<uuid:position_id>/retire", methods=["GET", "POST"])
@configuring
def position_retire(position_id):
    """Retire an empty post; refused, with what to do first, while someone holds it."""
    position = load(Position, position_id)
    form = ConfirmForm()
    blockers = position_retire_blockers(position) if position.retired_at is None else [
        _("Jabatan ini sudah dipensiunkan.")]
    if request.method == "POST" and form.validate_on_submit():
        try:
            retire_position(position)
        except ConfigError as exc:
            blockers = refused(exc)
        else:
            flash(_("Jabatan \u201c%(t)s\u201d dipensiunkan.", t=position.title), "success")
            return redirect(url_for("settings_org.org"))
    status = 422 if request.method == "POST" else 200
    return render_template("settings_org/retire.html", form=form, blockers=blockers,
                           thing=f"{position.title} ({position.unit.name})", what=_("jabatan"),
                           back=url_for("settings_org.org", _anchor=f"unit-{position.unit_id}")), status


@bp.route("/org/puskesos/new", methods=["GET", "POST"])
@configuring
def welfare_center_new():
    """Open a Puskesos in a village: the unit plus its coordinator, front-office and back-office posts."""
    form = WelfareCenterForm(legal_basis=default_legal_basis())
    rows = villages_without_welfare_center()
    form.village_code.choices = [SelectChoice("", _("— pilih kelurahan/desa —"))] + [
        SelectChoice(code, name, optgroup=_("Kec. %(d)s", d=district)) for district, code, name in rows]
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            unit = open_welfare_center(village_code=form.village_code.data, name=form.name.data or "",
                                       legal_basis=form.legal_basis.data or "")
        except ConfigError as exc:
            errors = refused(exc, form)
        else:
            flash(_("%(n)s dibuka dengan jabatan Koordinator, Petugas Front Office dan Petugas Back Office. "
                    "Undang pemegang jabatannya dari kartu di bawah.", n=unit.name), "success")
            return redirect(url_for("settings_org.unit_node", unit_id=unit.id))
    status = 422 if request.method == "POST" else 200
    return render_template("settings_org/welfare_center_new.html", form=form, errors=errors,
                           village_count=len(rows)), status

