"""The values the register extract holds and the codes they become: relationship, sex, schooling,
disability, pregnancy, housing, decile, birth date and program flags (see docs/register-extract-format.md).

Each `parse_*` reads one cell, adding a (column, message) problem when it cannot.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _

from app.citizens.vocabulary import Disability, Education, HousingCondition, Relationship

PROGRAMS_MAX = 200

#: The national programs' codes in the program columns, with the names extracts use for them.
PROGRAM_FLAGS: dict[str, tuple[str, ...]] = {
    "pkh": ("pkh", "program keluarga harapan"),
    "bpnt": ("bpnt", "sembako", "program sembako", "bansos sembako", "kartu sembako", "bpnt sembako"),
    "pbi_jk": ("pbi", "pbi jk", "pbi jkn", "pbijk", "kis", "kis pbi", "jkn pbi"),
    "pip": ("pip", "kip", "kartu indonesia pintar", "program indonesia pintar"),
    "rs_rtlh": ("rs rtlh", "rsrtlh", "rtlh", "bsps", "bedah rumah"),
    "blt_dd": ("blt dd", "bltdd", "blt dana desa", "blt desa"),
    "atensi": ("atensi",),
}
#: How the preview names each known flag (other codes are shown as they are).
PROGRAM_NAMES = {"pkh": "PKH", "bpnt": "BPNT/Sembako", "pbi_jk": "PBI-JK", "pip": "PIP/KIP", "rs_rtlh": "RS-RTLH",
                 "blt_dd": "BLT Dana Desa", "atensi": "ATENSI"}
_SPACES = re.compile(r"[\s_\-.]+")


def _norm(value: str) -> str:
    return _SPACES.sub(" ", value.strip().lower()).strip()


def _table(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_norm(alias): str(code) for code, aliases in pairs.items() for alias in (code, *aliases)}


RELATIONSHIPS = _table({
    Relationship.HEAD: ("1", "kepala keluarga", "kepala rumah tangga", "kepala", "krt"),
    Relationship.SPOUSE: ("2", "istri", "suami", "istri/suami", "suami/istri", "pasangan"),
    Relationship.CHILD: ("3", "anak", "anak kandung", "anak tiri", "anak angkat"),
    Relationship.CHILD_IN_LAW: ("4", "menantu", "child in law"),
    Relationship.GRANDCHILD: ("5", "cucu"),
    Relationship.PARENT: ("6", "orang tua", "orangtua", "mertua", "orang tua/mertua", "ayah", "ibu"),
    Relationship.OTHER: ("7", "8", "famili lain", "lainnya", "lain lain", "pembantu", "pembantu rumah tangga"),
})
SEXES = _table({"L": ("l", "1", "laki laki", "laki", "pria"), "P": ("p", "2", "perempuan", "wanita")})
EDUCATION = _table({
    Education.NONE: ("0", "tidak/belum sekolah", "tidak sekolah", "belum sekolah", "tidak pernah sekolah",
                     "tidak tamat sd", "belum tamat sd", "paud", "tk"),
    Education.SD: ("sd", "sd/sederajat", "mi", "sdlb", "paket a", "sekolah dasar", "tamat sd"),
    Education.SMP: ("smp", "smp/sederajat", "mts", "smplb", "paket b", "sltp"),
    Education.SMA: ("sma", "sma/sederajat", "smk", "ma", "smalb", "paket c", "slta", "sma/smk"),
    Education.HIGHER: ("diploma", "d1", "d2", "d3", "d4", "d i", "d ii", "d iii", "d iv", "s1", "s2", "s3",
                       "sarjana", "perguruan tinggi", "diploma/perguruan tinggi", "pt"),
})
DISABILITIES = _table({
    Disability.NONE: ("tidak", "tidak ada", "bukan", "tidak cacat", "0"),
    Disability.PHYSICAL: ("fisik", "disabilitas fisik", "tuna daksa", "tunadaksa", "cacat fisik", "daksa"),
    Disability.SENSORY: ("sensorik", "disabilitas sensorik", "netra", "tuna netra", "tunanetra", "rungu",
                         "tuna rungu", "tunarungu", "wicara", "tuna wicara", "tunawicara", "rungu wicara"),
    Disability.INTELLECTUAL: ("intelektual", "disabilitas intelektual", "grahita", "tuna grahita", "tunagrahita"),
    Disability.MENTAL: ("mental", "disabilitas mental", "jiwa", "gangguan jiwa", "psikososial"),
    Disability.MULTIPLE: ("ganda", "disabilitas ganda", "multi"),
})
HOUSING = _table({
    HousingCondition.DECENT: ("layak", "layak huni", "rumah layak huni"),
    HousingCondition.INADEQUATE: ("tidak layak", "tidak layak huni", "rtlh", "rumah tidak layak huni"),
    HousingCondition.SEVERELY_DAMAGED: ("rusak berat", "rusak"),
})
YES = {"ya", "y", "1", "hamil", "sedang hamil", "true"}
NO = {"tidak", "t", "0", "tidak hamil", "bukan", "false", "n"}
PROGRAMS = _table(PROGRAM_FLAGS)
_NOT_CODE = re.compile(r"[^a-z0-9]+")
_SPLIT_PROGRAMS = re.compile(r"[,;|/+]")


class RowProblems(list):
    """(column, message) pairs of one row."""

    def add(self, column: str, message: str) -> None:
        self.append((column, message))


def mapped(value: str, table: dict[str, str], column: str, problems: RowProblems) -> str:
    if not value:
        return ""
    code = table.get(_norm(value))
    if code is None:
        problems.add(column, _("nilai \u201c%(v)s\u201d tidak dikenal", v=value[:40]))
        return ""
    return code


def digits_problem(value: str, label: str) -> str | None:
    if len(value) == 16 and value.isdigit():
        return None
    return _("%(label)s harus 16 angka (tertulis %(n)s karakter: \u201c%(v)s\u201d)", label=label, n=len(value),
             v=value[:20])


def parse_programs(value: str, column: str, problems: RowProblems) -> str:
    """`PKH, BPNT/Sembako` → `bpnt,pkh`: known names mapped, other names kept as codes, sorted, unique."""
    codes = set()
    for token in _SPLIT_PROGRAMS.split(value):
        token = _norm(token)
        if not token or token == "-":
            continue
        code = PROGRAMS.get(token) or _NOT_CODE.sub("_", token).strip("_")[:30]
        if code:
            codes.add(code)
    joined = ",".join(sorted(codes))
    if len(joined) > PROGRAMS_MAX:
        problems.add(column, _("terlalu banyak program (paling banyak %(n)s karakter)", n=PROGRAMS_MAX))
        return ""
    return joined


def parse_decile(value, problems: RowProblems) -> int | None:
    if value in ("", None):
        return None
    try:
        number = float(value if isinstance(value, (int, float)) else
                       str(value).strip().lower().removeprefix("desil").strip().replace(",", "."))
    except ValueError:
        number = 0.5
    if number.is_integer() and 1 <= number <= 10:
        return int(number)
    problems.add("desil", _("harus angka 1 sampai 10 (tertulis \u201c%(v)s\u201d)", v=str(value)[:20]))
    return None


_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def _date_of(text: str) -> date | None:
    if found := _DAY_FIRST.match(text):
        day, month, year = found.groups()
    elif found := _YEAR_FIRST.match(text):
        year, month, day = found.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_birth_date(value, problems: RowProblems, today: date) -> date | None:
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        found: date | None = value.date()
    elif isinstance(value, date):
        found = value
    else:
        text = str(value).strip()
        found = _date_of(text[:10] if len(text) > 10 and text[4:5] == "-" else text)
    if found is None:
        problems.add("tanggal_lahir", _("tanggal tidak dikenali (tulis HH-BB-TTTT atau TTTT-BB-HH): \u201c%(v)s\u201d",
                                        v=str(value)[:20]))
    elif not date(1900, 1, 1) <= found <= today:
        problems.add("tanggal_lahir", _("tanggal %(d)s tidak mungkin", d=found.isoformat()))
        found = None
    return found


def parse_pregnant(value: str, problems: RowProblems) -> bool:
    text = _norm(value)
    if text and text not in YES and text not in NO:
        problems.add("hamil", _("tulis \u201cya\u201d atau \u201ctidak\u201d (tertulis \u201c%(v)s\u201d)",
                                v=text[:20]))
    return text in YES
