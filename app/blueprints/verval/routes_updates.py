"""Data updates for verval: the list, my proposals, proposing one (per kind), and one update."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app.accounts.auth import current_membership, staff_required
from app.blueprints.verval import bp, update_form
from app.errors import Conflict, Invalid, NotFound
from app.extensions import htmx
from app.permissions import Capability, requires
from app.reviews.describe import describe, stage_label, step_views
from app.reviews.operations import may_act
from app.reviews.vocabulary import ReviewStatus
from app.verval import summary
from app.verval.batches import batch_of
from app.verval.household import MEMBER_FIELDS, registered_household
from app.verval.listing import (
    UpdateFilters,
    member_districts,
    page_of_mine,
    page_of_updates,
    proposable_villages,
    visible_update,
)
from app.verval.updates import household_to_change, propose
from app.verval.vocabulary import BatchStatus, MinistryResult, UpdateKind


def _labels() -> dict:
    return dict(kinds=UpdateKind.labels(), statuses=ReviewStatus.labels(), results=MinistryResult.labels(),
                what=summary.what, person=summary.person_name)


@bp.get("/updates")
@requires(Capability.SEE_PRELIST)
def updates():
    """Data updates by kind, status and district (area-bound roles: their areas); NIK masked."""
    filters = UpdateFilters.from_args(request.args)
    pager = page_of_updates(current_membership, filters)
    context = dict(rows=pager.items, pager=pager, filters=filters, districts=member_districts(current_membership),
                   **_labels())
    if htmx and htmx.target == "update-list":
        return render_block("verval/updates.html", "update_list", **context)
    return render_template("verval/updates.html", **context)


@bp.get("/updates/mine")
@requires(Capability.PROPOSE_UPDATES)
def my_updates():
    """The updates I proposed, newest first, with where each stands."""
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    pager = page_of_mine(current_membership, page)
    return render_template("verval/my_updates.html", rows=pager.items, pager=pager, **_labels())


def _form_page(kind: str, kk: str, *, household=None, values=None, errors=None, message: str = "", status=200):
    values = values or {}
    count = update_form.members_count(values) if kind == UpdateKind.NEW_HOUSEHOLD else 1
    return render_template(
        "verval/update_form.html", kind=kind, kind_label=UpdateKind.label_of(kind), kk=kk, household=household,
        values=values, errors=errors or {}, message=message, count=count, choices=update_form.choices(),
        member_fields=MEMBER_FIELDS, field_label=summary.field_label, show_value=summary.show_value,
        villages=proposable_villages(current_membership) if kind == UpdateKind.NEW_HOUSEHOLD else []), status


def _start_page(kk: str = "", kind: str = "", errors=None, status=200):
    return render_template("verval/update_start.html", kk=kk, kind=kind, kinds=UpdateKind.labels(),
                           errors=errors or {}), status


def _household_for(kind: str, kk: str):
    """The register household a change is about (Invalid at `kk` when it cannot be proposed here)."""
    if kind == UpdateKind.NEW_HOUSEHOLD:
        if registered_household(kk) is not None:
            raise Invalid(errors={"kk": [_("Rumah tangga ini sudah ada di data terpadu: pilih jenis perubahan "
                                           "data anggota.")]})
        return None
    return household_to_change(kk, current_membership)


@bp.route("/updates/new", methods=["GET", "POST"])
@requires(Capability.PROPOSE_UPDATES)
def new_update():
    """Propose a data update: first the KK number and the kind, then that kind's form."""
    source = request.form if request.method == "POST" else request.args
    kk, kind = (source.get("kk") or "").strip(), source.get("kind") or ""
    if kind not in UpdateKind.labels() or not kk:
        errors = {}
        if request.args.get("go"):
            errors = {"kk": [_("Isi Nomor KK.")]} if not kk else {"kind": [_("Pilih jenis usulan.")]}
        return _start_page(kk, kind, errors, 422 if errors else 200)
    try:
        household = _household_for(kind, kk)
    except Invalid as refusal:
        return _start_page(kk, kind, refusal.errors, 422)
    if request.method == "GET" or request.form.get("add_member"):
        values = dict(request.form) if request.method == "POST" else {}
        if request.form.get("add_member"):
            values["members_count"] = str(update_form.members_count(values) + 1)
        return _form_page(kind, kk, household=household, values=values)
    nik, data, reason = update_form.read(kind, request.form)
    try:
        update = propose(kind, kk_number=kk, nik=nik, data=data, reason=reason, member=current_user)
    except Invalid as refusal:
        return _form_page(kind, kk, household=household, values=dict(request.form), errors=refusal.errors,
                          message=refusal.message, status=422)
    except Conflict as refusal:
        return _form_page(kind, kk, household=household, values=dict(request.form), message=refusal.message,
                          status=409)
    flash(_("Usulan dikirim untuk ditelaah: %(s)s.", s=stage_label(update) or ReviewStatus.label_of(update.status)),
          "success")
    return redirect(url_for("verval.update", update_id=update.id))


@bp.get("/updates/<uuid:update_id>")
@staff_required()
def update(update_id):
    """One data update: what it proposes, its chain and decisions, its batch and the ministry's result."""
    try:
        found = visible_update(current_user, update_id)
    except NotFound:
        abort(404)
    return render_template("verval/update.html", u=found, view=describe(found.kind, found),
                           steps=step_views(found.kind, found.id), stage_label=stage_label(found),
                           show_value=summary.show_value, field_label=summary.field_label,
                           member_fields=update_form.MEMBER_INPUTS, batch=batch_of(found),
                           may_act=may_act(current_membership, found),
                           batch_statuses=BatchStatus.labels(), **_labels())
