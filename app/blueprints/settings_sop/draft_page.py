"""Everything the draft editor shows: stages with their forms, problems in place, the diff.

A form has a place: "step:<key>" (who takes it), "details:<key>" (name, kind, next stage),
"after:<step>" / "before:<stage>" (an approval), "newstep:<stage>", "remove:<stage>",
"stage:<key>", "newstage", "channel:<key>", "routing", "meta". The forms of stages and steps
load when their section is opened (`place_form`, an htmx fragment), so the page stays light
on a phone; a submitted form comes back at its place with its errors, nothing typed lost.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.blueprints.settings_sop.forms import (
    ApprovalForm,
    ChannelForm,
    MetaForm,
    NewStageForm,
    NewStepForm,
    RemoveStageForm,
    RoutingForm,
    StageForm,
    StepDetailsForm,
    StepForm,
)
from app.blueprints.settings_sop.own_channels import own_channel_context, region_routing_form
from app.casework.models import SopVersion
from app.casework.sop import CHANNELS
from app.casework.sop_diff import CHANNEL_LABELS
from app.casework.sop_drafts import (
    back_office_units,
    check_definition,
    draft_changes,
    place_problems,
    publish_warnings,
)
from app.casework.sop_edits import removable_review, roles_of
from app.casework.sop_flow import FIRST, NEW_STAGE, incoming
from app.casework.sop_presets import default_return, return_before
from app.casework.sop_procedure import stages, titles_by_role
from app.casework.sop_store import current_version
from app.casework.step_kinds import REGISTRY
from app.org.vocabulary import ROLES

#: Places whose forms load when their section is opened (see `_Builder.build`).
PLACES = ("step", "details", "after", "stage", "before", "remove", "newstep", "newstage")


def role_choices(titles: dict[str, list[str]], selected) -> list[tuple[str, str]]:
    """Roles someone holds here (plus any already chosen), each labelled with its local titles."""
    out = []
    for role, label in ROLES.items():
        held = titles.get(role)
        if not held and role not in selected:
            continue
        names = ", ".join(held or [])
        if not held:
            text = _("%(role)s — tidak ada jabatan dengan peran ini", role=label)
        elif names == str(label):
            text = names
        else:
            text = f"{names} ({label})"
        out.append((role, text))
    return out


def kind_choices() -> list[tuple[str, str]]:
    """Every kind of step in the registry, in its order."""
    return [(key, str(kind.label)) for key, kind in REGISTRY.items()]


def stage_choices(definition: dict) -> list[tuple[str, str]]:
    """Every stage of the draft, numbered as the editor shows them."""
    return [(s["key"], f"{n}. {s.get('label') or s['key']}") for n, s in enumerate(definition.get("states") or [], 1)]


class _Builder:
    """Makes the blank form of one place of a draft (or keeps the submitted one given for it).

    Each form carries what its partial needs besides its fields: `x_place`, `x_key` and, by
    kind, `x_final` (a stage), `x_approval` (a step that is an approval), `x_target` (where a
    step leads), `x_leading` (steps into a stage to take out), `x_has_steps` (a stage).
    """

    def __init__(self, definition: dict, titles: dict[str, list[str]], submitted: dict):
        self.definition, self.titles, self.submitted = definition, titles, submitted
        self.stages = stage_choices(definition)
        self.kinds = kind_choices()
        self.views = {v.key: v for v in stages(definition, titles)}
        self.steps = {s.key: s for v in self.views.values() for s in v.steps}

    def build(self, place: str):
        """The form for `place`, or None when the draft has no such stage or step."""
        kind, _sep, key = place.partition(":")
        stage, step = self.views.get(key), self.steps.get(key)
        makers = {"step": (step, self.step), "details": (step, self.details), "after": (step, self.after),
                  "stage": (stage, self.stage), "before": (stage, self.before), "remove": (stage, self.remove),
                  "newstep": (stage if stage is not None and not stage.final else None, self.new_step)}
        form: Any
        if place == "newstage":
            form = self.new_stage()
        elif kind in makers and makers[kind][0] is not None:
            subject, make = makers[kind]
            form = make(subject)
        else:
            return None
        form.x_place, form.x_key = place, key
        return form

    def _form(self, place: str, cls, data: dict):
        return self.submitted.get(place) or cls(prefix=place.replace(":", "-"), formdata=None, data=data)

    def _roles(self, form, roles=()) -> None:
        form.roles.choices = role_choices(self.titles, set(form.roles.data or roles))

    def step(self, step) -> StepForm:
        roles = roles_of(step.raw)
        form = self._form(f"step:{step.key}", StepForm,
                          {"roles": list(roles), "legal_basis": step.legal_basis, "with_pair": True})
        self._roles(form, roles)
        form.x_approval = step.kind == "approve"
        return form

    def details(self, step) -> StepDetailsForm:
        form = self._form(f"details:{step.key}", StepDetailsForm,
                          {"label": step.label, "kind": step.kind, "target": step.target,
                           "note": step.raw.get("note") or ""})
        form.kind.choices, form.target.choices = self.kinds, self.stages
        return form

    def _approval(self, place: str, return_to: str) -> ApprovalForm:
        form = self._form(place, ApprovalForm, {"sla_hours": 48, "return_to": return_to})
        self._roles(form)
        form.return_to.choices = [("", _("— tanpa langkah pengembalian —")), *self.stages]
        return form

    def after(self, step) -> ApprovalForm:
        form = self._approval(f"after:{step.key}", default_return(self.definition, step.raw))
        form.x_target = step.target_label
        return form

    def before(self, stage) -> ApprovalForm:
        return self._approval(f"before:{stage.key}", return_before(self.definition, stage.key))

    def stage(self, stage) -> StageForm:
        form = self._form(f"stage:{stage.key}", StageForm, {"label": stage.label, "sla_hours": stage.sla_hours,
                                                           "legal_basis": stage.legal_basis})
        form.x_final = stage.final
        return form

    def new_step(self, stage) -> NewStepForm:
        form = self._form(f"newstep:{stage.key}", NewStepForm, {"kind": "forward", "before": ""})
        form.kind.choices = self.kinds
        form.target.choices = [("", _("— pilih tahap —")), *self.stages, (NEW_STAGE, _("Tahap baru…"))]
        form.before.choices = [("", _("Sesudah langkah terakhir tahap ini"))] + [
            (s.key, _("Sebelum \u201c%(s)s\u201d", s=s.label)) for s in stage.steps]
        form.x_has_steps = bool(stage.steps)
        self._roles(form)
        return form

    def remove(self, stage) -> RemoveStageForm:
        form = self._form(f"remove:{stage.key}", RemoveStageForm, {})
        form.redirect_to.choices = [("", _("— pilih tahap —"))] + [c for c in self.stages if c[0] != stage.key]
        form.x_leading = [t.get("label") or t.get("key") for t in incoming(self.definition, stage.key)]
        return form

    def new_stage(self) -> NewStageForm:
        states = self.definition.get("states") or []
        open_ = [s["key"] for s in states if not s.get("final")]
        form = self._form("newstage", NewStageForm, {"after": open_[-1] if open_ else FIRST})
        form.after.choices = [(FIRST, _("Di awal"))] + [(k, _("Sesudah %(s)s", s=label)) for k, label in self.stages]
        return form


def place_form(draft: SopVersion, place: str):
    """The blank form of one place of the editor (loaded when its section is opened), or None."""
    return _Builder(draft.definition, titles_by_role(), {}).build(place)


def channel_form(key: str, definition: dict, titles, form: ChannelForm | None = None) -> ChannelForm:
    """The form for one intake channel (open or closed)."""
    channel = next((c for c in definition.get("channels") or [] if c.get("key") == key), None)
    if form is None:
        data = {"enabled": channel is not None, "label": str(CHANNEL_LABELS[key]), "roles": [],
                "legal_basis": ""}
        if channel is not None:
            data.update(label=channel.get("label") or "", entry=channel.get("entry"),
                        roles=list(roles_of(channel)), legal_basis=channel.get("legal_basis") or "")
        form = ChannelForm(prefix=f"channel-{key}", formdata=None, data=data)
    form.entry.choices = [("", _("— pilih tahap —"))] + [
        (s["key"], s.get("label") or s["key"]) for s in definition.get("states") or [] if not s.get("final")]
    form.roles.choices = role_choices(titles, set(form.roles.data or []))
    return form


def routing_form(definition: dict, units, form: RoutingForm | None = None) -> RoutingForm:
    """The form mapping each service area (built-in and the region's own) to a back-office unit."""
    return form or region_routing_form(units, formdata=None, data=dict(definition.get("routing") or {}))


def meta_form(draft: SopVersion, form: MetaForm | None = None) -> MetaForm:
    """The publish form: regulation, note and the confirmation."""
    return form or MetaForm(formdata=None, data={"regulation": draft.regulation, "note": draft.note})


def draft_context(draft: SopVersion, *, focus: str | None = None, notice: str | None = None,
                  notice_kind: str = "success", forms: dict | None = None, open_place: str | None = None) -> dict:
    """The editor's template context. `forms` holds submitted forms (with errors) by place.

    The forms of stages and steps are rendered only where one was submitted, or for `open_place`
    (a link's `?open=`, the editor without scripts); the others load when their section opens.
    """
    submitted = forms or {}
    definition = draft.definition
    titles = titles_by_role()
    problems = check_definition(definition)
    build = _Builder(definition, titles, submitted)
    placed_forms = {}
    for place in [*submitted, open_place]:
        if place and place.partition(":")[0] in PLACES:
            form = build.build(place)
            if form is not None:
                placed_forms[place] = form
    return dict(
        draft=draft, base=current_version(), stages=list(build.views.values()), problems=problems,
        placed=place_problems(problems), changes=draft_changes(draft), focus=focus, notice=notice,
        notice_kind=notice_kind, publish_problems=[], forms=placed_forms, open_place=open_place,
        removable={k for k in build.views if removable_review(definition, k)},
        channel_forms={k: channel_form(k, definition, titles, submitted.get(f"channel:{k}")) for k in CHANNELS},
        channel_names={k: str(v) for k, v in CHANNEL_LABELS.items()},
        routing_form=routing_form(definition, back_office_units(), submitted.get("routing")),
        meta_form=meta_form(draft, submitted.get("meta")),
        **own_channel_context(definition, lambda selected: role_choices(titles, selected), submitted),
        publish_warnings=[] if problems else publish_warnings(definition),
    )
