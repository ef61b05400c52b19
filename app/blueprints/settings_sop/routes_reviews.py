"""Review chains: who reviews, recommends and decides each kind of record, with its legal basis.

One page lists every kind's chain; `?kind=` opens that kind's chain for editing in place
(action, roles held by the region's posts, legal basis per stage; add or remove a stage).
Saving goes through `app.tenants.review_chains` (validated there, audited, in the history).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SelectField
from wtforms.validators import Length

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.forms import LEGAL_BASIS_HINT, CheckboxesField
from app.errors import Invalid
from app.permissions import Capability, requires
from app.reference.citation_form import CitationField
from app.reviews.chains import MAX_LEGAL_BASIS, MAX_STAGES, chain_for
from app.reviews.vocabulary import ReviewAction
from app.tenancy.context import tenant_in_context
from app.tenants.review_chains import kind_or_404, reset_chain, role_choices, save_chain, view_chains

configure = requires(Capability.CONFIGURE)


class StageEntry(Form):
    """One stage: what it does, who does it, by which article."""

    action = SelectField(_l("Tindakan"), choices=list(ReviewAction.labels().items()), validate_choice=False)
    roles = CheckboxesField(_l("Oleh"), choices=[], validate_choice=False)
    legal_basis = CitationField(_l("Dasar hukum"), validators=[Length(max=MAX_LEGAL_BASIS)],
                                description=LEGAL_BASIS_HINT)


class ChainForm(FlaskForm):
    """A kind's chain, stage by stage."""

    kind = HiddenField()
    stages = FieldList(FormField(StageEntry), min_entries=0, max_entries=MAX_STAGES + 1)


class ResetForm(FlaskForm):
    """Return a kind to the default chain."""

    kind = HiddenField(id="reset-kind")


def _stages_of(form: ChainForm) -> list[dict]:
    return [{"action": e.form.action.data or "", "roles": list(e.form.roles.data or []),
             "legal_basis": (e.form.legal_basis.data or "").strip()} for e in form.stages]


def _chain_form(kind: str, stages: list[dict]) -> ChainForm:
    return ChainForm(formdata=None, data={"kind": kind, "stages": stages})


def _page(kind: str | None = None, form: ChainForm | None = None, status: int = 200, problems=()):
    tenant = tenant_in_context()
    choices = role_choices()
    if form is not None:
        for entry in form.stages:
            entry.form.roles.choices = choices
    return render_template("settings_sop/reviews.html", chains=view_chains(tenant), editing=kind, form=form,
                           reset_form=ResetForm(formdata=None, data={"kind": kind} if kind else None),
                           problems=list(problems), max_stages=MAX_STAGES), status


@bp.get("/reviews")
@configure
def reviews():
    """Every kind's review chain; `?kind=` opens one for editing."""
    kind = request.args.get("kind") or None
    if kind is None:
        return _page()
    kind_or_404(kind)
    return _page(kind, _chain_form(kind, chain_for(kind, tenant_in_context())))


@bp.post("/reviews")
@configure
def reviews_save():
    """Save a kind's chain, or add/remove a stage and show the form again (nothing saved then)."""
    form = ChainForm()
    kind = kind_or_404(form.kind.data or "")
    stages, op = _stages_of(form), request.form.get("op", "save")
    if op == "add" and len(stages) < MAX_STAGES:  # a review before the deciding stage; a first stage decides
        action = ReviewAction.REVIEW.value if stages else ReviewAction.DECIDE.value
        stages.insert(max(len(stages) - 1, 0), {"action": action, "roles": [], "legal_basis": ""})
        return _page(kind, _chain_form(kind, stages))
    if op.startswith("remove-") and op[7:].isdigit() and int(op[7:]) < len(stages):
        del stages[int(op[7:])]
        return _page(kind, _chain_form(kind, stages))
    if not form.validate_on_submit():
        return _page(kind, form, 422)
    try:
        changed = save_chain(tenant_in_context(), kind, stages)
    except Invalid as refused:
        for key, messages in refused.errors.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(form.stages):
                form.stages[int(parts[1])].form[parts[2]].errors = list(messages)
        return _page(kind, form, 422, refused.errors.get("") or [refused.message])
    flash(_("Rantai penelaahan disimpan.") if changed else _("Tidak ada yang berubah."),
          "success" if changed else "info")
    return redirect(url_for(".reviews") + f"#chain-{kind}")


@bp.post("/reviews/reset")
@configure
def reviews_reset():
    """Return a kind to the default chain (the blank Permensos 15/2018 structure's)."""
    form = ResetForm()
    kind = kind_or_404(form.kind.data or "")
    if not form.validate_on_submit():
        return _page(kind, _chain_form(kind, chain_for(kind, tenant_in_context())), 422,
                     [_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi.")])
    changed = reset_chain(tenant_in_context(), kind)
    flash(_("Rantai penelaahan dikembalikan ke bawaan.") if changed else _("Tidak ada yang berubah."),
          "success" if changed else "info")
    return redirect(url_for(".reviews") + f"#chain-{kind}")
