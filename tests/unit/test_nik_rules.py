"""NIK and KK rules (app/citizens/identity.py), each refusal with its Indonesian message.

A NIK is PPRRDD (district where it was issued) + DDMMYY (birth date, women's day + 40) +
a 4-digit serial; a KK number starts with the 6-digit district code. The district must be
one of Kemendagri's; everything the person typed is compared with what the NIK says.
"""
from __future__ import annotations

from datetime import date

import pytest

from app.citizens.identity import check_identity, district_code_of, mask_nik, nik_birth_date
from tests.factories import make_kk, make_nik

#: Kecamatan Bekasi Timur (32.75.01) and one of its villages, from the vendored area list.
VILLAGE = "32.75.01.1001"
OTHER_DISTRICT_VILLAGE = "32.75.02.1001"
BIRTH = date(1985, 3, 14)
UNKNOWN_DISTRICT = "999999"  # province 99 does not exist


def nik(birth: date = BIRTH, sex: str = "P") -> str:
    return make_nik(VILLAGE, birth, sex, serial=1)


def check(nik_value: str, *, kk: str | None = None, birth: date | None = BIRTH, sex: str | None = "P",
          village: str | None = VILLAGE):
    return check_identity(nik_value, kk if kk is not None else make_kk(VILLAGE), birth, sex, village)


def test_a_consistent_nik_and_kk_pass_without_notice(app_ctx):
    result = check(nik())
    assert result.ok and result.errors == {} and result.notices == []


@pytest.mark.parametrize("value, typed", [("327501540385", 12), ("32750154038500011", 17), ("", 0),
                                          ("32750154038500O1", 16)])
def test_nik_must_be_sixteen_digits(app_ctx, value, typed):
    result = check(value)
    assert result.errors["nik"] == [f"NIK harus 16 angka (tertulis {typed} karakter)."]


def test_spaces_around_the_nik_are_not_counted(app_ctx):
    assert check(f"  {nik()} ").ok


def test_nik_district_must_be_registered(app_ctx):
    value = UNKNOWN_DISTRICT + nik()[6:]
    result = check(value, village=None)
    assert result.errors["nik"] == [
        f"6 angka pertama NIK ({UNKNOWN_DISTRICT}) bukan kode kecamatan yang terdaftar di Kemendagri."]


@pytest.mark.parametrize("date_part", ["321385",   # day 32
                                       "721385",   # a woman's day 72 - 40 = 32
                                       "141385",   # month 13
                                       "300285",   # 30 February
                                       "000385"])  # day 0
def test_nik_birth_date_digits_must_make_a_date(app_ctx, date_part):
    value = nik()[:6] + date_part + "0001"
    result = check(value, birth=None, sex=None)
    assert result.errors["nik"] == [f"Angka tanggal lahir pada NIK ({date_part}) bukan tanggal yang sah."]
    assert nik_birth_date(value) == (None, None)


def test_nik_birth_date_must_match_the_typed_one(app_ctx):
    result = check(nik(), birth=date(1985, 3, 15))
    assert result.errors["nik"] == ["Tanggal lahir pada NIK (14-03-1985) tidak sama dengan tanggal lahir yang diisi."]


@pytest.mark.parametrize("encoded, typed", [("L", "P"), ("P", "L")])
def test_sex_must_match_the_nik(app_ctx, encoded, typed):
    result = check(nik(sex=encoded), sex=typed)
    assert result.errors == {
        "sex": ["Jenis kelamin tidak sesuai NIK: untuk perempuan, tanggal lahir pada NIK ditambah 40."]}


def test_sex_is_not_compared_when_none_was_chosen(app_ctx):
    assert check(nik(sex="L"), sex=None).ok and check(nik(sex="L"), sex="").ok


def test_nik_decodes_men_and_women(app_ctx):
    assert nik_birth_date(nik(sex="L")) == (BIRTH, "L")
    assert nik_birth_date(nik(sex="P")) == (BIRTH, "P")
    assert nik(sex="P")[6:8] == "54" and nik(sex="L")[6:8] == "14"


def test_the_typed_birth_date_decides_the_century(app_ctx):
    old = date(1905, 3, 14)
    value = nik(birth=old)
    assert check(value, birth=old).ok
    assert nik_birth_date(value, century_hint=old)[0] == old
    # without a hint, a two-digit year not after this year's is read as this century
    assert nik_birth_date(value)[0] == date(2005, 3, 14)


def test_nik_from_another_district_is_a_notice_not_an_error(app_ctx):
    result = check(nik(), village=OTHER_DISTRICT_VILLAGE)
    assert result.ok
    assert result.notices == [
        "NIK diterbitkan di kecamatan lain (32.75.01) dari alamat sekarang; pastikan alamat benar."]


def test_no_district_notice_when_the_nik_itself_is_wrong(app_ctx):
    result = check(nik()[:6] + "321385" + "0001", birth=None, village=OTHER_DISTRICT_VILLAGE)
    assert "nik" in result.errors and result.notices == []


@pytest.mark.parametrize("value, typed", [("3275019900", 10), ("327501990000010A", 16), ("", 0)])
def test_kk_must_be_sixteen_digits(app_ctx, value, typed):
    result = check(nik(), kk=value)
    assert result.errors == {"kk_number": [f"Nomor KK harus 16 angka (tertulis {typed} karakter)."]}


def test_kk_district_must_be_registered(app_ctx):
    result = check(nik(), kk=UNKNOWN_DISTRICT + "8800000001")
    assert result.errors == {
        "kk_number": [f"6 angka pertama Nomor KK ({UNKNOWN_DISTRICT}) bukan kode kecamatan yang terdaftar."]}


def test_all_problems_are_reported_at_once_per_field(app_ctx):
    result = check(UNKNOWN_DISTRICT + "321385" + "0001", kk="123", birth=None, sex="P")
    assert result.errors == {
        "nik": [f"6 angka pertama NIK ({UNKNOWN_DISTRICT}) bukan kode kecamatan yang terdaftar di Kemendagri.",
                "Angka tanggal lahir pada NIK (321385) bukan tanggal yang sah."],
        "kk_number": ["Nomor KK harus 16 angka (tertulis 3 karakter)."],
    }


def test_district_code_and_mask():
    assert district_code_of("3275015403850001") == "32.75.01"
    assert mask_nik("3275015403850001") == "327501••••••0001"
    # anything but 16 characters is masked whole: no part of a mistyped number is shown
    assert mask_nik("32750154038500") == "•" * 14
    assert mask_nik("") == ""
