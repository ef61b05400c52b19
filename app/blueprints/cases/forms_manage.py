"""Forms for correcting and managing a case (the operations are app.casework.corrections / case_admin)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from app.blueprints.intake.forms import SEXES, digits_of_phone
from app.casework.case_admin import REASON_MAX, candidates
from app.casework.corrections import Correction, may_correct
from app.casework.vocabulary import Priority
from app.permissions import Capability, can

_REASON_LENGTH = Length(max=REASON_MAX, message=_l("Alasan paling banyak 1000 karakter."))


class _Versioned(FlaskForm):
    version = HiddenField()

    def expected_version(self) -> int:
        try:
            return int(self.version.data or -1)
        except ValueError:
            return -1


def _reason(required: bool = True):
    label = _l("Alasan") if required else _l("Keterangan (tidak wajib)")
    return TextAreaField(label, validators=[Optional(), _REASON_LENGTH], render_kw={"rows": 2})


class CorrectionForm(_Versioned):
    """The citizen's data and the complaint as they should read, and why."""

    nik = StringField(_l("NIK"), validators=[DataRequired(_l("NIK wajib diisi."))],
                      render_kw={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"})
    kk_number = StringField(_l("Nomor KK"), validators=[DataRequired(_l("Nomor KK wajib diisi."))],
                            render_kw={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"})
    name = StringField(_l("Nama lengkap (sesuai KTP)"), validators=[
        DataRequired(_l("Nama wajib diisi.")), Length(max=200, message=_l("Nama paling banyak 200 karakter."))])
    birth_date = DateField(_l("Tanggal lahir"), validators=[DataRequired(_l("Tanggal lahir wajib diisi."))],
                           invalid_value_message=_l("Tanggal lahir tidak sah."))
    sex = RadioField(_l("Jenis kelamin"), choices=[SelectChoice(k, v) for k, v in SEXES.items()],
                     validate_choice=False,
                     validators=[InputRequired(_l("Jenis kelamin wajib dipilih.")), AnyOf(list(SEXES))])
    address = StringField(_l("Alamat (jalan, RT/RW)"), validators=[
        DataRequired(_l("Alamat wajib diisi.")), Length(max=500, message=_l("Alamat paling banyak 500 karakter."))])
    phone = StringField(_l("Nomor telepon/HP"), validators=[
        Optional(), Regexp(r"^\+?[\d\s-]{8,20}$", message=_l("Nomor telepon 8–15 angka, misalnya 0812 3456 7890."))],
        render_kw={"inputmode": "tel", "autocomplete": "off"})
    complaint = TextAreaField(_l("Keluhan atau kebutuhan warga"), validators=[
        DataRequired(_l("Keluhan wajib diisi.")), Length(max=4000, message=_l("Keluhan paling banyak 4000 karakter."))],
        render_kw={"rows": 5})
    reason = TextAreaField(_l("Alasan koreksi"), validators=[Optional(), _REASON_LENGTH], render_kw={"rows": 2},
                           description=_l("Tercatat di riwayat kasus dan log audit."))

    def correction(self) -> Correction:
        """What was entered, for `correct_case`."""
        return Correction(nik=(self.nik.data or "").strip(), kk_number=(self.kk_number.data or "").strip(),
                          name=(self.name.data or "").strip(), birth_date=self.birth_date.data, sex=self.sex.data,
                          address=(self.address.data or "").strip(), phone=digits_of_phone(self.phone.data),
                          complaint=self.complaint.data or "")


class WithdrawForm(_Versioned):
    reason = _reason()


class MergeForm(_Versioned):
    survivor = StringField(_l("Tiket kasus yang dipertahankan"), validators=[
        DataRequired(_l("Tiket wajib diisi.")), Length(max=24)])
    reason = _reason()

    def __init__(self, *args, **kwargs):
        from app.tenants.ticket_prefix import example_ticket

        super().__init__(*args, **kwargs)
        self.survivor.render_kw = {**(self.survivor.render_kw or {}), "placeholder": example_ticket()}


class ReassignForm(_Versioned):
    assignee = SelectField(_l("Petugas"), choices=[], validate_choice=False,
                           validators=[DataRequired(_l("Pilih petugas."))])
    reason = _reason()


class PriorityForm(_Versioned):
    priority = SelectField(_l("Prioritas"), choices=list(Priority.labels().items()), validate_choice=False)
    reason = _reason(required=False)


class FollowUpForm(_Versioned):
    follow_up_on = DateField(_l("Tanggal tindak lanjut"), validators=[Optional()],
                             invalid_value_message=_l("Tanggal tidak sah."),
                             description=_l("Kosongkan untuk menghapus jadwal."))
    reason = _reason(required=False)


FORMS = {"withdraw": WithdrawForm, "merge": MergeForm, "reassign": ReassignForm, "priority": PriorityForm,
         "follow_up": FollowUpForm}


def manage_forms(case, membership, given: dict | None = None) -> dict:
    """The management forms the case page shows this member (with `given`, those just posted)."""
    forms: dict = {"correct": may_correct(membership, case)}
    if case.is_closed or not can(membership, Capability.MANAGE_CASES):
        return forms
    given = given or {}
    for name, cls in FORMS.items():
        form = given.get(name) or cls(formdata=None, version=str(case.version), prefix=name,
                                      **_initial(name, case))
        if name == "reassign":
            form.assignee.choices = [SelectChoice("", str(_l("— pilih petugas —")))] + [
                SelectChoice(str(user.id), f"{user.name} · {member.position.title}")
                for user, member in candidates(case)]
        forms[name] = form
    return forms


def _initial(name: str, case) -> dict:
    if name == "priority":
        return {"priority": case.priority}
    if name == "follow_up":
        return {"follow_up_on": case.follow_up_on}
    return {}
