"""A stage's name, SLA and legal basis; renaming a stage asks for confirmation first (on the server).

A new name is saved only when the form comes back with that same name confirmed: otherwise the
editor answers with a confirmation step at the stage (old and new name, how many open cases are
in it, where the name shows). The saved edit is recorded like any other in the configuration
history (`config.sop.draft_edit`, its change line "nama: old → new").
"""
from __future__ import annotations

from flask import render_template
from jinja2_fragments.flask import render_block

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.draft_page import draft_context
from app.blueprints.settings_sop.forms import StageForm
from app.blueprints.settings_sop.routes_sop import configure, edit_draft, element, form_key
from app.casework import sop_edits as edits
from app.casework.rename_effects import Rename, stage_rename
from app.casework.sop_drafts import current_draft
from app.extensions import htmx


def _confirm(draft, place: str, form: StageForm, rename: Rename):
    """The editor with the stage's form open on its confirmation step (nothing saved yet)."""
    form.x_rename = rename
    form.confirm_rename.data = rename.new
    context = draft_context(draft, focus=element(place), forms={place: form}, open_place=place)
    if htmx:
        return render_block("settings_sop/draft.html", "editor", **context)
    return render_template("settings_sop/draft.html", **context)


@bp.post("/sop/draft/stages")
@configure
def draft_stage():
    """A stage's name, SLA and legal basis; a new name only once confirmed."""
    key = form_key()
    place = f"stage:{key}"
    form = StageForm(prefix=f"stage-{key}")
    draft = current_draft()
    if draft is not None and form.validate_on_submit():
        rename = stage_rename(draft.definition, key, form.label.data or "")
        if rename is not None and not rename.confirmed_by(form.confirm_rename.data):
            return _confirm(draft, place, form, rename)
    return edit_draft(place, form, lambda d: edits.set_stage(
        d, key, label=form.label.data or "", sla_hours=form.sla_hours.data, legal_basis=form.legal_basis.data or ""))
