"""Program coverage and overlap per region, for the comparison across regions and one region's
figures on the console.

Read from every region's `program_rollups` (households per combination of what they receive,
kept by `app.dashboard.program_rollups`) in two grouped statements whatever the number of
regions: the regions' active programs, and the rollups summed per (region, in the register,
combination). Each combination is read against its region's catalogue exactly as the region's
own dashboard reads it (`app.dashboard.program_access.Catalogue`: a participation item counts
as its program, a register flag as the first active program in catalogue order with that
flag), so the console and the region agree. Figures are the state now, not counts over a
period. Aggregates only: no household is named.
"""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.dashboard.models import ProgramRollup
from app.extensions import db
from app.programs.catalogue import national_programs
from app.programs.models import Program
from app.tenancy.context import ALL_TENANTS

_ALL = {ALL_TENANTS: True}


def national_program_codes() -> list[str]:
    """The national programs' codes in the order of `national.yaml`."""
    return [p["code"] for p in national_programs()]


def short_code(code: str) -> str:
    """A code as people write it (PBI_JK → PBI-JK), for narrow columns."""
    return code.replace("_", "-")


@dataclass
class ProgramFigures:
    """One region's (or the sum of several regions') households and what they receive, now."""

    known: int = 0  # households known: in the register extract, carried by a citizen, or receiving
    registered: int = 0  # of them, in the current register extract
    receiving: int = 0  # receiving at least one active program of the region's catalogue
    multi: int = 0  # receiving two programs or more
    by_code: Counter = field(default_factory=Counter)  # program code → households receiving it

    def share(self, n: int) -> float | None:
        """Share (0–1) of the known households, as the region's dashboard shows it; None without any."""
        return n / self.known if self.known else None

    def coverage(self, code: str) -> float | None:
        return self.share(self.by_code.get(code, 0))

    def add(self, other: ProgramFigures) -> None:
        self.known += other.known
        self.registered += other.registered
        self.receiving += other.receiving
        self.multi += other.multi
        self.by_code.update(other.by_code)


def _catalogues(tenant_ids: list[uuid.UUID] | None) -> dict[uuid.UUID, dict[str, str]]:
    """{region: {rollup item: program code}} from every region's active programs (one statement)."""
    stmt = (select(Program.tenant_id, Program.id, Program.code, Program.register_flag)
            .where(Program.active.is_(True))
            .order_by(Program.tenant_id, Program.sort_order, Program.name))
    if tenant_ids is not None:
        stmt = stmt.where(Program.tenant_id.in_(tenant_ids))
    out: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
    for tid, pid, code, flag in db.session.execute(stmt.execution_options(**_ALL)):
        items = out[tid]
        items[f"p:{pid}"] = code
        if flag and flag.strip():
            items.setdefault(f"f:{flag.strip().lower()}", code)
    return out


def program_figures(tenant_ids: Iterable[uuid.UUID] | None = None) -> dict[uuid.UUID, ProgramFigures]:
    """{region: its figures} for these regions (every region when None); regions without any
    known household get empty figures. Two statements, grouped by region."""
    ids = None if tenant_ids is None else sorted(set(tenant_ids), key=str)
    out: dict[uuid.UUID, ProgramFigures] = defaultdict(ProgramFigures)
    if ids == []:
        return out
    catalogues = _catalogues(ids)
    r = ProgramRollup
    stmt = (select(r.tenant_id, r.in_register, r.receipts, func.sum(r.value))
            .group_by(r.tenant_id, r.in_register, r.receipts))
    if ids is not None:
        stmt = stmt.where(r.tenant_id.in_(ids))
    cache: dict[tuple[uuid.UUID, str], frozenset[str]] = {}
    for tid, registered, receipts, total in db.session.execute(stmt.execution_options(**_ALL)):
        n = int(total or 0)
        if not n:
            continue
        key = (tid, receipts or "")
        codes = cache.get(key)
        if codes is None:
            items = catalogues.get(tid, {})
            codes = cache[key] = frozenset(items[i] for i in (receipts or "").split(",") if i in items)
        figures = out[tid]
        figures.known += n
        if registered:
            figures.registered += n
        if codes:
            figures.receiving += n
            for code in codes:
                figures.by_code[code] += n
        if len(codes) >= 2:
            figures.multi += n
    return out


def total_of(figures: Iterable[ProgramFigures]) -> ProgramFigures:
    total = ProgramFigures()
    for one in figures:
        total.add(one)
    return total
