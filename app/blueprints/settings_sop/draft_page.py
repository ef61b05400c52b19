"""Everything the draft editor shows: stages with their forms, problems in place, the diff."""
from __future__ import annotations

from flask_babel import gettext as _

from app.blueprints.settings_sop.forms import ChannelForm, MetaForm, ReviewForm, RoutingForm, StageForm, StepForm
from app.casework.models import SopVersion
from app.casework.sop import CHANNELS
from app.casework.sop_diff import CHANNEL_LABELS
from app.casework.sop_drafts import back_office_units, check_definition, draft_changes, place_problems
from app.casework.sop_edits import can_add_review, removable_review, roles_of
from app.casework.sop_procedure import stages, titles_by_role
from app.casework.sop_store import current_version
from app.org.vocabulary import ROLES


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


def step_form(step: dict, titles, form: StepForm | None = None) -> StepForm:
    """The form for who takes a step, filled from the draft unless a submitted one is given."""
    roles = roles_of(step)
    form = form or StepForm(prefix=f"step-{step['key']}", formdata=None,
                            data={"roles": list(roles), "legal_basis": step.get("legal_basis") or "",
                                  "with_pair": True})
    form.roles.choices = role_choices(titles, set(form.roles.data or roles))
    return form


def stage_form(stage: dict, form: StageForm | None = None) -> StageForm:
    """The form for a stage's name, SLA and legal basis."""
    return form or StageForm(prefix=f"stage-{stage['key']}", formdata=None,
                             data={"label": stage.get("label"), "sla_hours": stage.get("sla_hours"),
                                   "legal_basis": stage.get("legal_basis") or ""})


def review_form(step_key: str, form: ReviewForm | None = None) -> ReviewForm:
    """The form that inserts a supervisor approval after a step."""
    return form or ReviewForm(prefix=f"review-{step_key}", formdata=None, data={"sla_hours": 48})


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
    """The form mapping each service area to a back-office unit."""
    form = form or RoutingForm(prefix="routing", formdata=None, data=dict(definition.get("routing") or {}))
    form.set_units(units)
    return form


def meta_form(draft: SopVersion, form: MetaForm | None = None) -> MetaForm:
    """The publish form: regulation and note."""
    return form or MetaForm(formdata=None, data={"regulation": draft.regulation, "note": draft.note})


def draft_context(draft: SopVersion, *, focus: str | None = None, notice: str | None = None,
                  notice_kind: str = "success", forms: dict | None = None) -> dict:
    """The editor's template context. `forms` holds submitted forms (with errors) by place."""
    forms = forms or {}
    definition = draft.definition
    titles = titles_by_role()
    units = back_office_units()
    problems = check_definition(definition)
    stage_views = stages(definition, titles)
    step_forms, review_forms, stage_forms = {}, {}, {}
    for stage in stage_views:
        stage_forms[stage.key] = stage_form(stage.raw, forms.get(f"stage:{stage.key}"))
        for step in stage.steps:
            step_forms[step.key] = step_form(step.raw, titles, forms.get(f"step:{step.key}"))
            if can_add_review(definition, step.raw):
                review_forms[step.key] = review_form(step.key, forms.get(f"review:{step.key}"))
    return dict(
        draft=draft, base=current_version(), stages=stage_views, problems=problems,
        placed=place_problems(problems), changes=draft_changes(draft), focus=focus, notice=notice,
        notice_kind=notice_kind, publish_problems=[],
        step_forms=step_forms, review_forms=review_forms, stage_forms=stage_forms,
        removable={s.key for s in stage_views if removable_review(definition, s.key)},
        channel_forms={k: channel_form(k, definition, titles, forms.get(f"channel:{k}")) for k in CHANNELS},
        channel_names={k: str(v) for k, v in CHANNEL_LABELS.items()},
        routing_form=routing_form(definition, units, forms.get("routing")),
        meta_form=meta_form(draft, forms.get("meta")),
    )
