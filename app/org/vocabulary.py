"""Canonical roles, unit kinds and service areas: the vocabulary the software knows.

A region names its posts however its regulation does ("Kepala UPT", "Kepala Sekretariat
(Manajer) SLRT Kabupaten"); permissions are always checked against these roles, never
against a title string.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import Vocabulary

ROLES: dict[str, str] = {
    "patron": _l("Pembina / Pengarah"),
    "coordination_member": _l("Anggota Tim Koordinasi"),
    "unit_head": _l("Kepala Unit / Ketua / Penanggung Jawab"),
    "manager": _l("Manajer"),
    "admin_staff": _l("Tata Usaha"),
    "intake_officer": _l("Petugas Front Office"),
    "case_officer": _l("Petugas Back Office"),
    "data_officer": _l("Petugas Pengelolaan Data"),
    "monitoring_officer": _l("Petugas Pemantauan dan Evaluasi"),
    "supervisor": _l("Supervisor"),
    "facilitator": _l("Fasilitator"),
    "welfare_center_coordinator": _l("Koordinator Puskesos"),
}

#: Roles whose holders work in an area: supervisors per district, facilitators and
#: Puskesos coordinators per village.
AREA_LEVEL_BY_ROLE: dict[str, str] = {
    "supervisor": "district",
    "facilitator": "village",
    "welfare_center_coordinator": "village",
}

UNIT_KINDS: dict[str, str] = {
    "leadership": _l("Pimpinan"),
    "coordination_team": _l("Tim Koordinasi"),
    "secretariat": _l("Sekretariat"),
    "administration": _l("Tata Usaha"),
    "front_office": _l("Front Office"),
    "back_office": _l("Back Office"),
    "field": _l("Lapangan"),
    "welfare_center": _l("Puskesos"),
}


class AreaLevel(Vocabulary):
    """The level of the area a post works in."""

    DISTRICT = "district", _l("kecamatan")
    VILLAGE = "village", _l("kelurahan/desa")


#: Service areas a case is about (Cianjur Pasal 2 ayat (2)).
SERVICE_AREAS: dict[str, str] = {
    "pendidikan": _l("Pendidikan"),
    "kesehatan": _l("Kesehatan"),
    "kependudukan": _l("Kependudukan"),
    "sosial": _l("Sosial"),
    "ekonomi_usaha": _l("Ekonomi dan Usaha"),
    "pelayanan_dasar_lainnya": _l("Pelayanan Dasar Lainnya"),
}
