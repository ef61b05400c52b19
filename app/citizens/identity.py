"""NIK and KK numbers: shape, region part and birth-date part.

A NIK is 16 digits: PP RR DD (province, regency, district where it was issued),
DDMMYY (birth date; women add 40 to the day), then a 4-digit serial. A KK number is
16 digits starting with the 6-digit district code. A NIK is kept for life, so its
region part may differ from where the person lives now: that is a notice, not an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.kept import kept
from app.reference.models import District


@dataclass
class IdentityCheck:
    errors: dict[str, list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


def district_code_of(number: str) -> str:
    """`3275011234560001` → `32.75.01`."""
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}"


def _district_exists(code: str) -> bool:
    """Whether the official area list has this district (asked per NIK and KK checked: once per
    transaction and code)."""
    return kept(f"district.exists:{code}",
                lambda: db.session.scalar(select(District.code).where(District.code == code)) is not None,
                watch=(District,))


def nik_birth_date(nik: str, century_hint: date | None = None) -> tuple[date | None, str | None]:
    """Birth date and sex encoded in a NIK (None if the digits make no date)."""
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    today = date.today()
    century = 1900 if year2 > today.year % 100 else 2000
    if century_hint is not None:
        century = (century_hint.year // 100) * 100
    try:
        return date(century + year2, month, day), sex
    except ValueError:
        return None, None


def check_identity(nik: str, kk_number: str, birth_date: date | None, sex: str | None,
                   village_code: str | None) -> IdentityCheck:
    """Validate NIK and KK against each other and what was entered, with messages per field."""
    result = IdentityCheck()
    nik, kk_number = (nik or "").strip(), (kk_number or "").strip()
    if not (len(nik) == 16 and nik.isdigit()):
        result.add("nik", _("NIK harus 16 angka (tertulis %(n)s karakter).", n=len(nik)))
    else:
        if not _district_exists(district_code_of(nik)):
            result.add("nik", _("6 angka pertama NIK (%(c)s) bukan kode kecamatan yang terdaftar di Kemendagri.",
                                c=nik[:6]))
        encoded, encoded_sex = nik_birth_date(nik, birth_date)
        if encoded is None:
            result.add("nik", _("Angka tanggal lahir pada NIK (%(p)s) bukan tanggal yang sah.", p=nik[6:12]))
        elif birth_date is not None and (encoded != birth_date):
            result.add("nik", _("Tanggal lahir pada NIK (%(e)s) tidak sama dengan tanggal lahir yang diisi.",
                                e=encoded.strftime("%d-%m-%Y")))
        if encoded is not None and sex in ("L", "P") and encoded_sex != sex:
            result.add("sex", _("Jenis kelamin tidak sesuai NIK: untuk perempuan, tanggal lahir pada NIK ditambah 40."))
        if village_code and not result.errors.get("nik") and not village_code.startswith(district_code_of(nik)):
            result.notices.append(_(
                "NIK diterbitkan di kecamatan lain (%(c)s) dari alamat sekarang; pastikan alamat benar.",
                c=district_code_of(nik)))
    if not (len(kk_number) == 16 and kk_number.isdigit()):
        result.add("kk_number", _("Nomor KK harus 16 angka (tertulis %(n)s karakter).", n=len(kk_number)))
    elif not _district_exists(district_code_of(kk_number)):
        result.add("kk_number", _("6 angka pertama Nomor KK (%(c)s) bukan kode kecamatan yang terdaftar.",
                                  c=kk_number[:6]))
    return result


def mask_nik(nik: str) -> str:
    """`3275014501900001` → `327501••••••0001`: region and serial, never the birth date."""
    if len(nik) != 16:
        return "•" * len(nik)
    return nik[:6] + "••••••" + nik[-4:]
