"""Beneficiary criteria as data: checking them as typed, saying them in words, evaluating them.

A condition is `{"attribute", "op", "value", "legal_basis"}` (a ranking weight adds
`"points"`); a program's criteria hold when every condition holds. A member attribute
holds when some member satisfies it. A household attribute whose value is unknown (no
decile in the extract, no head marked) does not hold: the gap is "appears to qualify".
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.programs.attributes import ATTRIBUTES, MEMBER, OPERATORS, Attribute
from app.programs.criteria_words import describe, program_names_in_context
from app.programs.facts import HouseholdFacts, MemberFacts

CONDITION_KEYS = {"attribute", "op", "value", "legal_basis"}
WEIGHT_KEYS = CONDITION_KEYS | {"points"}
MAX_CONDITIONS = 30
MAX_POINTS = 1000
_VILLAGE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_DISTRICT = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_PROGRAM_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_]{0,39}$")


@dataclass
class ConditionResult:
    """One condition evaluated on one household: whether it holds, in words, and what was seen."""

    condition: dict
    met: bool
    label: str
    detail: str = ""


# ---------------------------------------------------------------- checking


def condition_problems(conditions: Any, *, weights: bool = False,
                       known_programs: set[str] | None = None) -> dict[int, dict[str, str]]:
    """index → {field: problem} for every condition that is not sound ({} when all are).

    Fields are `attribute`, `op`, `value`, `legal_basis`, `points` (and `row` for a row that
    is not a condition at all), so an editor can show each problem at its field.
    """
    if not isinstance(conditions, list):
        return {-1: {"row": _("Kriteria harus berupa daftar syarat.")}}
    problems: dict[int, dict[str, str]] = {}
    if len(conditions) > MAX_CONDITIONS:
        problems[MAX_CONDITIONS] = {"row": _("Paling banyak %(n)d syarat.", n=MAX_CONDITIONS)}
    programs = known_programs if known_programs is not None else _known_programs()
    for index, condition in enumerate(conditions[:MAX_CONDITIONS]):
        found = _problems_of(condition, weights, programs)
        if found:
            problems[index] = found
    return problems


def check_conditions(conditions: Any, *, known_programs: set[str] | None = None) -> dict[int, str]:
    """index → problem (Indonesian) for each unsound condition of a program's criteria; {} if fine."""
    return _flatten(condition_problems(conditions, known_programs=known_programs))


def check_ranking(weights: Any, *, known_programs: set[str] | None = None) -> dict[int, str]:
    """Like `check_conditions`, for ranking weights (each also needs whole `points`)."""
    return _flatten(condition_problems(weights, weights=True, known_programs=known_programs))


def _flatten(problems: dict[int, dict[str, str]]) -> dict[int, str]:
    return {index: " ".join(fields.values()) for index, fields in problems.items()}


def _problems_of(condition: Any, weights: bool, programs: set[str] | None) -> dict[str, str]:
    if not isinstance(condition, dict):
        return {"row": _("Syarat harus berisi atribut, operator, nilai dan dasar hukum.")}
    problems: dict[str, str] = {}
    unknown = set(condition) - (WEIGHT_KEYS if weights else CONDITION_KEYS)
    if unknown:
        problems["row"] = _("Kolom tidak dikenal: %(keys)s.", keys=", ".join(sorted(map(str, unknown))))
    attribute = ATTRIBUTES.get(condition.get("attribute"))  # type: ignore[arg-type]
    op = condition.get("op")
    if attribute is None:
        problems["attribute"] = _("Atribut tidak dikenal: %(name)s.", name=condition.get("attribute") or "—")
    elif op not in attribute.ops:
        allowed = ", ".join(str(OPERATORS[o]) for o in attribute.ops)
        problems["op"] = _("Operator tidak berlaku untuk atribut ini (pilih: %(ops)s).", ops=allowed)
    else:
        value_problem = _value_problem(attribute, op, condition.get("value"), programs)
        if value_problem:
            problems["value"] = value_problem
    basis = condition.get("legal_basis")
    if not isinstance(basis, str) or not basis.strip():
        problems["legal_basis"] = _("Dasar hukum wajib diisi.")
    elif len(basis) > 500:
        problems["legal_basis"] = _("Dasar hukum paling panjang 500 karakter.")
    if weights:
        points = condition.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or not -MAX_POINTS <= points <= MAX_POINTS \
                or points == 0:
            problems["points"] = _("Poin harus bilangan bulat bukan nol antara -%(n)d dan %(n)d.", n=MAX_POINTS)
    return problems


def _value_problem(attribute: Attribute, op: str, value: Any, programs: set[str] | None) -> str | None:
    if attribute.type == "int":
        return _int_problem(attribute, op, value)
    if attribute.type == "bool":
        return None if isinstance(value, bool) else _("Nilai harus ya atau tidak.")
    values = value if op in ("in", "not_in") else [value]
    if op in ("in", "not_in") and (not isinstance(value, list) or not value):
        return _("Pilih paling sedikit satu nilai.")
    if not all(isinstance(v, str) and v for v in values):
        return _("Nilai wajib diisi.")
    bad = [v for v in values if not _known_value(attribute, v, programs)]
    if bad:
        return _("Nilai tidak dikenal untuk %(attribute)s: %(values)s.", attribute=attribute.label,
                 values=", ".join(bad))
    return None


def _int_problem(attribute: Attribute, op: str, value: Any) -> str | None:
    numbers = value if op == "between" else [value]
    if op == "between" and (not isinstance(value, list) or len(value) != 2):
        return _("Isi dua angka: dari dan sampai (mis. 6-21).")
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        return _("Nilai harus bilangan bulat.")
    low = attribute.minimum if attribute.minimum is not None else -10**9
    high = attribute.maximum if attribute.maximum is not None else 10**9
    if not all(low <= n <= high for n in numbers):
        return _("Nilai harus antara %(low)d dan %(high)d.", low=low, high=high)
    if op == "between" and numbers[0] > numbers[1]:
        return _("Angka pertama tidak boleh lebih besar dari angka kedua.")
    return None


def _known_value(attribute: Attribute, value: str, programs: set[str] | None) -> bool:
    if attribute.type == "choice":
        return attribute.choices is not None and value in attribute.choices()
    if attribute.type == "program":
        return value in programs if programs is not None else bool(_PROGRAM_CODE.match(value))
    if attribute.type == "village":
        return bool(_VILLAGE.match(value)) and _in_region(value)
    if attribute.type == "district":
        return bool(_DISTRICT.match(value)) and _in_region(value)
    return False


def _in_region(code: str) -> bool:
    """Whether a village or district code lies in the region in context (any, outside a region)."""
    from app.tenancy.context import current_tenant_or_none

    tenant = current_tenant_or_none()
    if tenant is None:
        return True
    if not code.startswith(tenant.region_code + "."):
        return False
    from app.programs.catalogue import area_exists

    return area_exists(code)


def _known_programs() -> set[str] | None:
    """Catalogue codes of the region in context plus the national ones (None outside a region: any code)."""
    from app.programs.catalogue import known_program_codes

    return known_program_codes()


# ---------------------------------------------------------------- evaluating


def _predicate(op: str, value: Any) -> Callable[[Any], bool]:
    """The test of one operator and value on what was seen (None, unknown, never holds)."""
    if op in ("eq", "in", "ne", "not_in"):
        wanted = frozenset(value) if op in ("in", "not_in") else frozenset([value])
        positive = op in ("eq", "in")

        def choice(seen: Any) -> bool:
            if seen is None:
                return False
            if isinstance(seen, (set, frozenset)):  # multi-valued: programs received, a member's categories
                return positive != seen.isdisjoint(wanted)
            return (seen in wanted) == positive
        return choice
    if op == "between":
        low, high = value
        return lambda seen: seen is not None and low <= seen <= high
    compare = {"lt": lambda s: s < value, "le": lambda s: s <= value, "gt": lambda s: s > value,
               "ge": lambda s: s >= value}[op]
    return lambda seen: seen is not None and compare(seen)


def holds(attribute: Attribute, op: str, value: Any, seen: Any) -> bool:
    """Whether `seen` (an attribute's value) satisfies the operator and value."""
    try:
        return _predicate(op, value)(seen)
    except (TypeError, ValueError, KeyError):  # a stored value of the wrong shape holds for no one
        return False


@dataclass(frozen=True)
class _Compiled:
    attribute: Attribute
    test: Callable[[Any], bool]

    def household(self, facts: HouseholdFacts) -> bool:
        try:
            if self.attribute.level == MEMBER:
                read, test = self.attribute.read, self.test
                return any(test(read(m)) for m in facts.members)
            return self.test(self.attribute.read(facts))
        except (TypeError, ValueError):
            return False

    def member(self, member: MemberFacts) -> bool:
        try:
            return self.attribute.level != MEMBER or self.test(self.attribute.read(member))
        except (TypeError, ValueError):
            return False


class Criteria:
    """Conditions prepared once for evaluating many households (a condition that is not sound holds for no one)."""

    def __init__(self, conditions: list[dict] | None) -> None:
        self.compiled: list[_Compiled] = []
        self.sound = bool(conditions)
        for condition in conditions or []:
            attribute = ATTRIBUTES.get(condition.get("attribute", "")) if isinstance(condition, dict) else None
            op = condition.get("op", "") if isinstance(condition, dict) else ""
            try:
                if attribute is None or op not in attribute.ops:
                    raise ValueError(op)
                self.compiled.append(_Compiled(attribute, _predicate(op, condition.get("value"))))
            except (TypeError, ValueError, KeyError):
                self.sound = False

    def qualifies(self, facts: HouseholdFacts) -> bool:
        """Every condition holds (no conditions, or an unsound one: nobody qualifies)."""
        return self.sound and all(c.household(facts) for c in self.compiled)

    def member_meets(self, member: MemberFacts) -> bool:
        """The member satisfies every member-level condition."""
        return all(c.member(member) for c in self.compiled)


def member_meets(conditions: list[dict], member: MemberFacts) -> bool:
    """Whether one member satisfies every member-level condition (household conditions are skipped)."""
    return Criteria(conditions).member_meets(member)


def condition_met(condition: dict, facts: HouseholdFacts) -> bool:
    """Whether one condition holds for the household (member attributes: for some member)."""
    return _evaluate_one(condition, facts, with_detail=False)[0]


def _evaluate_one(condition: dict, facts: HouseholdFacts, with_detail: bool = True) -> tuple[bool, str]:
    attribute = ATTRIBUTES.get(condition.get("attribute", ""))
    op, value = condition.get("op", ""), condition.get("value")
    if attribute is None or op not in attribute.ops:
        return False, ""
    if not with_detail:
        return Criteria([condition]).qualifies(facts), ""
    try:
        if attribute.level == MEMBER:
            who = [m for m in facts.members if holds(attribute, op, value, attribute.read(m))]
            detail = ", ".join(m.name for m in who[:3]) + (" …" if len(who) > 3 else "") if with_detail else ""
            return bool(who), detail
        seen = attribute.read(facts)
        return holds(attribute, op, value, seen), _seen_words(attribute, seen) if with_detail else ""
    except (TypeError, IndexError):  # a stored value of the wrong shape holds for no one
        return False, ""


def _seen_words(attribute: Attribute, seen: Any) -> str:
    if seen is None:
        return _("tidak diketahui")
    if isinstance(seen, bool):
        return _("ya") if seen else _("tidak")
    if isinstance(seen, set):
        return ", ".join(sorted(seen)) or _("tidak ada")
    if attribute.choices:
        return str(attribute.choices().get(seen, seen))
    return str(seen)


def evaluate(conditions: list[dict], facts: HouseholdFacts, names: dict[str, str] | None = None
             ) -> list[ConditionResult]:
    """Each condition with whether it holds for the household, in words, and what was seen."""
    names = names if names is not None else (program_names_in_context() if any(
        c.get("attribute") == "receives" for c in conditions) else {})
    results = []
    for condition in conditions:
        met, detail = _evaluate_one(condition, facts)
        results.append(ConditionResult(condition=condition, met=met, label=describe(condition, names), detail=detail))
    return results


def qualifies(conditions: list[dict], facts: HouseholdFacts) -> bool:
    """Whether every condition holds (a program with no criteria: nobody qualifies by data)."""
    return Criteria(conditions).qualifies(facts)
