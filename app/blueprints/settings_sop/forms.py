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
from app.org.vocabulary import ROLES, SERVICE_AREAS

MAX_SLA_HOURS = 24 * 365
LEGAL_BASIS_HINT = _l("Pasal dan ayat yang menjadi dasar, misalnya \u201cPasal 7 ayat (5) huruf d\u201d.")


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _sla_field():
    return IntegerField(_l("Batas waktu (jam)"), validators=[
        Optional(), NumberRange(min=1, max=MAX_SLA_HOURS, message=_l("Isi jumlah jam antara 1 dan 8760."))],
        render_kw={"inputmode": "numeric", "min": 1}, description=_l("Kosongkan bila tahap ini tanpa batas waktu."))


class StepForm(FlaskForm):
    """Who may take a step (the approver, for an approval) and its legal basis."""

    roles = CheckboxesField(_l("Yang boleh mengambil langkah ini"), choices=list(ROLES.items()), validate_choice=False)
    legal_basis = StringField(_l("Dasar hukum"), validators=[
        DataRequired(_l("Dasar hukum wajib diisi.")), Length(max=500)], description=LEGAL_BASIS_HINT)
    with_pair = BooleanField(_l("Terapkan juga pada langkah pengembalian dari tahap yang sama"), default=True)


class StageForm(FlaskForm):
    """A stage's name, SLA and legal basis."""

    label = StringField(_l("Nama tahap"), validators=[DataRequired(_l("Nama tahap wajib diisi.")), Length(max=200)])
    sla_hours = _sla_field()
    legal_basis = StringField(_l("Dasar hukum"), validators=[Optional(), Length(max=500)])


class ReviewForm(FlaskForm):
    """Insert a supervisor approval after a step."""

    label = StringField(_l("Nama tahap persetujuan"), default=_l("Menunggu persetujuan Supervisor"),
                        validators=[DataRequired(_l("Nama tahap wajib diisi.")), Length(max=200)])
    sla_hours = _sla_field()
    legal_basis = StringField(_l("Dasar hukum"), validators=[
        DataRequired(_l("Dasar hukum wajib diisi untuk langkah baru.")), Length(max=500)],
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
    label = StringField(_l("Nama jalur"), validators=[Optional(), Length(max=200)])
    entry = SelectField(_l("Tahap awal"), choices=[], validate_choice=False)
    roles = CheckboxesField(_l("Yang mencatat pengaduan"), choices=list(ROLES.items()), validate_choice=False)
    legal_basis = StringField(_l("Dasar hukum"), validators=[Optional(), Length(max=500)])


class MetaForm(FlaskForm):
    """The regulation the version implements, and a note on why it changed."""

    regulation = StringField(_l("Peraturan yang dilaksanakan"), validators=[
        DataRequired(_l("Peraturan yang dilaksanakan wajib diisi.")), Length(max=300)],
        description=_l("Misalnya \u201cPerwal Payakumbuh 22/2017\u201d."))
    note = TextAreaField(_l("Catatan perubahan"), validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 2})


class PartnerForm(FlaskForm):
    """A program manager or partner that referrals go to."""

    name = StringField(_l("Nama lembaga"), validators=[DataRequired(_l("Nama lembaga wajib diisi.")),
                                                       Length(max=200, message=_l("Paling banyak 200 karakter."))])
    level = SelectField(_l("Tingkat"), choices=list(PartnerLevel.labels().items()),
                        validators=[DataRequired(_l("Pilih tingkat."))],
                        invalid_choice_message=_l("Pilih tingkat dari daftar."))
    kind = SelectField(_l("Jenis"), choices=list(PartnerKind.labels().items()),
                       validators=[DataRequired(_l("Pilih jenis."))],
                       invalid_choice_message=_l("Pilih jenis dari daftar."))
    contact = TextAreaField(_l("Kontak"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 2},
                            description=_l("Alamat, telepon, surel, atau nama petugas penghubung."))
    service_areas = CheckboxesField(_l("Bidang layanan yang ditangani"), choices=list(SERVICE_AREAS.items()),
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
