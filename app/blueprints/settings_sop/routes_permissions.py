"""Permissions outside the SOP: who may configure the region, import and search the register,
see the dashboard, request reports, reveal a NIK, … with the article each region's choice rests on.

One page lists every capability; `?capability=` opens one for editing in place (the roles the
region's posts hold, by their local titles; the legal basis, required when the roles differ from
the default). Saving goes through `app.tenants.permission_rules` (validated there, lock-out
refused, audited, in the configuration history).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.forms import LEGAL_BASIS_HINT, CheckboxesField
from app.errors import Invalid
from app.permissions import Capability, requires, rule_for
from app.reference.citation_form import CitationField
from app.tenancy.context import tenant_in_context
from app.tenants.permission_rules import capability_or_404, reset_rule, role_choices, save_rule, view_rules

configure = requires(Capability.CONFIGURE)


class RuleForm(FlaskForm):
    """Who holds one capability here, and why."""

    capability = HiddenField()
    roles = CheckboxesField(_l("Dipegang oleh"), choices=[], validate_choice=False)
    legal_basis = CitationField(_l("Dasar hukum"), description=LEGAL_BASIS_HINT)


class ResetForm(FlaskForm):
    """Return a capability to the default."""

    capability = HiddenField(id="reset-capability")


def _rule_form(capability: Capability) -> RuleForm:
    rule = rule_for(capability, tenant_in_context())
    return RuleForm(formdata=None, data={"capability": capability.value, "roles": list(rule.roles),
                                         "legal_basis": rule.legal_basis})


def _page(capability: Capability | None = None, form: RuleForm | None = None, status: int = 200, problems=()):
    if form is not None:
        form.roles.choices = role_choices()
    return render_template("settings_sop/permissions.html", rules=view_rules(tenant_in_context()),
                           editing=capability.value if capability else None, form=form,
                           reset_form=ResetForm(formdata=None, data={"capability": capability.value}
                                                if capability else None),
                           problems=list(problems)), status


@bp.get("/permissions")
@configure
def permissions():
    """Every capability with who holds it; `?capability=` opens one for editing."""
    value = request.args.get("capability") or None
    if value is None:
        return _page()
    capability = capability_or_404(value)
    return _page(capability, _rule_form(capability))


@bp.post("/permissions")
@configure
def permissions_save():
    """Save who holds a capability (the default again when it is the default without an article)."""
    form = RuleForm()
    capability = capability_or_404(form.capability.data or "")
    if not form.validate_on_submit():  # the legal basis's own errors sit at the field
        stale = set(form.errors) != {"legal_basis"}
        return _page(capability, form, 422,
                     [_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi.")] if stale else [])
    try:
        changed = save_rule(tenant_in_context(), capability, list(form.roles.data or []),
                            form.legal_basis.data or "")
    except Invalid as refused:
        for name in ("roles", "legal_basis"):
            form[name].errors = list(refused.errors.get(name, []))
        return _page(capability, form, 422, refused.errors.get("") or [refused.message])
    flash(_("Hak akses disimpan.") if changed else _("Tidak ada yang berubah."), "success" if changed else "info")
    return redirect(url_for(".permissions") + f"#cap-{capability.value}")


@bp.post("/permissions/reset")
@configure
def permissions_reset():
    """Return a capability to the default."""
    form = ResetForm()
    capability = capability_or_404(form.capability.data or "")
    if not form.validate_on_submit():
        return _page(capability, _rule_form(capability), 422,
                     [_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi.")])
    try:
        changed = reset_rule(tenant_in_context(), capability)
    except Invalid as refused:
        return _page(capability, _rule_form(capability), 422, refused.errors.get("") or [refused.message])
    flash(_("Hak akses dikembalikan ke bawaan.") if changed else _("Tidak ada yang berubah."),
          "success" if changed else "info")
    return redirect(url_for(".permissions") + f"#cap-{capability.value}")
