"""Forms for the org chart and staff settings.

WTForms checks what a form alone can tell (presence, length, email format); the rules
that need the region's data (a unit under itself, a role the SOP still needs, an area
outside the region) live in the operations, whose messages land on the same fields.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from app.org.decree import Decree
from app.org.service_areas import service_areas
from app.org.vocabulary import ROLES, UNIT_KINDS
from app.reference.citation_form import CitationField

AREA_LEVEL_CHOICES = [("", _l("Menurut peran")), ("district", _l("Per kecamatan")),
                      ("village", _l("Per kelurahan/desa"))]


def area_choices() -> list[tuple[str, str]]:
    """The region's service areas (built-in and its own), read each time a form is made."""
    return list(service_areas().items())


class CheckboxList(SelectMultipleField):
    """Several choices as checkboxes; unknown values are left for the operation to refuse."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form) -> None:
        pass


class UnitForm(FlaskForm):
    name = StringField(_l("Nama unit"), validators=[
        DataRequired(_l("Nama unit wajib diisi.")),
        Length(max=200, message=_l("Nama unit paling banyak 200 karakter.")),
    ])
    kind = SelectField(_l("Jenis unit"), choices=[(k, v) for k, v in UNIT_KINDS.items()], validate_choice=False)
    parent_id = SelectField(_l("Di bawah unit"), choices=[], validate_choice=False)
    legal_basis = CitationField(_l("Dasar hukum (pasal)"), validators=[Optional(), Length(max=500)],
                                description=_l("Misalnya \u201cPasal 8 ayat (2) huruf b\u201d."))
    service_areas = CheckboxList(_l("Bidang layanan yang ditangani"), choices=area_choices,
                                 description=_l("Hanya untuk unit Back Office."))


class DecreeDateField(DateField):
    """A date (`YYYY-MM-DD`, as the browser's date input sends it) with the error in Indonesian."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Tanggal tidak sah; pilih dari kalender (tahun-bulan-tanggal)."))) from None


class PositionForm(FlaskForm):
    title = StringField(_l("Nama jabatan (sebutan setempat)"), validators=[
        DataRequired(_l("Nama jabatan wajib diisi.")), Length(max=200, message=_l("Paling banyak 200 karakter."))])
    role = SelectField(_l("Peran dalam aplikasi"), choices=[("", _l("— pilih peran —")), *ROLES.items()],
                       validate_choice=False, description=_l("Menentukan apa yang boleh dikerjakan pemegang jabatan."))
    ex_officio = StringField(_l("Dijabat secara ex officio oleh"), validators=[Optional(), Length(max=300)],
                             description=_l("Kosongkan bila tidak ada, misalnya \u201cKepala Dinas Sosial\u201d."))
    legal_basis = CitationField(_l("Pasal asal jabatan"), validators=[
        DataRequired(_l("Tulis pasal asal jabatan ini, misalnya \u201cPasal 8 ayat (4) huruf a\u201d.")),
        Length(max=500)])
    area_level = SelectField(_l("Wilayah kerja"), choices=AREA_LEVEL_CHOICES, validate_choice=False,
                             description=_l("Menurut peran: Supervisor per kecamatan; Fasilitator dan Koordinator "
                                            "Puskesos per kelurahan/desa; peran lain seluruh daerah. Petugas "
                                            "Puskesos: pilih per kelurahan/desa."))
    # The appointing decree (Keputusan pengangkatan); checked with the post by `app.org.decree.check`.
    decree_number = StringField(_l("Nomor"), validators=[Optional(), Length(max=120, message=_l(
        "Paling banyak 120 karakter."))], description=_l("Misalnya \u201c400.9/123/Kep/2024\u201d."))
    decree_date = DecreeDateField(_l("Tanggal"), validators=[Optional()])
    decree_authority = StringField(_l("Ditetapkan oleh"), validators=[Optional(), Length(max=200, message=_l(
        "Paling banyak 200 karakter."))], description=_l("Misalnya \u201cWali Kota\u201d atau \u201cLurah\u201d."))

    #: The new title sent back from the confirmation step: a post is renamed only once confirmed.
    confirm_title = HiddenField()

    def decree(self) -> Decree:
        """The decree typed in the form (empty when all three fields are)."""
        return Decree(authority=(self.decree_authority.data or "").strip(),
                      number=(self.decree_number.data or "").strip(), date=self.decree_date.data)


class WelfareCenterForm(FlaskForm):
    village_code = SelectField(_l("Kelurahan/desa"), choices=[], validate_choice=False,
                               validators=[DataRequired(_l("Pilih kelurahan/desa."))])
    name = StringField(_l("Nama Puskesos"), validators=[Optional(), Length(max=200)],
                       description=_l("Kosongkan untuk memakai \u201cPuskesos\u201d diikuti nama kelurahan/desa."))
    legal_basis = CitationField(_l("Dasar hukum (pasal)"), validators=[
        DataRequired(_l("Tulis pasal dasar pembentukan Puskesos.")), Length(max=500)])


class AreasMixin:
    """Work areas: districts (supervisors) or villages (facilitators, Puskesos staff)."""

    district_codes = CheckboxList(_l("Kecamatan"), choices=[])
    village_codes = CheckboxList(_l("Kelurahan/desa"), choices=[])


class InviteForm(AreasMixin, FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Email wajib diisi.")),
                                                Email(_l("Format email tidak sah.")), Length(max=254)])
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)])
    position_id = SelectField(_l("Jabatan"), choices=[], validate_choice=False,
                              validators=[DataRequired(_l("Pilih jabatan."))])


class MoveForm(AreasMixin, FlaskForm):
    position_id = SelectField(_l("Jabatan baru"), choices=[], validate_choice=False,
                              validators=[DataRequired(_l("Pilih jabatan."))])


class ReassignForm(FlaskForm):
    case_ids = CheckboxList(_l("Kasus"), choices=[])
    target_id = SelectField(_l("Alihkan ke"), choices=[], validate_choice=False,
                            validators=[DataRequired(_l("Pilih petugas tujuan."))])
    add_areas = BooleanField(_l("Tambahkan juga wilayah kerja staf ini ke petugas tujuan"))
    note = TextAreaField(_l("Catatan (tampil di riwayat kasus)"), validators=[Optional(), Length(max=2000)])


class ConfirmForm(FlaskForm):
    """A bare POST with its CSRF token (retire, deactivate, revoke)."""


class NipForm(FlaskForm):
    """A member's NIP (checked by `app.accounts.staff.set_nip`)."""

    nip = StringField(_l("NIP"), validators=[Length(max=40)], render_kw={"inputmode": "numeric", "autocomplete": "off"},
                      description=_l("18 angka, dicetak di bawah nama pada surat rujukan yang disetujuinya. "
                                     "Kosongkan bila tidak ada."))
