"""The managers' page for the region's API tokens: create (shown once), list with last use, revoke."""
from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField

from app.api import tokens as ops
from app.api.models import ApiScope
from app.errors import Invalid
from app.permissions import Capability, requires
from app.platform.audit import record_here

page = Blueprint("api_tokens", __name__, url_prefix="/settings/api-tokens")


class TokenForm(FlaskForm):
    name = StringField(_l("Nama token (sistem yang memakainya)"))
    scope = RadioField(_l("Cakupan"), choices=list(ApiScope.labels().items()), default=ApiScope.READ.value,
                       validate_choice=False)


def _render(form: TokenForm, shown: str | None = None, status: int = 200):
    return render_template("api/tokens.html", form=form, tokens=ops.tokens(), shown=shown,
                           scopes=ApiScope.labels()), status


@page.get("/")
@requires(Capability.CONFIGURE)
def index():
    return _render(TokenForm())


@page.post("/")
@requires(Capability.CONFIGURE)
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    try:
        token, raw = ops.create_token(form.name.data or "", form.scope.data or "", current_user.id)
    except Invalid as refusal:
        for name, messages in refusal.errors.items():
            getattr(form, name).errors = list(messages)
        return _render(form, status=422)
    record_here("api.token_created", object_type="api_token", object_id=token.id, name=token.name,
                scope=token.scope, token=token.prefix)
    return _render(TokenForm(formdata=None), shown=raw)


@page.post("/<uuid:token_id>/revoke")
@requires(Capability.CONFIGURE)
def revoke(token_id: uuid.UUID):
    token = ops.revoke_token(token_id)
    record_here("api.token_revoked", object_type="api_token", object_id=token.id, token=token.prefix)
    flash(_("Token %(name)s dicabut.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))
