"""Forms of the configuration pages: SOP draft edits, partners, terminology, import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.casework.vocabulary import PartnerKind, PartnerLevel
from app.org.service_areas import service_areas
from app.org.vocabulary import ROLES, SERVICE_AREAS
from app.reference.citation_form import CitationField

MAX_SLA_HOURS = 24 * 365
LEGAL_BASIS_HINT = _l("Pasal dan ayat yang menjadi dasar, misalnya \u201cPasal 7 ayat (5) huruf d\u201d.")


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HoursField(IntegerField):
    """A whole number of hours; anything else is refused in words (WTForms' own message is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Isi jumlah jam dengan angka bulat.")) from None


def _len(limit: int) -> Length:
    return Length(max=limit, message=_l("Paling banyak %(max)d karakter."))


def _sla_field():
    return HoursField(_l("Batas waktu (jam)"), validators=[
        Optional(), NumberRange(min=1, max=MAX_SLA_HOURS, message=_l("Isi jumlah jam antara 1 dan 8760."))],
        render_kw={"inputmode": "numeric", "min": 1}, description=_l("Kosongkan bila tahap ini tanpa batas waktu."))


class StepForm(FlaskForm):
    """Who may take a step (the approver, for an approval) and its legal basis."""

    roles = CheckboxesField(_l("Yang boleh mengambil langkah ini"), choices=list(ROLES.items()), validate_choice=False)
    legal_basis = CitationField(_l("Dasar hukum"), validators=[
        DataRequired(_l("Dasar hukum wajib diisi.")), _len(500)], description=LEGAL_BASIS_HINT)
    with_pair = BooleanField(_l("Terapkan juga pada langkah pengembalian dari tahap yang sama"), default=True)
    confirm_basis = BooleanField(_l("Dasar hukum ini tetap berlaku untuk yang baru mengambil langkah ini"),
                                 description=_l("Bila yang mengambil langkah berubah, ubah dasar hukumnya atau "
                                                "centang ini."))


NOTE_CHOICES = [("", _l("Sesuai jenis langkah")), ("required", _l("Wajib diisi")),
                ("optional", _l("Boleh diisi")), ("none", _l("Tanpa catatan"))]


def _kind_field():
    return SelectField(_l("Jenis langkah"), choices=[], validate_choice=False)


def _note_field():
    return SelectField(_l("Catatan saat mengambil langkah"), choices=NOTE_CHOICES, validate_choice=False,
                       description=_l("Beberapa jenis langkah selalu mewajibkan catatan."))


class StepDetailsForm(FlaskForm):
    """A step's name, kind, the stage it leads to, and its note rule."""

    label = StringField(_l("Nama langkah"), validators=[DataRequired(_l("Nama langkah wajib diisi.")),
                                                        _len(200)])
    kind = _kind_field()
    target = SelectField(_l("Lalu ke tahap"), choices=[], validate_choice=False)
    note = _note_field()


class NewStepForm(FlaskForm):
    """A new step of any kind from a stage: what it is, where it leads, who takes it, its legal basis."""

    label = StringField(_l("Nama langkah"), validators=[DataRequired(_l("Nama langkah wajib diisi.")),
                                                        _len(200)],
                        description=_l("Tampil di tombol pada halaman kasus, misalnya \u201cTelaah data\u201d."))
    kind = _kind_field()
    target = SelectField(_l("Lalu ke tahap"), choices=[], validate_choice=False)
    new_stage = StringField(_l("Nama tahap baru"), validators=[Optional(), _len(200)],
                            description=_l("Hanya bila \u201cLalu ke tahap\u201d adalah tahap baru."))
    roles = CheckboxesField(_l("Yang boleh mengambil langkah ini"), choices=list(ROLES.items()), validate_choice=False)
    note = _note_field()
    legal_basis = CitationField(_l("Dasar hukum"), validators=[
        DataRequired(_l("Dasar hukum wajib diisi untuk langkah baru.")), _len(500)], description=LEGAL_BASIS_HINT)
    before = SelectField(_l("Letak di antara langkah tahap ini"), choices=[], validate_choice=False)


class NewStageForm(FlaskForm):
    """A new stage somewhere in the flow."""

    label = StringField(_l("Nama tahap"), validators=[DataRequired(_l("Nama tahap wajib diisi.")), _len(200)],
                        description=_l("Apa yang sedang ditunggu kasus, misalnya \u201cMenunggu telaah data\u201d."))
    after = SelectField(_l("Letak"), choices=[], validate_choice=False)
    sla_hours = _sla_field()
    legal_basis = CitationField(_l("Dasar hukum"), validators=[Optional(), _len(500)])
    final = BooleanField(_l("Tahap akhir (kasus selesai di tahap ini)"))


class ApprovalForm(FlaskForm):
    """An approval by anyone the region has, before a stage or after a step."""

    roles = CheckboxesField(_l("Disetujui oleh"), choices=list(ROLES.items()), validate_choice=False)
    label = StringField(_l("Nama tahap persetujuan"), validators=[Optional(), _len(200)],
                        description=_l("Kosongkan untuk \u201cMenunggu persetujuan\u201d diikuti jabatan penyetuju."))
    sla_hours = _sla_field()
    legal_basis = CitationField(_l("Dasar hukum"), validators=[
        DataRequired(_l("Dasar hukum wajib diisi untuk langkah baru.")), _len(500)], description=LEGAL_BASIS_HINT)
    return_to = SelectField(_l("Bila dikembalikan, kasus kembali ke"), choices=[], validate_choice=False)


class RemoveStageForm(FlaskForm):
    """Take a stage out; the steps that led into it need another stage."""

    redirect_to = SelectField(_l("Langkah yang menuju tahap ini diarahkan ke"), choices=[], validate_choice=False)


class StageForm(FlaskForm):
    """A stage's name, SLA and legal basis."""

    label = StringField(_l("Nama tahap"), validators=[DataRequired(_l("Nama tahap wajib diisi.")), _len(200)])
    sla_hours = _sla_field()
    legal_basis = CitationField(_l("Dasar hukum"), validators=[Optional(), _len(500)])
    #: The new name sent back from the confirmation step: a rename is saved only once confirmed.
    confirm_rename = HiddenField()


class ReviewForm(FlaskForm):
    """Insert a supervisor approval after a step."""

    label = StringField(_l("Nama tahap persetujuan"), default=_l("Menunggu persetujuan Supervisor"),
                        validators=[DataRequired(_l("Nama tahap wajib diisi.")), _len(200)])
    sla_hours = _sla_field()
    legal_basis = CitationField(_l("Dasar hukum"), validators=[
        DataRequired(_l("Dasar hukum wajib diisi untuk langkah baru.")), _len(500)],
        description=LEGAL_BASIS_HINT)


class RoutingForm(FlaskForm):
    """Which back-office unit handles each service area (one select per area)."""

    def set_units(self, units) -> None:
        """Offer these back-office units in every area's select."""
        for area in SERVICE_AREAS:
            self[area].choices = [(u.key, u.name) for u in units]


for _area, _label in SERVICE_AREAS.items():
    setattr(RoutingForm, _area, SelectField(_label, choices=[],
                                            validators=[DataRequired(_l("Pilih unit back office."))]))


class ChannelForm(FlaskForm):
    """An intake channel: open or closed, its name, first stage, who records, legal basis."""

    enabled = BooleanField(_l("Jalur ini dibuka"))
    label = StringField(_l("Nama jalur"), validators=[Optional(), _len(200)])
    entry = SelectField(_l("Tahap awal"), choices=[], validate_choice=False)
    roles = CheckboxesField(_l("Yang mencatat pengaduan"), choices=list(ROLES.items()), validate_choice=False)
    legal_basis = CitationField(_l("Dasar hukum"), validators=[Optional(), _len(500)])


class MetaForm(FlaskForm):
    """The regulation the version implements, and a note on why it changed."""

    regulation = StringField(_l("Peraturan yang dilaksanakan"), validators=[
        DataRequired(_l("Peraturan yang dilaksanakan wajib diisi.")), _len(300)],
        description=_l("Misalnya \u201cPerwal Payakumbuh 22/2017\u201d."))
    note = TextAreaField(_l("Catatan perubahan"), validators=[
        DataRequired(_l("Catatan perubahan wajib diisi: apa yang berubah dan mengapa.")), _len(2000)],
        render_kw={"rows": 2}, description=_l("Tampil di daftar versi dan riwayat konfigurasi."))
    confirm = BooleanField(_l("Saya sudah memeriksa perubahan di atas; kasus baru mengikuti versi ini."),
                           validators=[DataRequired(_l("Centang konfirmasi untuk menerbitkan."))])


class PartnerForm(FlaskForm):
    """A program manager or partner that referrals go to."""

    name = StringField(_l("Nama lembaga"), validators=[DataRequired(_l("Nama lembaga wajib diisi.")),
                                                       Length(max=200, message=_l("Paling banyak 200 karakter."))])
    level = SelectField(_l("Tingkat"), choices=list(PartnerLevel.labels().items()), default=PartnerLevel.REGENCY.value,
                        validators=[DataRequired(_l("Pilih tingkat."))],
                        invalid_choice_message=_l("Pilih tingkat dari daftar."))
    kind = SelectField(_l("Jenis"), choices=list(PartnerKind.labels().items()),
                       validators=[DataRequired(_l("Pilih jenis."))],
                       invalid_choice_message=_l("Pilih jenis dari daftar."))
    contact = TextAreaField(_l("Kontak"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 2},
                            description=_l("Alamat, telepon, surel, atau nama petugas penghubung."))
    service_areas = CheckboxesField(_l("Bidang layanan yang ditangani"), choices=lambda: list(service_areas().items()),
                                    invalid_choice_message=_l("Bidang layanan tidak dikenal."))


class UnitLabelForm(Form):
    """One unit's display name (by key)."""
    key = HiddenField()
    name = StringField(validators=[DataRequired(_l("Nama unit wajib diisi.")), Length(max=200)])


class TermsForm(FlaskForm):
    """The region's own names for what the UI shows."""

    service_name = StringField(_l("Nama layanan"), validators=[DataRequired(_l("Nama layanan wajib diisi.")),
                                                               Length(max=200)],
                               description=_l("Tampil di kepala setiap halaman, misalnya \u201cUPT-PSPK\u201d."))
    service_full_name = StringField(_l("Nama lengkap layanan"), validators=[Optional(), Length(max=500)])
    welfare_register = StringField(_l("Nama data terpadu"), validators=[Optional(), Length(max=200)],
                                   description=_l("Misalnya \u201cDaftar Penerima Manfaat SLRT\u201d."))
    secretariat = StringField(_l("Nama sekretariat"), validators=[Optional(), Length(max=200)])
    coordination_team = StringField(_l("Nama tim koordinasi"), validators=[Optional(), Length(max=200)])
    welfare_center = StringField(_l("Nama Puskesos"), validators=[Optional(), Length(max=200)])
    units = FieldList(FormField(UnitLabelForm), label=_l("Nama unit"))


TERM_KEYS = ("welfare_register", "secretariat", "coordination_team", "welfare_center")


class ImportForm(FlaskForm):
    """Upload a configuration file (YAML, the template format)."""

    file = FileField(_l("Berkas konfigurasi (.yaml)"), validators=[FileRequired(_l("Pilih berkas YAML."))])


class ApplyForm(FlaskForm):
    """Carries the signed file from the preview to "apply"."""

    token = HiddenField(validators=[DataRequired()])
