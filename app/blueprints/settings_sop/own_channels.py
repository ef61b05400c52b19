"""The draft editor's parts for what a region adds of its own: its channels (add, change, remove)
and a routing select for each of its own service areas."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.blueprints.settings_sop.forms import CheckboxesField, RoutingForm
from app.casework.channels import CHANNEL_LABELS
from app.casework.own_channels import form_data, own_channel_items
from app.org.service_areas import own_areas
from app.org.vocabulary import ROLES, SERVICE_AREAS
from app.reference.citation_form import CitationField


class OwnChannelForm(FlaskForm):
    """A channel of the region's own: name, the built-in channel it counts as, entry, who records, basis."""

    label = StringField(_l("Nama jalur"), validators=[DataRequired(_l("Nama jalur wajib diisi.")),
                                                      Length(max=200, message=_l("Paling banyak 200 karakter."))],
                        description=_l("Dalam sebutan daerah, misalnya \u201cKonsultasi di KLINK\u201d."))
    maps_to = SelectField(_l("Dihitung sebagai"), choices=[], validate_choice=False,
                          description=_l("Jalur bawaan tempat jalur ini dihitung dalam angka nasional; jalur ini "
                                         "juga berlaku seperti jalur itu (jalur Puskesos hanya untuk jabatan "
                                         "Puskesos)."))
    entry = SelectField(_l("Tahap awal"), choices=[], validate_choice=False)
    roles = CheckboxesField(_l("Yang mencatat pengaduan"), choices=list(ROLES.items()), validate_choice=False)
    legal_basis = CitationField(_l("Dasar hukum"), validators=[Length(max=500)])


class NewOwnChannelForm(OwnChannelForm):
    """A new channel of the region's own: its key besides the fields of any own channel."""

    key = StringField(_l("Kunci"), validators=[DataRequired(_l("Kunci wajib diisi.")), Length(max=20)],
                      description=_l("Huruf kecil, angka dan garis bawah, paling banyak 20; tidak dapat diubah "
                                     "kemudian. Misalnya \u201cklink\u201d."))


def _choices(form: OwnChannelForm, definition: dict, role_choices) -> OwnChannelForm:
    form.maps_to.choices = [("", _("— pilih jalur bawaan —"))] + [(k, str(v)) for k, v in CHANNEL_LABELS.items()]
    form.entry.choices = [("", _("— pilih tahap —"))] + [
        (s["key"], s.get("label") or s["key"]) for s in definition.get("states") or [] if not s.get("final")]
    form.roles.choices = role_choices(set(form.roles.data or []))
    return form


def own_channel_context(definition: dict, role_choices, submitted: dict) -> dict[str, Any]:
    """`own_channel_forms` (own channel key → its form) and `new_channel_form` for the editor;
    `role_choices(selected)` lists the roles to offer."""
    forms = {}
    for item in own_channel_items(definition):
        key = str(item.get("key"))
        form = submitted.get(f"own_channel:{key}") or OwnChannelForm(prefix=f"own-channel-{key}", formdata=None,
                                                                     data=form_data(item))
        form.x_item = item
        forms[key] = _choices(form, definition, role_choices)
    new = submitted.get("new_channel") or NewOwnChannelForm(prefix="new-channel", formdata=None,
                                                            data={"maps_to": "walk_in"})
    return {"own_channel_forms": forms, "new_channel_form": _choices(new, definition, role_choices),
            "channel_kind_names": {k: str(v) for k, v in CHANNEL_LABELS.items()}}


def region_routing_form(units, **kwargs) -> RoutingForm:
    """The routing form with, after the six built-in areas, one select per own area of the region
    (optional: left empty, its cases go where its built-in area's do)."""
    own = [a for a in own_areas() if not hasattr(RoutingForm, a.key)]  # a key like "data" keeps its built-in line
    cls: type[RoutingForm] = RoutingForm
    if own:
        fields = {a.key: SelectField(a.label, choices=[], validate_choice=False, validators=[Optional()])
                  for a in own}
        cls = type("RegionRoutingForm", (RoutingForm,), fields)
    form = cls(prefix="routing", **kwargs)
    form.set_units(units)
    for area in own:
        form[area.key].choices = [("", _("— seperti bidang %(a)s —", a=SERVICE_AREAS[area.maps_to]))] + [
            (u.key, u.name) for u in units]
    return form


def routing_values(form: RoutingForm) -> dict[str, str]:
    """area → unit key as submitted, for every area the form has."""
    return {name: field.data or "" for name, field in form._fields.items() if field.type == "SelectField"}
