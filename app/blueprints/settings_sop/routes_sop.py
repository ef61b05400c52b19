"""The SOP pages: the procedure as it reads, its versions, and the draft editor."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.draft_page import draft_context, place_form
from app.blueprints.settings_sop.forms import ChannelForm, MetaForm, ReviewForm, StepForm
from app.blueprints.settings_sop.own_channels import region_routing_form, routing_values
from app.casework import sop_edits as edits
from app.casework import sop_procedure as view
from app.casework.models import Partner, SopVersion
from app.casework.sop import CHANNELS
from app.casework.sop_drafts import (
    DraftInvalid,
    back_office_units,
    current_draft,
    discard_draft,
    publish_draft,
    publish_warnings,
    save_draft,
    set_note,
    start_draft,
)
from app.casework.sop_edits import EditError
from app.casework.sop_store import current_version
from app.extensions import db, htmx
from app.org.service_areas import own_areas
from app.permissions import Capability, requires

configure = requires(Capability.CONFIGURE)

# Whose approval a referral waits for, and who a case waits for, in the region's titles (the case
# page, templates/cases/case.html): read from the SOP like the procedure page, so they live with it.
bp.add_app_template_global(view.referral_state_label, "referral_state_label")
bp.add_app_template_global(view.role_titles, "role_titles")


@bp.get("/procedure")
@configure
def index():
    """The configuration pages of this part: procedure, partners, terms, history, export/import."""
    active = db.session.scalar(select(func.count()).select_from(Partner).where(Partner.retired_at.is_(None)))
    return render_template("settings_sop/index.html", version=current_version(), draft=current_draft(),
                           partners=active, has_org_settings="settings_org.index" in current_app.view_functions)


def _procedure(version: SopVersion):
    titles = view.titles_by_role()
    return render_template("settings_sop/procedure.html", version=version, current=current_version(),
                           stages=view.stages(version.definition, titles),
                           channels=view.channels(version.definition, titles),
                           routing=view.routing(version.definition), versions=view.versions(),
                           draft=current_draft())


@bp.get("/sop/")
@configure
def sop():
    """The SOP in force as a readable procedure, with the list of versions."""
    return _procedure(current_version())


@bp.get("/sop/versions/<uuid:version_id>")
@configure
def version(version_id):
    """One version (in force, superseded or the draft) as a readable procedure."""
    found = db.one_or_404(select(SopVersion).where(SopVersion.id == version_id))
    return _procedure(found)


@bp.post("/sop/draft/start")
@configure
def draft_start():
    """Start a draft from a copy of the version in force (or open the one already started)."""
    existed = current_draft() is not None
    start_draft(current_user.user)
    if existed:
        flash(_("Draf yang sudah ada dibuka; lanjutkan penyuntingannya."), "info")
    return redirect(url_for(".draft"))


def _draft_or_redirect(for_update: bool = False):
    draft = current_draft(for_update=for_update)
    if draft is None:
        flash(_("Belum ada draf SOP. Mulai draf dari halaman prosedur."), "info")
    return draft


@bp.get("/sop/draft")
@configure
def draft():
    """The draft editor: steps and approvers, approval stages, SLAs, channels, routing, publish."""
    found = _draft_or_redirect()
    if found is None:
        return redirect(url_for(".sop"))
    place = (request.args.get("open") or "").strip() or None  # a section opened without scripts
    return render_template("settings_sop/draft.html", **draft_context(found, open_place=place))


@bp.get("/sop/draft/form")
@configure
def draft_form():
    """The form of one section of the editor, loaded (htmx) when the section is opened."""
    place = (request.args.get("place") or "").strip()
    found = current_draft()
    if not htmx:
        return redirect(url_for(".draft", open=place or None, _anchor=element(place) if place else None))
    form = place_form(found, place) if found is not None else None
    if form is None:
        abort(404)
    return render_template("settings_sop/_draft_form.html", form=form)


#: Which element of the editor a form's place belongs to (its notice and the scroll target).
_ELEMENT = {"step": "step", "details": "step", "after": "step", "review": "step", "stage": "stage",
            "before": "stage", "newstep": "stage", "remove": "stage", "channel": "channel"}


#: The part of the SOP an edit is audited under (the history page names these parts).
_AUDIT_PART = {"details": "step", "newstep": "step", "after": "stage", "before": "stage", "remove": "stage",
               "newstage": "stage"}


def element(place: str) -> str:
    """The id of the editor element for a form's place: "details:x" → "step-x", "newstep:y" → "stage-y"."""
    kind, _sep, key = place.partition(":")
    return f"{_ELEMENT.get(kind, kind)}-{key}" if key else kind


def _saved(draft, focus: str, notice: str):
    if htmx:
        return render_block("settings_sop/draft.html", "editor", **draft_context(draft, focus=focus, notice=notice))
    flash(notice, "success")
    return redirect(url_for(".draft", _anchor=focus))


def _refused(draft, place: str, form=None, errors: dict | None = None):
    """The editor again, status 422, with the messages at the submitted form's fields."""
    loose: list[str] = []
    for name, messages in (errors or {}).items():
        if form is not None and name in form:
            form[name].errors = list(messages)
        else:
            loose.extend(str(m) for m in messages)
    context = draft_context(draft, focus=element(place), forms={place: form} if form else {},
                            notice=" ".join(loose) or None, notice_kind="error")
    if htmx:
        return render_block("settings_sop/draft.html", "editor", **context), 422
    return render_template("settings_sop/draft.html", **context), 422


def edit_draft(place: str, form, change, done: str | None = None):
    """Validate `form` (None: a button without fields), apply `change(definition)`, save; or 422 at the field.

    `change` returns the new definition, or (definition, id of the element to show it at).
    """
    found = _draft_or_redirect(for_update=True)
    if found is None:
        return redirect(url_for(".sop"))
    if form is not None and not form.validate_on_submit():
        return _refused(found, place, form)
    try:
        result = change(found.definition)
    except EditError as exc:
        return _refused(found, place, form, exc.errors)
    definition, focus = result if isinstance(result, tuple) else (result, element(place))
    what, _sep, key = place.partition(":")
    changes = save_draft(found, definition, what=_AUDIT_PART.get(what, what), key=key)
    notice = (done or _("Tersimpan di draf.")) if changes else _("Tidak ada yang berubah.")
    return _saved(found, focus, notice)



def form_key(field: str = "key") -> str:
    """A key posted with an editor form (the stage or step it acts on)."""
    return (request.form.get(field) or "").strip()



@bp.post("/sop/draft/steps")
@configure
def draft_step():
    """Who may take a step (change an approver) and its legal basis."""
    key = form_key()
    form = StepForm(prefix=f"step-{key}")
    return edit_draft(f"step:{key}", form, lambda d: edits.set_step(
        d, key, roles=form.roles.data or [], legal_basis=form.legal_basis.data or "", with_pair=form.with_pair.data,
        basis_confirmed=form.confirm_basis.data))


@bp.post("/sop/draft/reviews")
@configure
def draft_add_review():
    """Insert a supervisor approval after a step."""
    key = form_key()
    form = ReviewForm(prefix=f"review-{key}")
    if not form.validate_on_submit():  # the editor shows the general approval form, not this one: say it on top
        found = _draft_or_redirect(for_update=True)
        return _refused(found, f"review:{key}", None, form.errors) if found else redirect(url_for(".sop"))
    return edit_draft(f"review:{key}", None, lambda d: edits.add_review(
        d, key, label=form.label.data or "", sla_hours=form.sla_hours.data,
        legal_basis=form.legal_basis.data or "")[0])


@bp.post("/sop/draft/reviews/remove")
@configure
def draft_remove_review():
    """Take out an approval stage; the steps into it lead where its approval led."""
    key = form_key()
    found = _draft_or_redirect(for_update=True)
    if found is None:
        return redirect(url_for(".sop"))
    try:
        definition = edits.remove_review(found.definition, key)
    except EditError as exc:
        return _refused(found, f"stage:{key}", errors=exc.errors)
    save_draft(found, definition, what="remove_review", key=key)
    return _saved(found, "stages", _("Tahap persetujuan dihapus dari draf."))


@bp.post("/sop/draft/channels")
@configure
def draft_channel():
    """Open, change or close an intake channel."""
    key = form_key()
    if key not in CHANNELS:
        abort(404)
    form = ChannelForm(prefix=f"channel-{key}")
    return edit_draft(f"channel:{key}", form, lambda d: edits.set_channel(
        d, key, enabled=form.enabled.data, label=form.label.data or "", entry=form.entry.data or "",
        roles=form.roles.data or [], legal_basis=form.legal_basis.data or ""))


@bp.post("/sop/draft/routing")
@configure
def draft_routing():
    """Which back-office unit handles each service area."""
    units = back_office_units()
    form = region_routing_form(units)
    return edit_draft("routing", form, lambda d: edits.set_routing(
        d, routing_values(form), [u.key for u in units], own_areas=[a.key for a in own_areas()]))


@bp.post("/sop/draft/publish")
@configure
def publish():
    """Publish the draft: new cases follow it; open cases keep their version."""
    found = _draft_or_redirect(for_update=True)
    if found is None:
        return redirect(url_for(".sop"))
    form = MetaForm()
    if not form.validate_on_submit():
        return _refused(found, "meta", form)
    definition = edits.set_regulation(found.definition, form.regulation.data)
    save_draft(found, definition, what="regulation")
    set_note(found, form.note.data or "")
    try:
        published = publish_draft(found, current_user.user)
    except DraftInvalid as exc:
        context = draft_context(found, focus="publish", forms={"meta": form})
        context["publish_problems"] = exc.problems
        return render_template("settings_sop/draft.html", **context), 422
    flash(_("SOP versi %(n)s diterbitkan. Kasus baru mengikuti versi ini; kasus yang sedang berjalan tetap "
            "pada versinya.", n=published.number), "success")
    for warning in publish_warnings(published.definition):
        flash(warning, "warning")
    return redirect(url_for(".sop"))


@bp.post("/sop/draft/discard")
@configure
def discard():
    """Throw the draft away."""
    found = _draft_or_redirect(for_update=True)
    if found is not None:
        discard_draft(found)
        flash(_("Draf SOP dibuang. Versi yang berlaku tidak berubah."), "info")
    return redirect(url_for(".sop"))
