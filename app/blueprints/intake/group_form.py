"""The intake form for a group or community: the group, its contact person, and the complaint."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.blueprints.intake.forms import IntakeForm
from app.casework.vocabulary import GroupKind

MAX_MEMBERS = 100_000


class GroupIntakeForm(FlaskForm):
    """A complaint brought by a group: no NIK; the contact person's phone opens the status page."""

    intake_token = IntakeForm.intake_token
    group_name = StringField(_l("Nama kelompok/komunitas"), validators=[
        DataRequired(_l("Nama kelompok wajib diisi.")),
        Length(max=200, message=_l("Nama paling banyak 200 karakter."))], render_kw={"autocomplete": "off"})
    group_kind = SelectField(_l("Jenis kelompok"), validate_choice=False,
                             choices=[SelectChoice(k, str(v)) for k, v in GroupKind.labels().items()])
    contact_name = StringField(_l("Nama narahubung"), validators=[
        DataRequired(_l("Nama narahubung wajib diisi.")),
        Length(max=200, message=_l("Nama paling banyak 200 karakter."))], render_kw={"autocomplete": "off"})
    contact_phone = StringField(_l("Nomor telepon/HP narahubung"), validators=[
        DataRequired(_l("Nomor telepon narahubung wajib diisi.")),
        Regexp(r"^\+?[\d\s-]{8,20}$", message=_l("Nomor telepon 8–15 angka, misalnya 0812 3456 7890."))],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
        description=_l("Dipakai untuk memeriksa status pengaduan (4 angka terakhir)."))
    member_count = StringField(_l("Perkiraan jumlah anggota/warga terdampak"), validators=[Optional()],
                               render_kw={"inputmode": "numeric", "maxlength": 6})
    village_code = IntakeForm.village_code
    complaint = IntakeForm.complaint
    service_area = IntakeForm.service_area
    channel = IntakeForm.channel

    set_villages = IntakeForm.set_villages
    validate_service_area = IntakeForm.validate_service_area
    validate_channel = IntakeForm.validate_channel
    validate_intake_token = IntakeForm.validate_intake_token

    def set_channels(self, channels) -> None:
        self.channel.choices = [SelectChoice(c.key, c.label) for c in channels]
        if len(channels) == 1 and not self.channel.data:
            self.channel.data = channels[0].key

    @property
    def members(self) -> int | None:
        text = (self.member_count.data or "").strip()
        return int(text) if text.isdigit() and 1 <= int(text) <= MAX_MEMBERS else None

    def validate_group_kind(self, field) -> None:
        if field.data not in GroupKind.labels():
            raise ValidationError(_l("Pilih jenis kelompok dari daftar."))

    def validate_member_count(self, field) -> None:
        if (field.data or "").strip() and self.members is None:
            raise ValidationError(_l("Jumlah anggota 1–%(n)s.", n=f"{MAX_MEMBERS:,}".replace(",", ".")))
