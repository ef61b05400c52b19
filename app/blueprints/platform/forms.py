"""Forms of the platform console (CSRF through Flask-WTF; htmx sends the token as a header)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

ROLE_LABELS = {"national_admin": _l("Administrator nasional"), "auditor": _l("Auditor")}


class OnboardForm(FlaskForm):
    """The wizard's fields; which are shown depends on the step, the rest travel hidden.

    Checks live in `app.platform.wizard.validate` (step by step), not in validators here."""

    step = HiddenField(default="1")
    region_code = HiddenField()
    start = RadioField(_l("Titik awal struktur"), validate_choice=False, choices=[
        ("blank", _l("Struktur SLRT kosong sesuai Permensos 15/2018")),
        ("copy", _l("Salin struktur daerah yang sudah ada")),
        ("upload", _l("Unggah templat YAML")),
    ])
    copy_from = SelectField(_l("Daerah yang disalin"), validate_choice=False, choices=[])
    puskesos = SelectField(_l("Puskesos"), validate_choice=False, choices=[
        ("1", _l("Sertakan Puskesos (koordinator di desa/kelurahan)")), ("", _l("Tanpa Puskesos"))])
    template_file = FileField(_l("Berkas templat (.yaml)"))
    template_b64 = HiddenField()
    template_name = HiddenField()
    slug = StringField(_l("Subdomain"))
    service_name = StringField(_l("Nama layanan"))
    regulation_title = TextAreaField(_l("Judul peraturan daerah"))
    regulation_short = StringField(_l("Singkatan peraturan"))
    ticket_prefix = StringField(_l("Awalan nomor tiket"), render_kw={"maxlength": 12, "autocapitalize": "characters",
                                                                     "autocomplete": "off", "spellcheck": "false"},
                                description=_l("2\u201312 huruf kapital atau angka, unik antardaerah; tiket pertama "
                                               "berbunyi AWALAN-tahun-000001. Kosongkan untuk awalan bawaan dari "
                                               "subdomain. Manajer dapat mengubahnya nanti (hanya untuk tiket baru)."))
    manager_name = StringField(_l("Nama manajer"))
    manager_email = EmailField(_l("Email manajer"))


class SuspendForm(FlaskForm):
    reason = TextAreaField(_l("Alasan (dicatat di jejak audit)"), validators=[Optional(), Length(max=1000)])


class ActivateForm(FlaskForm):
    """Going live: the checklist was read (and, while it has problems, why go live anyway)."""
    confirm = BooleanField(_l("Saya sudah membaca daftar periksa dan daerah ini siap tayang"))
    reason = TextAreaField(_l("Alasan tetap mengaktifkan (dicatat di jejak audit)"),
                           validators=[Optional(), Length(max=1000)])


class ActionForm(FlaskForm):
    """A button that changes one thing (resend, revoke, remove): only the CSRF token."""


class ManagerInviteForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), validators=[Length(max=200)])
    email = EmailField(_l("Email"), validators=[Length(max=254)])
    position_id = SelectField(_l("Jabatan"), validate_choice=False, choices=[])
    existing_ok = HiddenField()


class RenameForm(FlaskForm):
    slug = StringField(_l("Subdomain baru"), validators=[DataRequired(_l("Subdomain wajib diisi.")),
                                                         Length(max=63)])


class InviteUserForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(_l("Nama wajib diisi.")), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Email wajib diisi.")),
                                                Email(_l("Format email tidak sah.")), Length(max=254)])
    role = RadioField(_l("Peran"), choices=list(ROLE_LABELS.items()), default="auditor",
                      validators=[DataRequired(_l("Pilih peran."))])


class DeactivateForm(FlaskForm):
    pass
