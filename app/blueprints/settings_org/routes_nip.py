"""A staff member's NIP, printed under their name on the referral letters they approve."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from app.accounts.staff import set_nip
from app.blueprints.settings_org import bp
from app.blueprints.settings_org.common import configuring, refused
from app.blueprints.settings_org.forms import NipForm
from app.blueprints.settings_org.routes_staff import _load_member, _member_page
from app.org.operations import ConfigError


@bp.post("/staff/<uuid:membership_id>/nip", endpoint="member_nip")
@configuring
def member_nip(membership_id):
    """Set or clear a member's NIP (18 digits); a wrong one stays in the field with its message."""
    membership = _load_member(membership_id)
    form = NipForm()
    if form.validate_on_submit():
        try:
            changed = set_nip(membership, form.nip.data or "")
        except ConfigError as exc:
            refused(exc, form)
            return _member_page(_load_member(membership_id), status=422, nip_form=form)
        flash(_("NIP %(n)s disimpan.", n=membership.user.name) if changed else _("Tidak ada yang berubah."),
              "success" if changed else "info")
        return redirect(url_for("settings_org.member", membership_id=membership.id))
    return _member_page(membership, status=422, nip_form=form)
