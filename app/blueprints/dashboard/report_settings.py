"""The region's report settings: which reports are built at the start of each month, and who signs them.

Region configuration: only a member who may configure the region (`Capability.CONFIGURE`)
opens or changes it; every change is audited by the operations (`app.reports.settings`).
"""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.blueprints.dashboard import bp
from app.errors import Invalid
from app.permissions import Capability, requires
from app.reports.settings import (
    SCHEDULABLE,
    scheduled_reports,
    set_schedule,
    signer_choices,
    signer_of,
    stored_settings,
    update_signer,
)
from app.tenancy.context import current_tenant
from app.tenancy.reads import reads_primary

OFFICIAL = "official"


class ScheduleForm(FlaskForm):
    reports = SelectMultipleField(_l("Dibuat otomatis pada awal setiap bulan"), widget=ListWidget(prefix_label=False),
                                  option_widget=CheckboxInput(), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reports.choices = [(f"{k}:{f}", str(label)) for (k, f), label in SCHEDULABLE.items()]


class SignerForm(FlaskForm):
    signer = SelectField(_l("Penanda tangan"), validate_choice=False,
                         description=_l("Anggota staf: nama, jabatan dan NIP diambil dari data staf (NIP diisi di "
                                        "halaman staf). Pejabat lain: isi nama, jabatan dan NIP di bawah."))
    name = StringField(_l("Nama pejabat (bila pejabat lain)"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("Jabatan yang dicetak"), validators=[Optional(), Length(max=200)],
                        description=_l("Misalnya \u201cKepala Dinas Sosial Kota Bekasi\u201d. Untuk anggota staf, "
                                       "kosongkan agar memakai nama jabatannya."))
    nip = StringField(_l("NIP (bila pejabat lain)"), validators=[Optional(), Length(max=40)],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"},
                      description=_l("18 angka; boleh kosong bila pejabat bukan ASN."))
    place = StringField(_l("Tempat penandatanganan"), validators=[Optional(), Length(max=100)],
                        description=_l("Ditulis sebelum tanggal, misalnya \u201cBekasi\u201d. Kosong: nama daerah."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.signer.choices = [(OFFICIAL, str(_l("Pejabat lain (bukan pengguna SLRT Cloud)"))), *signer_choices()]


def _signer_form() -> SignerForm:
    row = stored_settings()
    data = {"signer": str(row.signer_membership_id) if row and row.signer_membership_id else OFFICIAL,
            "name": row.signer_name if row else "", "title": row.signer_title if row else "",
            "nip": row.signer_nip if row else "", "place": row.sign_place if row else ""}
    return SignerForm(formdata=None, data=data)


def _page(schedule_form: ScheduleForm | None = None, signer_form: SignerForm | None = None, status: int = 200):
    if schedule_form is None:
        schedule_form = ScheduleForm(formdata=None, data={"reports": [f"{k}:{f}" for k, f in scheduled_reports()]})
    return render_template("dashboard/report_settings.html", schedule_form=schedule_form,
                           signer_form=signer_form or _signer_form(), signer=signer_of(current_tenant)), status


@bp.get("/reports/settings")
@reads_primary
@requires(Capability.CONFIGURE)
def report_settings():
    """Which reports are built each month, and who signs the region's reports."""
    return _page()


@bp.post("/reports/settings/schedule")
@requires(Capability.CONFIGURE)
def report_schedule():
    form = ScheduleForm()
    if not form.validate_on_submit():
        return _page(schedule_form=form, status=422)
    chosen = {tuple(value.split(":", 1)) for value in form.reports.data or [] if ":" in value}
    try:
        changed = set_schedule(current_user.user, {(k, f) for k, f in chosen})
    except Invalid as refusal:
        form.reports.errors = [refusal.message]
        return _page(schedule_form=form, status=422)
    flash(_("Jadwal laporan disimpan.") if changed else _("Tidak ada yang berubah."),
          "success" if changed else "info")
    return redirect(url_for("dashboard.report_settings"))


def _membership_id(value: str | None) -> uuid.UUID | None:
    if not value or value == OFFICIAL:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Invalid(_("Pilih anggota staf daerah ini."), errors={"signer": [_("Pilih anggota staf daerah ini.")]}) \
            from None


@bp.post("/reports/settings/signer")
@requires(Capability.CONFIGURE)
def report_signer():
    form = SignerForm()
    if not form.validate_on_submit():
        return _page(signer_form=form, status=422)
    try:
        changed = update_signer(current_user.user, _membership_id(form.signer.data), form.name.data or "",
                                form.title.data or "", form.nip.data or "", form.place.data or "")
    except Invalid as refusal:
        for name, messages in refusal.errors.items():
            if name in form:
                form[name].errors = list(messages)
        return _page(signer_form=form, status=422)
    flash(_("Penanda tangan laporan disimpan.") if changed else _("Tidak ada yang berubah."),
          "success" if changed else "info")
    return redirect(url_for("dashboard.report_settings"))
