"""The draft editor's structure: stages and steps of any kind added, changed, moved and taken out,
and approvals by anyone before a stage or after a step.

Each route parses one form, calls one edit of `app.casework.sop_flow` / `sop_presets` through
`edit_draft` (which saves it in the draft, or answers 422 with the messages at the form's
fields), and re-renders the editor (its htmx fragment, or the page after a redirect).
"""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.forms import ApprovalForm, NewStageForm, NewStepForm, RemoveStageForm, StepDetailsForm
from app.blueprints.settings_sop.routes_sop import configure, edit_draft, form_key
from app.casework import sop_flow as flow
from app.casework.sop_presets import add_approval


def _direction() -> str:
    return (request.form.get("direction") or "").strip()


@bp.post("/sop/draft/stages/new")
@configure
def draft_add_stage():
    """A new stage anywhere in the flow."""
    form = NewStageForm(prefix="newstage")

    def change(d):
        definition, key = flow.add_stage(d, label=form.label.data or "", after=form.after.data or "",
                                         sla_hours=form.sla_hours.data, legal_basis=form.legal_basis.data or "",
                                         final=form.final.data)
        return definition, f"stage-{key}"

    return edit_draft("newstage", form, change, done=_("Tahap ditambahkan ke draf. Tambahkan langkah yang menuju "
                                                       "dan keluar dari tahap ini."))


@bp.post("/sop/draft/stages/move")
@configure
def draft_move_stage():
    """A stage one place up or down."""
    key, direction = form_key(), _direction()
    return edit_draft(f"stage:{key}", None, lambda d: flow.move_stage(d, key, direction), done=_("Urutan diubah."))


@bp.post("/sop/draft/stages/remove")
@configure
def draft_remove_stage():
    """Take a stage out with its steps; steps that led into it lead to the stage chosen."""
    key = form_key()
    form = RemoveStageForm(prefix=f"remove-{key}")

    def change(d):
        return flow.remove_stage(d, key, redirect_to=form.redirect_to.data or ""), "stages"

    return edit_draft(f"remove:{key}", form, change, done=_("Tahap dihapus dari draf."))


@bp.post("/sop/draft/steps/new")
@configure
def draft_add_step():
    """A new step of any kind from a stage, by any role the region holds."""
    stage = form_key()
    form = NewStepForm(prefix=f"newstep-{stage}")

    def change(d):
        definition, key = flow.add_step(
            d, source=stage, target=form.target.data or "", kind=form.kind.data or "", roles=form.roles.data or [],
            label=form.label.data or "", legal_basis=form.legal_basis.data or "", note=form.note.data or "",
            before=form.before.data or "", new_stage=form.new_stage.data or "")
        return definition, f"step-{key}"

    return edit_draft(f"newstep:{stage}", form, change, done=_("Langkah ditambahkan ke draf."))


@bp.post("/sop/draft/steps/details")
@configure
def draft_step_details():
    """A step's name, kind, next stage and note rule."""
    key = form_key()
    form = StepDetailsForm(prefix=f"details-{key}")
    return edit_draft(f"details:{key}", form, lambda d: flow.update_step(
        d, key, label=form.label.data or "", target=form.target.data or "", kind=form.kind.data or "",
        note=form.note.data or ""))


@bp.post("/sop/draft/steps/move")
@configure
def draft_move_step():
    """A step one place up or down among the steps of its stage."""
    key, direction = form_key(), _direction()
    return edit_draft(f"step:{key}", None, lambda d: flow.move_step(d, key, direction), done=_("Urutan diubah."))


@bp.post("/sop/draft/steps/remove")
@configure
def draft_remove_step():
    """Take a step out."""
    key = form_key()

    def change(d):
        source = next((t.get("from") for t in d.get("transitions") or [] if t.get("key") == key), "")
        return flow.remove_step(d, key), f"stage-{source}"

    return edit_draft(f"step:{key}", None, change, done=_("Langkah dihapus dari draf."))


@bp.post("/sop/draft/approvals")
@configure
def draft_add_approval():
    """An approval by the roles chosen, after a step (`where=after`) or before a stage (`where=before`)."""
    key, where = form_key(), form_key("where")
    place = f"{'before' if where == 'before' else 'after'}:{key}"
    form = ApprovalForm(prefix=place.replace(":", "-"))

    def change(d):
        target = {"before_stage": key} if where == "before" else {"after_step": key}
        definition, stage = add_approval(d, roles=form.roles.data or [], legal_basis=form.legal_basis.data or "",
                                         label=form.label.data or "", sla_hours=form.sla_hours.data,
                                         return_to=form.return_to.data or "", **target)
        return definition, f"stage-{stage}"

    return edit_draft(place, form, change, done=_("Tahap persetujuan ditambahkan ke draf."))

