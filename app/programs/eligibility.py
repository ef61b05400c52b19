"""Eligibility gaps: catalogue programs a household appears to qualify for but does not receive.

"Appears to": the criteria are what the register and the region's records can show; a gap is
a lead for the front office to check with the citizen and refer, not a decision. A program
received per person (`member_level`, e.g. PIP) is a gap while some member who meets its
member conditions does not receive it, even if a brother does.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from app.programs.catalogue import active_programs, program_names
from app.programs.criteria import ConditionResult, Criteria, evaluate
from app.programs.facts import HouseholdFacts, MemberFacts
from app.programs.models import Program


@dataclass
class Gap:
    """A program the household appears to qualify for and does not receive.

    Unpacks as `(program, results)`; `members` are, for a program received per person, the
    members who meet its member conditions and do not receive it.
    """

    program: Program
    results: list[ConditionResult]
    members: list[MemberFacts] = field(default_factory=list)

    def __iter__(self):
        return iter((self.program, self.results))


class _Prepared:
    """A program with its criteria compiled once, for many households."""

    __slots__ = ("code", "criteria", "member_level", "program")

    def __init__(self, program: Program) -> None:
        self.program, self.code, self.member_level = program, program.code, bool(program.member_level)
        self.criteria = Criteria(program.criteria or [])


def _prepare(programs: list[Program]) -> list[_Prepared]:
    return [_Prepared(p) for p in programs]


def lacking_members(program: Program, facts: HouseholdFacts) -> list[MemberFacts]:
    """Members who meet the program's member conditions and do not receive it (member-level programs)."""
    return _lacking(_Prepared(program), facts)


def _lacking(prepared: _Prepared, facts: HouseholdFacts) -> list[MemberFacts]:
    code = prepared.code
    if code in facts.programs and not any(code in m.programs for m in facts.members):
        return []  # received by the household as a whole (a household flag or participation)
    return [m for m in facts.members if code not in m.programs and prepared.criteria.member_meets(m)]


def _gap(prepared: _Prepared, facts: HouseholdFacts) -> list[MemberFacts] | None:
    """None when no gap; else the lacking members ([] for a household program)."""
    if not prepared.member_level and prepared.code in facts.programs:
        return None
    if not prepared.criteria.qualifies(facts):
        return None
    if prepared.member_level:
        return _lacking(prepared, facts) or None
    return []


def gaps(facts: HouseholdFacts, programs: list[Program] | None = None,
         names: dict[str, str] | None = None) -> list[Gap]:
    """Active catalogue programs the household appears to qualify for but does not receive, in catalogue order."""
    found = []
    for prepared in _prepare(active_programs() if programs is None else programs):
        lacking = _gap(prepared, facts)
        if lacking is None:
            continue
        if names is None:
            names = program_names()
        found.append(Gap(prepared.program, evaluate(prepared.program.criteria or [], facts, names), lacking))
    return found


def gap_counts(households: Iterable[HouseholdFacts], programs: list[Program] | None = None
               ) -> Iterator[tuple[str, list[str]]]:
    """(kk number, codes of its gaps) for each household: the bulk form, without words (benchmarks, reports)."""
    prepared = _prepare(active_programs() if programs is None else programs)
    for facts in households:
        yield facts.kk_number, [p.code for p in prepared if _gap(p, facts) is not None]
