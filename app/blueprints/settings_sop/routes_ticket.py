"""The region's ticket prefix: what its ticket numbers start with (`app.tenants.ticket_prefix`)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.routes_sop import configure
from app.errors import Invalid
from app.extensions import db
from app.tenancy.context import tenant_in_context
from app.tenants.ticket_prefix import MAX_LENGTH, format_problem, normalised, set_ticket_prefix


class TicketPrefixForm(FlaskForm):
    ticket_prefix = StringField(_l("Awalan nomor tiket"), filters=[normalised],
                                render_kw={"maxlength": MAX_LENGTH, "autocapitalize": "characters",
                                           "autocomplete": "off", "spellcheck": "false"},
                                description=_l("2\u201312 huruf kapital atau angka, tanpa spasi atau tanda hubung; "
                                               "tidak boleh sama dengan awalan daerah lain."))

    def validate_ticket_prefix(self, field) -> None:
        problem = format_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


def _page(form: TicketPrefixForm, status: int = 200):
    return render_template("settings_sop/ticket_prefix.html", form=form, tenant=tenant_in_context()), status


@bp.route("/ticket-prefix", methods=["GET", "POST"])
@configure
def ticket_prefix():
    """Change the prefix of the region's ticket numbers (new tickets only; issued ones keep theirs)."""
    tenant = tenant_in_context()
    if request.method == "GET":
        return _page(TicketPrefixForm(formdata=None, data={"ticket_prefix": tenant.ticket_prefix}))
    form = TicketPrefixForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        changed = set_ticket_prefix(tenant, form.ticket_prefix.data)
    except Invalid as refusal:
        db.session.rollback()
        form.ticket_prefix.errors = list(refusal.errors.get("ticket_prefix", [refusal.message]))
        return _page(form, 422)
    flash(_("Awalan nomor tiket disimpan: tiket baru berawalan %(p)s.", p=tenant.ticket_prefix) if changed
          else _("Tidak ada yang berubah."), "success" if changed else "info")
    return redirect(url_for(".ticket_prefix"))
