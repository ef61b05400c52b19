"""The intake form: WTForms checks presence and length; `check_identity` checks NIK and KK."""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from app.blueprints.intake.visit_form import HomeVisitFields
from app.org.service_areas import service_areas

TOKEN = re.compile(r"^[0-9a-f]{32}$")
SEXES = {"L": _l("Laki-laki (L)"), "P": _l("Perempuan (P)")}


def local_today() -> date:
    """Today where the region is (the app's time zone), not on the server's clock."""
    return datetime.now(get_timezone()).date()


def digits_of_phone(raw: str) -> str:
    """`0812-3456 7890` → `081234567890`; a leading + is kept."""
    raw = (raw or "").strip()
    return ("+" if raw.startswith("+") else "") + re.sub(r"\D", "", raw)


def area_choices() -> list[SelectChoice]:
    """The region's service areas (built-in and its own), read each time a form is made."""
    return [SelectChoice(k, v) for k, v in service_areas().items()]


class IntakeForm(HomeVisitFields, FlaskForm):
    """A citizen (found or new) and their complaint, on one screen."""

    intake_token = HiddenField()
    nik = StringField(_l("NIK"), validators=[DataRequired(_l("NIK wajib diisi."))],
                      render_kw={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"})
    kk_number = StringField(_l("Nomor KK"), validators=[DataRequired(_l("Nomor KK wajib diisi."))],
                            render_kw={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"})
    name = StringField(_l("Nama lengkap (sesuai KTP)"), validators=[
        DataRequired(_l("Nama wajib diisi.")), Length(max=200, message=_l("Nama paling banyak 200 karakter."))],
        render_kw={"autocomplete": "off"})
    birth_date = DateField(_l("Tanggal lahir"), validators=[DataRequired(_l("Tanggal lahir wajib diisi."))],
                           invalid_value_message=_l("Tanggal lahir tidak sah."))
    sex = RadioField(_l("Jenis kelamin"), choices=[SelectChoice(k, v) for k, v in SEXES.items()],
                     validate_choice=False,
                     validators=[InputRequired(_l("Jenis kelamin wajib dipilih.")), AnyOf(list(SEXES))])
    address = StringField(_l("Alamat (jalan, RT/RW)"), validators=[
        DataRequired(_l("Alamat wajib diisi.")), Length(max=500, message=_l("Alamat paling banyak 500 karakter."))],
        render_kw={"autocomplete": "off"})
    village_code = SelectField(_l("Desa/kelurahan"), choices=[],
                               validators=[DataRequired(_l("Desa/kelurahan wajib dipilih."))],
                               invalid_choice_message=_l("Pilih desa/kelurahan dari daftar."))
    phone = StringField(_l("Nomor telepon/HP"), validators=[
        Optional(), Regexp(r"^\+?[\d\s-]{8,20}$", message=_l("Nomor telepon 8–15 angka, misalnya 0812 3456 7890."))],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
        description=_l("Dipakai warga untuk memeriksa status pengaduan (4 angka terakhir)."))
    complaint = TextAreaField(_l("Keluhan atau kebutuhan warga"), validators=[
        DataRequired(_l("Keluhan wajib diisi.")), Length(max=4000, message=_l("Keluhan paling banyak 4000 karakter."))],
        render_kw={"rows": 5})
    service_area = RadioField(_l("Bidang layanan"), choices=area_choices,
                              validate_choice=False, validators=[InputRequired(_l("Bidang layanan wajib dipilih."))])
    channel = RadioField(_l("Jalur pengaduan"), choices=[], validate_choice=False,
                         validators=[InputRequired(_l("Jalur pengaduan wajib dipilih."))])
    #: When the person already has an open case: "new", or the id of the case to add this complaint to.
    existing_case = RadioField(_l("Warga ini sudah punya kasus terbuka"), choices=[], validate_choice=False)

    def set_open_cases(self, cases) -> None:
        """Offer to add the complaint to each of the person's open cases, or to open a new one."""
        self.existing_case.choices = [SelectChoice(str(c.id), str(_l(
            "Tambahkan ke kasus ini: %(t)s — tahap: %(s)s", t=c.ticket, s=c.sop_version.sop.state(c.state).label)))
            for c in cases] + [SelectChoice("new", str(_l("Buka kasus baru")))]

    def set_channels(self, channels) -> None:
        """Offer only the member's channels; preselect when there is just one."""
        self.set_home_visit_choices()
        self.channel.choices = [SelectChoice(c.key, c.label) for c in channels]
        if len(channels) == 1 and not self.channel.data:
            self.channel.data = channels[0].key

    def set_villages(self, rows) -> None:
        """Villages (district, code, name) as one <optgroup> per kecamatan; preselect a lone one."""
        self.village_code.choices = [SelectChoice("", str(_l("— pilih desa/kelurahan —")))] + [
            SelectChoice(code, name, optgroup=str(_l("Kec. %(name)s", name=district)))
            for district, code, name in rows]
        if len(rows) == 1 and not self.village_code.data:
            self.village_code.data = rows[0][1]

    @property
    def latest_birth_date(self) -> str:
        """Today in the region's time zone: the latest birth date the form accepts (`max` of the input)."""
        return local_today().isoformat()

    def validate_birth_date(self, field) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_l("Tanggal lahir tidak boleh di masa depan."))

    def validate_service_area(self, field) -> None:
        if field.data not in service_areas():
            raise ValidationError(_l("Pilih bidang layanan dari daftar."))

    def validate_channel(self, field) -> None:
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Jalur ini tidak tersedia untuk jabatan Anda."))

    def validate_intake_token(self, field) -> None:
        if not TOKEN.match(field.data or ""):
            raise ValidationError(_l("Formulir tidak lengkap; muat ulang halaman."))
