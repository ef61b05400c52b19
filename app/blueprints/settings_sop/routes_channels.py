"""The draft editor's channels of the region's own: open one, change it, take it out.

Each is an edit of the draft like any other (`routes_sop.edit_draft`): audited, checked, shown
in the diff, and in force for new cases once the draft is published.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.own_channels import NewOwnChannelForm, OwnChannelForm
from app.blueprints.settings_sop.routes_sop import configure, edit_draft, form_key
from app.casework.own_channels import add_own_channel, remove_own_channel, set_own_channel


@bp.post("/sop/draft/channels/own/new")
@configure
def draft_own_channel_new():
    """Open a channel of the region's own (mapped to a built-in one for national figures)."""
    form = NewOwnChannelForm(prefix="new-channel")
    return edit_draft("new_channel", form, lambda d: (add_own_channel(
        d, key=(form.key.data or "").strip(), label=form.label.data or "", maps_to=form.maps_to.data or "",
        entry=form.entry.data or "", roles=form.roles.data or [], legal_basis=form.legal_basis.data or ""),
        f"own_channel-{(form.key.data or '').strip()}"), done=_("Jalur milik daerah ditambahkan ke draf."))


@bp.post("/sop/draft/channels/own")
@configure
def draft_own_channel():
    """Change a channel of the region's own: name, mapping, entry stage, who records, legal basis."""
    key = form_key()
    form = OwnChannelForm(prefix=f"own-channel-{key}")
    return edit_draft(f"own_channel:{key}", form, lambda d: set_own_channel(
        d, key, label=form.label.data or "", maps_to=form.maps_to.data or "", entry=form.entry.data or "",
        roles=form.roles.data or [], legal_basis=form.legal_basis.data or ""))


@bp.post("/sop/draft/channels/own/remove")
@configure
def draft_own_channel_remove():
    """Take a channel of the region's own out of the draft (refused while open cases came in through it)."""
    key = form_key()
    return edit_draft(f"remove_channel:{key}", None, lambda d: (remove_own_channel(d, key), "channels"),
                      done=_("Jalur dihapus dari draf."))
