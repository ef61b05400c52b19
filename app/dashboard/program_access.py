"""Programs households actually receive: access by level and district (Palembang Pasal 9
ayat (4) huruf b) and complementarity and overlap (huruf c).

Read from `program_rollups` (households per district and combination of what they receive,
kept by `app.dashboard.program_rollups`), mapped onto the region's catalogue as it is now:
a register flag counts as the active program with that `register_flag`, a participation as
its program. These figures are the state now, not counts over the period.
"""
from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import select

from app.dashboard.models import ProgramRollup
from app.extensions import db
from app.programs.models import Program
from app.programs.vocabulary import ProgramLevel


@dataclass(frozen=True, eq=False)  # one object per program: identity is equality (and hashing is cheap)
class CatalogueProgram:
    id: str
    code: str
    name: str
    level: str
    rank: int  # catalogue order

    @property
    def short(self) -> str:
        """The program's code as people write it (PBI_JK → PBI-JK), for narrow columns."""
        return self.code.replace("_", "-")


class Catalogue:
    """The region's active programs, and what each rollup item (`f:<flag>`, `p:<id>`) stands for."""

    def __init__(self):
        rows = db.session.execute(select(Program.id, Program.code, Program.name, Program.level, Program.register_flag)
                                  .where(Program.active.is_(True))
                                  .order_by(Program.sort_order, Program.name)).all()
        self.programs = [CatalogueProgram(str(pid), code, name, level, i)
                         for i, (pid, code, name, level, _flag) in enumerate(rows)]
        self.by_item: dict[str, CatalogueProgram] = {}
        for program, (*_rest, flag) in zip(self.programs, rows, strict=True):
            self.by_item[f"p:{program.id}"] = program
            if flag and flag.strip():
                self.by_item.setdefault(f"f:{flag.strip().lower()}", program)
        self._cache: dict[str, Shape] = {}

    def read(self, receipts: str) -> Shape:
        """What a household with these rollup items receives, in catalogue order (cached per combination)."""
        shape = self._cache.get(receipts)
        if shape is None:
            got: dict[CatalogueProgram, None] = {}
            flagged: set[CatalogueProgram] = set()
            recorded: set[CatalogueProgram] = set()
            for item in receipts.split(",") if receipts else ():
                program = self.by_item.get(item)
                if program is not None:
                    got[program] = None
                    (flagged if item.startswith("f:") else recorded).add(program)
            programs = tuple(sorted(got, key=lambda p: p.rank))
            shape = self._cache[receipts] = Shape(
                programs, frozenset(flagged), frozenset(recorded), frozenset(p.level for p in programs),
                tuple(itertools.combinations(programs, 2)), frozenset(programs) if len(programs) >= 2 else None)
        return shape


class Shape(NamedTuple):
    """One combination of rollup items, read against the catalogue."""

    programs: tuple[CatalogueProgram, ...]
    flagged: frozenset  # of them, flagged by the register extract
    recorded: frozenset  # of them, with an approved participation
    levels: frozenset
    pairs: tuple
    combo: frozenset | None  # two programs or more


@dataclass
class Receipts:
    """Every figure of program access and overlap for the region (or one district), now."""

    catalogue: Catalogue
    households: Counter = field(default_factory=Counter)  # district → households known
    registered: Counter = field(default_factory=Counter)  # district → of them in the register extract
    receiving: Counter = field(default_factory=Counter)  # district → receiving at least one program
    by_level: Counter = field(default_factory=Counter)  # (district, level) → receiving ≥ 1 of that level
    by_program: Counter = field(default_factory=Counter)  # program → households
    from_register: Counter = field(default_factory=Counter)  # program → households the extract flags
    from_participation: Counter = field(default_factory=Counter)  # program → with a recorded participation
    pairs: Counter = field(default_factory=Counter)  # (program, program) in catalogue order → households
    sizes: Counter = field(default_factory=Counter)  # number of programs (3 = three or more) → households
    combos: Counter = field(default_factory=Counter)  # frozenset of ≥ 2 programs → households

    @classmethod
    def read(cls, district: str = "") -> Receipts:
        """Fold the rollup rows of the current region (one district if given) onto the catalogue."""
        out = cls(Catalogue())
        stmt = select(ProgramRollup.district_code, ProgramRollup.in_register, ProgramRollup.receipts,
                      ProgramRollup.value).where(ProgramRollup.value != 0)
        if district:
            stmt = stmt.where(ProgramRollup.district_code == district)
        combinations: Counter = Counter()
        for place, registered, receipts, n in db.session.execute(stmt):
            out.add(place, registered, out.catalogue.read(receipts), n)
            combinations[receipts] += n
        for receipts, n in combinations.items():  # what needs no district, once per combination
            out.add_programs(out.catalogue.read(receipts), n)
        return out

    def add(self, place: str, registered: bool, shape: Shape, n: int) -> None:
        """Households of one district with one combination: the counts per district."""
        self.households[place] += n
        if registered:
            self.registered[place] += n
        if shape.programs:
            self.receiving[place] += n
            for level in shape.levels:
                self.by_level[(place, level)] += n

    def add_programs(self, shape: Shape, n: int) -> None:
        """Households with one combination: the counts per program, pair and combination."""
        self.sizes[min(len(shape.programs), 3)] += n
        for program in shape.programs:
            self.by_program[program] += n
        for program in shape.flagged:
            self.from_register[program] += n
        for program in shape.recorded:
            self.from_participation[program] += n
        for pair in shape.pairs:
            self.pairs[pair] += n
        if shape.combo is not None:
            self.combos[shape.combo] += n

    @cached_property
    def total(self) -> int:
        return sum(self.households.values())

    def share(self, n: int) -> float | None:
        return n / self.total if self.total else None

    def level_total(self, level: str) -> int:
        return sum(n for (_place, lvl), n in self.by_level.items() if lvl == level)

    def ranked_programs(self) -> list[CatalogueProgram]:
        """Programs with recipients, most recipients first (catalogue order between equals)."""
        return sorted(self.by_program, key=lambda p: (-self.by_program[p], p.rank))

    def totals(self) -> dict:
        """The figures other parts (headline, reports, tests) read, keyed by program code."""
        return {"households": self.total, "households_registered": sum(self.registered.values()),
                "households_receiving": sum(self.receiving.values()),
                "receiving_by_level": {level: self.level_total(level) for level in ProgramLevel},
                "receiving_3plus": self.sizes.get(3, 0),
                "recipients_by_program": {p.code: n for p, n in self.by_program.items()},
                "program_pairs": {(a.code, b.code): n for (a, b), n in self.pairs.items()}}
