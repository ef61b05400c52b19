"""The column layout of the register extract and how one row's cells become a household and a member.

One row per member; the household columns are repeated on each member's row (see
docs/register-extract-format.md). Indonesian values are mapped to the codes of
`app.citizens.vocabulary`; a value that cannot be mapped is a problem of that row and column.
The old five-column files (nik, no_kk, nama, kode_wilayah, alamat) are this layout with the
other columns left out.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date

from flask_babel import gettext as _

from app.citizens.extract_values import (
    DISABILITIES,
    EDUCATION,
    HOUSING,
    PROGRAM_FLAGS,
    PROGRAM_NAMES,
    RELATIONSHIPS,
    SEXES,
    RowProblems,
    digits_problem,
    mapped,
    parse_birth_date,
    parse_decile,
    parse_pregnant,
    parse_programs,
)

__all__ = ["COLUMNS", "DECILE_KEYS", "LEGACY_COLUMNS", "PROGRAM_FLAGS", "PROGRAM_NAMES", "REQUIRED_COLUMNS",
           "RowProblems", "RowReader", "normalise_header", "parse_programs"]
_SPACES = re.compile(r"[\s_\-.]+")
DECILE_KEYS = (*(str(n) for n in range(1, 11)), "-")

REQUIRED_COLUMNS = ("nik", "no_kk", "nama")
#: Repeated on every member's row; must agree between the rows of one KK.
HOUSEHOLD_COLUMNS = ("no_kk", "kode_wilayah", "alamat", "desil", "kondisi_rumah", "program_keluarga")
MEMBER_COLUMNS = ("nik", "nama", "hubungan", "jenis_kelamin", "tanggal_lahir", "pendidikan", "pekerjaan",
                  "disabilitas", "hamil", "program_anggota")
COLUMNS = HOUSEHOLD_COLUMNS + MEMBER_COLUMNS
LEGACY_COLUMNS = ("nik", "no_kk", "nama", "kode_wilayah", "alamat")
#: The household columns compared between the rows of one KK (no_kk is the key itself).
AGREEING = HOUSEHOLD_COLUMNS[1:]
NAME_MAX, OCCUPATION_MAX, ADDRESS_MAX = 200, 100, 500


def normalise_header(name: str) -> str:
    """`No KK` → `no_kk`, `Kode-Wilayah` → `kode_wilayah` (a BOM or spaces around it dropped)."""
    return _SPACES.sub("_", name.replace("\ufeff", "").strip().lower()).strip("_")


def digest(*values) -> str:
    """A 32-character digest of the values, to tell "changed" from "same" between imports in SQL."""
    return hashlib.md5("\x1f".join("" if v is None else str(v) for v in values).encode(),
                       usedforsecurity=False).hexdigest()


CACHE_LIMIT = 100_000  # distinct values remembered per kind (they repeat a lot: "Anak", "SD", "PKH")
_MEMBER_DIGEST = ("birth_date", "disability", "education", "kk_number", "name", "nik", "occupation", "pregnant",
                  "programs", "relation_to_head", "sex")


def _clean(value):
    """A cell as text, stripped ("-" is empty); whole numbers as digits; dates kept as dates."""
    if value.__class__ is str:
        value = value.strip()
        return "" if value == "-" else value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, date) else str(value)


def _household_codes(decile: str, housing: str, programs: str) -> tuple[tuple, list]:
    own = RowProblems()
    codes = (parse_decile(decile, own), mapped(housing, HOUSING, "kondisi_rumah", own),
             parse_programs(programs, "program_keluarga", own))
    return codes, list(own)


def _member_codes(relation: str, sex: str, education: str, disability: str, pregnant: str,
                  programs: str) -> tuple[tuple, list]:
    own = RowProblems()
    relation_code = mapped(relation, RELATIONSHIPS, "hubungan", own)
    sex_code = mapped(sex, SEXES, "jenis_kelamin", own)
    education_code = mapped(education, EDUCATION, "pendidikan", own)
    disability_code = mapped(disability, DISABILITIES, "disabilitas", own)
    is_pregnant = parse_pregnant(pregnant, own)
    if is_pregnant and sex_code == "L":
        own.add("hamil", _("anggota laki-laki tidak dapat ditandai hamil"))
    codes = (relation_code, sex_code, education_code, disability_code, is_pregnant,
             parse_programs(programs, "program_anggota", own))
    return codes, list(own)


class RowReader:
    """Turns one row's cells into (household, member) dicts, listing each problem by column.

    `villages` are the region's village codes, `districts` every district code (a NIK's first
    six digits must name one). Coded values are worked out once per distinct combination.
    """

    def __init__(self, header: list[str], region_code: str, villages: set[str], districts: set[str]):
        self.indexes = [header.index(name) if name in header else -1 for name in COLUMNS]
        self.width = max(self.indexes) + 1
        self.region_code, self.villages, self.districts = region_code, villages, districts
        self.today = date.today()
        self._caches: dict[str, dict] = {"household": {}, "member": {}, "birth": {}}

    def _cached(self, kind: str, key, work, problems: RowProblems):
        cache = self._caches[kind]
        found = cache.get(key)
        if found is None:
            found = work(*key)
            if len(cache) < CACHE_LIMIT:
                cache[key] = found
        if found[1]:
            problems.extend(found[1])
        return found[0]

    def _birth(self, value) -> tuple[date | None, list]:
        own = RowProblems()
        return parse_birth_date(value, own, self.today), list(own)

    def read(self, cells: list, problems: RowProblems) -> tuple[dict, dict]:
        if len(cells) < self.width:
            cells = [*cells, *([""] * (self.width - len(cells)))]
        (kk, village, address, decile, housing, household_programs, nik, name, relation, sex, birth, education,
         occupation, disability, pregnant, member_programs) = [
            _clean(cells[i]) if i >= 0 else "" for i in self.indexes]
        kk, nik, name, village, address, occupation = (str(kk), str(nik), str(name), str(village), str(address),
                                                       str(occupation))
        self._identity(kk, nik, name, problems)
        self._place(village, address, problems)
        decile_code, housing_code, programs = self._cached(
            "household", (str(decile), str(housing), str(household_programs)), _household_codes, problems)
        household = {"kk_number": kk, "village_code": village or None, "address": address, "decile": decile_code,
                     "housing": housing_code, "programs": programs,
                     "digest": digest(village or None, address, decile_code, housing_code, programs)}
        codes = self._cached("member", (str(relation), str(sex), str(education), str(disability), str(pregnant),
                                        str(member_programs)), _member_codes, problems)
        born = self._cached("birth", (birth,), self._birth, problems) if birth != "" else None
        if len(occupation) > OCCUPATION_MAX:
            problems.add("pekerjaan", _("terlalu panjang (paling banyak %(n)s karakter)", n=OCCUPATION_MAX))
        member = {"nik": nik, "kk_number": kk, "name": name, "village_code": household["village_code"],
                  "address": address, "relation_to_head": codes[0], "sex": codes[1], "birth_date": born,
                  "education": codes[2], "occupation": occupation[:OCCUPATION_MAX], "disability": codes[3],
                  "pregnant": codes[4], "programs": codes[5]}
        member["digest"] = digest(*(member[key] for key in _MEMBER_DIGEST))
        return household, member

    def _identity(self, kk: str, nik: str, name: str, problems: RowProblems) -> None:
        if message := digits_problem(nik, "NIK"):
            problems.add("nik", message)
        elif f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}" not in self.districts:
            problems.add("nik", _("6 angka pertama NIK (%(c)s) bukan kode kecamatan yang terdaftar di Kemendagri",
                                  c=nik[:6]))
        if not (len(kk) == 16 and kk.isdigit()):
            problems.add("no_kk", digits_problem(kk, _("Nomor KK")) or "")
        if not name:
            problems.add("nama", _("wajib diisi"))
        elif len(name) > NAME_MAX:
            problems.add("nama", _("terlalu panjang (paling banyak %(n)s karakter)", n=NAME_MAX))

    def _place(self, village: str, address: str, problems: RowProblems) -> None:
        if village and village not in self.villages:
            if not village.startswith(self.region_code + "."):
                problems.add("kode_wilayah", _("%(code)s bukan kelurahan/desa di daerah ini (kode daerah %(region)s)",
                                               code=village, region=self.region_code))
            else:
                problems.add("kode_wilayah", _("%(code)s tidak ada dalam daftar kelurahan/desa Kemendagri",
                                               code=village))
        if len(address) > ADDRESS_MAX:
            problems.add("alamat", _("terlalu panjang (paling banyak %(n)s karakter)", n=ADDRESS_MAX))
