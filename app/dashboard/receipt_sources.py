"""What households receive, read from the raw tables: the current register extract's program
flags (household and member), approved participation not ended, and the citizens who make a
household known. Plain Core statements with an explicit region filter: this runs inside
flushes (`app.dashboard.program_rollups`), where the ORM's per-statement work is not wanted.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import func, select

from app.citizens.models import Citizen, RegisterEntry, RegisterHousehold, RegisterImport
from app.citizens.vocabulary import ImportStatus
from app.programs.models import Participation
from app.reviews.vocabulary import ReviewStatus


class Household(NamedTuple):
    """What one household contributes: its place and what it receives."""

    district_code: str
    in_register: bool
    receipts: str  # sorted, comma-separated items ("f:pkh,p:<uuid>"), "" = nothing


@lru_cache(maxsize=4096)
def flag_items(flags: str) -> frozenset[str]:
    """`f:<flag>` items of a comma-separated flag column (case and spaces ignored)."""
    return frozenset(f"f:{flag.strip().lower()}" for flag in (flags or "").split(",") if flag.strip())


def combo_key(receipts: str) -> str:
    return hashlib.md5(receipts.encode(), usedforsecurity=False).hexdigest()


def district_of(village_code: str | None) -> str:
    return village_code.rsplit(".", 1)[0] if village_code else ""


def current_import(connection, tenant_id):
    """The region's current register import id (Core, explicit region: runs inside flushes)."""
    t = RegisterImport.__table__.c
    return connection.execute(
        select(t.id).where(t.tenant_id == tenant_id, t.status == ImportStatus.CURRENT)
        .order_by(t.imported_at.desc()).limit(1)).scalar()


class _Collected:
    """The raw facts of some households, folded into `Household`s."""

    def __init__(self):
        self.place: dict[str, tuple[int, str]] = {}  # kk → (rank of the source, district); lower rank wins
        self.items: dict[str, set[str]] = defaultdict(set)
        self.registered: set[str] = set()

    def seen(self, kk: str, rank: int, district: str) -> None:
        if not kk:
            return
        known = self.place.get(kk)
        if known is None or (district and (rank < known[0] or not known[1])):
            self.place[kk] = (rank, district)

    def households(self) -> dict[str, Household]:
        return {kk: Household(district, kk in self.registered, ",".join(sorted(self.items.get(kk, ()))))
                for kk, (_rank, district) in self.place.items()}


def collect(connection, tenant_id, import_id, kk_filter: Callable) -> dict[str, Household]:
    """Every known household whose KK number `kk_filter(column)` selects, from the raw tables."""
    out = _Collected()
    h, e = RegisterHousehold.__table__.c, RegisterEntry.__table__.c
    p, c = Participation.__table__.c, Citizen.__table__.c
    if import_id is not None:
        for kk, village, flags in connection.execute(
                select(h.kk_number, h.village_code, h.programs)
                .where(h.tenant_id == tenant_id, h.import_id == import_id, kk_filter(h.kk_number))):
            out.seen(kk, 0, district_of(village))
            out.registered.add(kk)
            if flags:
                out.items[kk] |= flag_items(flags)
        # Members: their flags, and the households the extract lists only through members (one row per KK).
        for kk, village, flags in connection.execute(
                select(e.kk_number, func.max(e.village_code), func.aggregate_strings(e.programs, ","))
                .where(e.tenant_id == tenant_id, e.import_id == import_id, kk_filter(e.kk_number))
                .group_by(e.kk_number)):
            if kk not in out.registered:
                out.seen(kk, 0, district_of(village))
                out.registered.add(kk)
            if flags and flags.strip(","):
                out.items[kk] |= flag_items(flags)
    for kk, village in connection.execute(
            select(c.kk_number, c.village_code).where(c.tenant_id == tenant_id, kk_filter(c.kk_number))):
        out.seen(kk, 2, district_of(village))
    for kk, program_id, district in connection.execute(
            select(p.kk_number, p.program_id, p.district_code)
            .where(p.tenant_id == tenant_id, kk_filter(p.kk_number), p.status == ReviewStatus.APPROVED,
                   p.ended_at.is_(None))):
        out.seen(kk, 3, district or "")
        out.items[kk].add(f"p:{program_id}")
    return out.households()
