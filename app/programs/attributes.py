"""The attributes a program's criteria may name, what each means, and the operators each takes.

A household attribute is read from the household; a member attribute ("some member …")
holds when at least one member satisfies the condition. `ATTRIBUTES` is the whole
vocabulary: a criterion naming anything else is refused (`app.programs.criteria`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from app.citizens.vocabulary import Disability, Education, HousingCondition, Relationship
from app.programs.facts import HouseholdFacts, MemberFacts

HOUSEHOLD = "household"
MEMBER = "member"

ELDERLY_AGE = 60
SCHOOL_AGE = (6, 21)

#: Operators: code → label in a sentence ("Desil kesejahteraan paling tinggi 4").
OPERATORS: dict[str, Any] = {
    "eq": _l("sama dengan"),
    "ne": _l("bukan"),
    "lt": _l("kurang dari"),
    "le": _l("paling tinggi"),
    "gt": _l("lebih dari"),
    "ge": _l("paling rendah"),
    "between": _l("antara"),
    "in": _l("salah satu dari"),
    "not_in": _l("bukan salah satu dari"),
}

NUMBER_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "between")
CHOICE_OPS = ("eq", "ne", "in", "not_in")
MEMBER_NUMBER_OPS = ("eq", "lt", "le", "gt", "ge", "between")  # "some member is not 5" says nothing useful
MEMBER_CHOICE_OPS = ("eq", "in")


def _is_disabled(member: MemberFacts) -> bool:
    return member.disability not in ("", Disability.NONE)


def _between(age: int | None, low: int, high: int | None = None) -> bool:
    return age is not None and age >= low and (high is None or age <= high)


#: Member categories (for `member_category`): code → (label, test).
CATEGORIES: dict[str, tuple[Any, Callable[[MemberFacts], bool]]] = {
    "pregnant": (_l("Ibu hamil"), lambda m: m.pregnant),
    "under_five": (_l("Balita (di bawah 5 tahun)"), lambda m: m.age is not None and m.age < 5),
    "early_childhood": (_l("Anak usia dini (di bawah 6 tahun)"), lambda m: m.age is not None and m.age < 6),
    "school_age": (_l("Anak usia sekolah (6–21 tahun)"), lambda m: _between(m.age, *SCHOOL_AGE)),
    "elderly": (_l("Lanjut usia (60 tahun ke atas)"), lambda m: _between(m.age, ELDERLY_AGE)),
    "disabled": (_l("Penyandang disabilitas"), _is_disabled),
}


def member_categories(member: MemberFacts) -> frozenset[str]:
    """The member's categories (computed once per member: many criteria ask)."""
    found = member.__dict__.get("_categories")
    if found is None:
        found = member.__dict__["_categories"] = frozenset(code for code, (_, test) in CATEGORIES.items()
                                                           if test(member))
    return found


def _sexes() -> dict[str, Any]:
    return {"L": _l("Laki-laki"), "P": _l("Perempuan")}


def _village_kinds() -> dict[str, Any]:
    return {"desa": _l("Desa"), "kelurahan": _l("Kelurahan")}


def _village_kind(facts: HouseholdFacts) -> str | None:
    """Kemendagri numbers kelurahan 1xxx and desa 2xxx within a district."""
    last = facts.village_code.rsplit(".", 1)[-1] if facts.village_code else ""
    return {"1": "kelurahan", "2": "desa"}.get(last[:1]) if len(last) == 4 else None


def _categories() -> dict[str, Any]:
    return {code: label for code, (label, _) in CATEGORIES.items()}


@dataclass(frozen=True)
class Attribute:
    """One attribute: its label, household or member level, value type and allowed operators.

    `type` is one of: int, bool, choice (a closed list: `choices()`), program (a catalogue
    code), village, district (Kemendagri codes of the region). `read` takes the household
    (household level) or a member (member level).
    """

    name: str
    label: Any
    level: str
    type: str
    ops: tuple[str, ...]
    read: Callable[[Any], Any]
    choices: Callable[[], dict[str, Any]] | None = None
    minimum: int | None = None
    maximum: int | None = None


def _head_age(facts: HouseholdFacts) -> int | None:
    head = facts.head
    return head.age if head else None


def _head_sex(facts: HouseholdFacts) -> str | None:
    head = facts.head
    return head.sex or None if head else None


def _elderly_head(facts: HouseholdFacts) -> bool | None:
    age = _head_age(facts)
    return None if age is None else age >= ELDERLY_AGE


def _attributes() -> dict[str, Attribute]:
    rows = [
        Attribute("decile", _l("Desil kesejahteraan"), HOUSEHOLD, "int", NUMBER_OPS, lambda f: f.decile, None, 1, 10),
        Attribute("in_register", _l("Terdaftar di DTKS"), HOUSEHOLD, "bool", ("eq",), lambda f: f.in_register),
        Attribute("housing", _l("Kondisi rumah"), HOUSEHOLD, "choice", CHOICE_OPS, lambda f: f.housing or None,
                  HousingCondition.labels),
        Attribute("member_count", _l("Jumlah anggota keluarga"), HOUSEHOLD, "int", NUMBER_OPS,
                  lambda f: len(f.members), None, 1, 50),
        Attribute("head_age", _l("Umur kepala keluarga"), HOUSEHOLD, "int", NUMBER_OPS, _head_age, None, 0, 130),
        Attribute("head_sex", _l("Jenis kelamin kepala keluarga"), HOUSEHOLD, "choice", ("eq", "ne"), _head_sex,
                  _sexes),
        Attribute("elderly_head", _l("Kepala keluarga lanjut usia (60 tahun ke atas)"), HOUSEHOLD, "bool", ("eq",),
                  _elderly_head),
        Attribute("receives", _l("Menerima program"), HOUSEHOLD, "program", CHOICE_OPS, lambda f: f.programs),
        Attribute("village", _l("Desa/kelurahan"), HOUSEHOLD, "village", CHOICE_OPS, lambda f: f.village_code or None),
        Attribute("village_kind", _l("Jenis desa/kelurahan"), HOUSEHOLD, "choice", ("eq",), _village_kind,
                  _village_kinds),
        Attribute("district", _l("Kecamatan"), HOUSEHOLD, "district", CHOICE_OPS, lambda f: f.district_code or None),
        Attribute("member_category", _l("Ada anggota keluarga"), MEMBER, "choice", MEMBER_CHOICE_OPS,
                  member_categories, _categories),
        Attribute("member_age", _l("Ada anggota berumur"), MEMBER, "int", MEMBER_NUMBER_OPS, lambda m: m.age,
                  None, 0, 130),
        Attribute("member_disability", _l("Ada anggota dengan disabilitas"), MEMBER, "choice", MEMBER_CHOICE_OPS,
                  lambda m: m.disability if _is_disabled(m) else None,
                  lambda: {k: v for k, v in Disability.labels().items() if k != Disability.NONE}),
        Attribute("member_pregnant", _l("Ada anggota yang hamil"), MEMBER, "bool", ("eq",), lambda m: m.pregnant),
        Attribute("member_education", _l("Ada anggota berpendidikan"), MEMBER, "choice", MEMBER_CHOICE_OPS,
                  lambda m: m.education or None, Education.labels),
        Attribute("member_sex", _l("Ada anggota berjenis kelamin"), MEMBER, "choice", ("eq",), lambda m: m.sex or None,
                  _sexes),
        Attribute("member_relation", _l("Ada anggota dengan hubungan keluarga"), MEMBER, "choice", MEMBER_CHOICE_OPS,
                  lambda m: m.relation_to_head or None, Relationship.labels),
    ]
    return {a.name: a for a in rows}


#: name → Attribute, in the order the editor offers them.
ATTRIBUTES: dict[str, Attribute] = _attributes()


def attribute_choices() -> list[tuple[str, str]]:
    """(name, label) for the editor's attribute select."""
    return [(a.name, str(a.label)) for a in ATTRIBUTES.values()]


def operator_choices() -> list[tuple[str, str]]:
    """(code, label) for the editor's operator select."""
    return [(code, str(label)) for code, label in OPERATORS.items()]
