from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField

from app.attachments.models import CASE, CITIZEN
from app.attachments.vocabulary import AttachmentKind


class AttachmentForm(FlaskForm):
    """One file for the case or its citizen. The kind and the file are checked by the operation
    (`app.attachments.operations.attach`), whose refusals land at these fields."""

    file = FileField(_l("Berkas (PDF, JPEG, atau PNG)"), validators=[FileRequired(_l("Pilih berkas."))],
                     description=_l("Jenisnya dibaca dari isi berkas. Foto diperkecil dan metadatanya dihapus."))
    kind = SelectField(_l("Jenis lampiran"), choices=list(AttachmentKind.labels().items()), validate_choice=False)
    owner = RadioField(_l("Lampirkan pada"), default=CASE, validate_choice=False,
                       choices=[(CASE, _l("Kasus ini")), (CITIZEN, _l("Data warga (dipakai di semua kasusnya)"))])
    keep_location = BooleanField(_l("Simpan lokasi foto (warga sudah menyetujui)"))
