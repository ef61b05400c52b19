"""The region's service areas: the six built-in ones, and the region's own added, renamed, mapped
to a built-in one for national figures, or taken out of use (`app.org.own_areas`)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.blueprints.settings_org import bp
from app.blueprints.settings_org.area_forms import NewOwnAreaForm, OwnAreaForm
from app.blueprints.settings_org.common import configuring, refused
from app.org.operations import ConfigError
from app.org.own_areas import add_area, open_cases_about, remove_area, update_area
from app.org.service_areas import own_areas
from app.org.vocabulary import SERVICE_AREAS
from app.tenancy.context import tenant_in_context


def _edit_form(area, formdata=None) -> OwnAreaForm:
    return OwnAreaForm(prefix=f"area-{area.key}", formdata=formdata,
                       data={"label": area.label, "maps_to": area.maps_to, "legal_basis": area.legal_basis})


def _page(status: int = 200, new_form: NewOwnAreaForm | None = None, forms: dict | None = None,
          errors: dict | None = None, focus: str = ""):
    region = tenant_in_context()
    areas = own_areas(region, retired=True)
    forms = forms or {}
    rows = [(a, forms.get(a.key) or _edit_form(a), open_cases_about(a.key)) for a in areas]
    return render_template("settings_org/areas.html", builtin=SERVICE_AREAS, rows=rows,
                           new_form=new_form or NewOwnAreaForm(prefix="new-area", formdata=None),
                           errors=errors or {}, focus=focus), status


def _own(key: str):
    """An own area of the current region by key (another region's key, or a built-in one: 404)."""
    area = next((a for a in own_areas(tenant_in_context(), retired=True) if a.key == key), None)
    if area is None:
        abort(404)
    return area


@bp.get("/service-areas")
@configuring
def service_areas():
    """The built-in service areas and the region's own."""
    return _page()[0]


@bp.post("/service-areas")
@configuring
def service_area_new():
    """Add an area of the region's own."""
    form = NewOwnAreaForm(prefix="new-area")
    if form.validate_on_submit():
        try:
            area = add_area(tenant_in_context(), key=form.key.data or "", label=form.label.data or "",
                            maps_to=form.maps_to.data or "", legal_basis=form.legal_basis.data or "")
        except ConfigError as exc:
            general = refused(exc, form)
            return _page(422, new_form=form, errors={"new": general}, focus="new-area")
        flash(_("Bidang \u201c%(l)s\u201d ditambahkan. Kasus baru dapat memakainya; atur unit back office-nya di "
                "pembagian bidang SOP bila berbeda dari bidang bawaannya.", l=area.label), "success")
        return redirect(url_for(".service_areas", _anchor=f"area-{area.key}"))
    return _page(422, new_form=form, focus="new-area")


@bp.post("/service-areas/<key>")
@configuring
def service_area_edit(key):
    """Rename an own area, change the built-in area it counts as, or its legal basis."""
    area = _own(key)
    form = OwnAreaForm(prefix=f"area-{area.key}")
    if form.validate_on_submit():
        try:
            changed = update_area(tenant_in_context(), key, label=form.label.data or "",
                                  maps_to=form.maps_to.data or "", legal_basis=form.legal_basis.data or "")
        except ConfigError as exc:
            general = refused(exc, form)
            return _page(422, forms={key: form}, errors={key: general}, focus=f"area-{key}")
        flash(_("Bidang \u201c%(l)s\u201d disimpan.", l=form.label.data) if changed else _("Tidak ada yang berubah."),
              "success" if changed else "info")
        return redirect(url_for(".service_areas", _anchor=f"area-{key}"))
    return _page(422, forms={key: form}, focus=f"area-{key}")


@bp.post("/service-areas/<key>/remove")
@configuring
def service_area_remove(key):
    """Take an own area out of use: refused while open cases are about it; retired when records keep it."""
    area = _own(key)
    try:
        outcome = remove_area(tenant_in_context(), key)
    except ConfigError as exc:
        return _page(409, errors={key: refused(exc)}, focus=f"area-{key}")
    flash(_("Bidang \u201c%(l)s\u201d dinonaktifkan: tidak ditawarkan lagi, tetapi tetap tampil pada kasus dan data "
            "lamanya.", l=area.label) if outcome == "retired" else _("Bidang \u201c%(l)s\u201d dihapus.", l=area.label),
          "success")
    return redirect(url_for(".service_areas"))
