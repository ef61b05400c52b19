"""What an attached file is (kept by a CHECK constraint on `attachments.kind`)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class AttachmentKind(Vocabulary):
    """The kinds of file staff attach to a case or a citizen."""

    KTP = "ktp", _l("KTP (kartu tanda penduduk)")
    KK = "kk", _l("Kartu keluarga")
    PHOTO = "photo", _l("Foto lapangan")
    PARTNER_REPLY = "partner_reply", _l("Surat balasan lembaga")
    OTHER = "other", _l("Lainnya")
