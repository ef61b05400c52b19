"""The letterhead of the region's referral letters: office, address, number format, logo."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.blueprints.settings_sop import bp
from app.blueprints.settings_sop.routes_sop import configure
from app.errors import Invalid
from app.tenancy.context import current_tenant
from app.tenants.letterhead import (
    DEFAULT_NUMBER_FORMAT,
    MAX_FORMAT_LENGTH,
    format_errors,
    letterhead_of,
    set_logo,
    stored_letterhead,
    update_letterhead,
)
from app.tenants.logo import MAX_BYTES, checked_logo


class LetterheadForm(FlaskForm):
    """The texts of the letterhead and the letter number format."""

    office_name = StringField(_l("Nama instansi"), validators=[
        DataRequired(_l("Nama instansi wajib diisi.")), Length(max=200)],
        description=_l("Misalnya \u201cDinas Sosial Kota Bekasi\u201d."))
    address = TextAreaField(_l("Alamat"), validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=50)])
    email = StringField(_l("Surel"), validators=[Optional(), Email(_l("Alamat surel tidak sah.")), Length(max=254)])
    number_format = StringField(_l("Format nomor surat"), validators=[
        DataRequired(_l("Format nomor wajib diisi.")), Length(max=MAX_FORMAT_LENGTH)],
        description=_l("{n} nomor urut (wajib, mulai dari 1 setiap tahun), {yyyy} tahun, {mm} bulan dalam angka "
                       "Romawi. Misalnya 400.9/{n}/SLRT/{yyyy}."))

    def validate_number_format(self, field) -> None:
        errors = format_errors(field.data or "")
        if errors:
            raise ValidationError(errors[0])


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo (PNG atau JPEG, paling besar 1 MB dan 1000 piksel)"),
                     validators=[FileRequired(_l("Pilih berkas gambar logo."))])


def _page(form: LetterheadForm, logo_form: LogoForm, status: int = 200):
    row = stored_letterhead()
    return render_template("settings_sop/letterhead.html", form=form, logo_form=logo_form,
                           has_logo=bool(row and row.logo_png)), status


@bp.route("/letterhead", methods=["GET", "POST"])
@configure
def letterhead():
    """The letterhead and number format of the region's referral letters."""
    if request.method == "GET":
        head = letterhead_of(current_tenant)
        form = LetterheadForm(formdata=None, data={
            "office_name": head.office_name, "address": head.address, "phone": head.phone, "email": head.email,
            "number_format": head.number_format or DEFAULT_NUMBER_FORMAT})
        return _page(form, LogoForm(formdata=None))
    form = LetterheadForm()
    if not form.validate_on_submit():
        return _page(form, LogoForm(formdata=None), 422)
    changed = update_letterhead(current_user.user, **{name: form[name].data or "" for name in
                                                      ("office_name", "address", "phone", "email", "number_format")})
    flash(_("Kop surat disimpan.") if changed else _("Tidak ada yang berubah."), "success" if changed else "info")
    return redirect(url_for(".letterhead"))


@bp.post("/letterhead/logo")
@configure
def letterhead_logo():
    """Upload the logo: checked by its content, stored re-encoded as PNG."""
    logo_form = LogoForm()
    if logo_form.validate_on_submit():
        try:
            set_logo(current_user.user, checked_logo(logo_form.logo.data.read(MAX_BYTES + 1)))
        except Invalid as refusal:
            logo_form.logo.errors = list(refusal.errors.get("logo", [refusal.message]))
        else:
            flash(_("Logo disimpan."), "success")
            return redirect(url_for(".letterhead"))
    head = letterhead_of(current_tenant)
    form = LetterheadForm(formdata=None, data={name: getattr(head, name) for name in
                                               ("office_name", "address", "phone", "email", "number_format")})
    return _page(form, logo_form, 422)


@bp.get("/letterhead/logo.png")
@configure
def letterhead_logo_image():
    """The stored logo (as letters print it)."""
    row = stored_letterhead()
    if row is None or not row.logo_png:
        abort(404)
    return row.logo_png, 200, {"Content-Type": "image/png"}
