"""The codes the program side stores."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary


class ProgramLevel(Vocabulary):
    """Who runs a program."""

    NATIONAL = "national", _l("Pusat")
    PROVINCIAL = "provincial", _l("Provinsi")
    REGIONAL = "regional", _l("Kabupaten/Kota")
    VILLAGE = "village", _l("Desa/Kelurahan")
    NON_GOVERNMENT = "non_government", _l("Non-pemerintah/CSR")


class ParticipationSource(Vocabulary):
    """Where the knowledge that a household receives a program comes from."""

    REGISTER = "register", _l("Data register (DTKS)")
    FIELD_VISIT = "field_visit", _l("Kunjungan lapangan")
    CITIZEN = "citizen", _l("Keterangan warga")
    DOCUMENT = "document", _l("Dokumen/kartu program")
    PARTNER = "partner", _l("Pengelola program")


class RankingStatus(Vocabulary):
    """A ranking is computed as a draft, then decided (who is proposed, with the decree)."""

    DRAFT = "draft", _l("Draf")
    DECIDED = "decided", _l("Diputuskan")
