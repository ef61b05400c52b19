"""Reading rankings: a program's rankings, one ranking's facts, and its entries a page or a chunk at a time."""
from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.pagination import page_of
from app.programs.models import Program, Ranking, RankingEntry
from app.programs.ranking_access import allowed_districts, ranking_district
from app.programs.ranking_columns import ENTRIES
from app.reference.models import District, Village

PAGE_SIZE = 25
CHUNK = 2000


@dataclass
class RankingFacts:
    """What heads a ranking's page and its exports."""

    ranking: Ranking
    program: Program
    district_code: str
    district_name: str
    created_by: str
    decided_by: str


def _name(user_id: uuid.UUID | None) -> str:
    if user_id is None:
        return ""
    user = db.session.get(User, user_id)
    return user.name if user else ""


def district_name(code: str) -> str:
    if not code:
        return ""
    district = db.session.get(District, code)
    return district.name if district else code


def ranking_facts(ranking: Ranking) -> RankingFacts:
    program = db.session.scalar(select(Program).where(Program.id == ranking.program_id))
    assert program is not None  # a composite foreign key keeps the program
    code = ranking_district(ranking)
    return RankingFacts(ranking=ranking, program=program, district_code=code, district_name=district_name(code),
                        created_by=_name(ranking.created_by), decided_by=_name(ranking.decided_by))


def rankings_of(program: Program, membership) -> list[tuple[Ranking, str]]:
    """The program's rankings, newest first, each with its district's name ("" = whole region)."""
    rankings = db.session.scalars(select(Ranking).where(Ranking.program_id == program.id)
                                  .order_by(Ranking.created_at.desc())).all()
    own = allowed_districts(membership)
    rows = [(r, ranking_district(r)) for r in rankings]
    return [(r, district_name(code)) for r, code in rows if own is None or code in own]


def _entries(ranking: Ranking, proposed_only: bool):
    stmt = (select(RankingEntry, Village.name.label("village_name"))
            .outerjoin(Village, Village.code == RankingEntry.village_code)
            .where(RankingEntry.ranking_id == ranking.id))
    if proposed_only:
        stmt = stmt.where(RankingEntry.proposed.is_(True))
    return stmt.order_by(RankingEntry.position)


def page_of_entries(ranking: Ranking, page: int, proposed_only: bool = False):
    """One page of the ranking's table: rows of (entry, village name), by position."""
    return page_of(_entries(ranking, proposed_only), page, PAGE_SIZE, rows=True)


@dataclass
class ExportRow:
    """One candidate as an export prints it (identifiers still whole: the export masks them)."""

    position: int
    kk_number: str
    head_name: str
    head_nik: str
    village_name: str
    district_name: str
    decile: int | None
    member_count: int
    head_birth_date: date | None
    score: int
    points: list[dict]
    proposed: bool


def export_rows(ranking: Ranking, proposed_only: bool = False, limit: int | None = None
                ) -> Iterator[list[ExportRow]]:
    """The ranking's entries in chunks (keyset on position), at most `limit` of them."""
    districts: dict[str, str] = {}
    last = 0
    while True:
        stmt = (select(ENTRIES.c.position, ENTRIES.c.kk_number, ENTRIES.c.head_name, ENTRIES.c.head_nik,
                       ENTRIES.c.district_code, ENTRIES.c.decile, ENTRIES.c.member_count, ENTRIES.c.head_birth_date,
                       ENTRIES.c.score, ENTRIES.c.points, ENTRIES.c.proposed, Village.name.label("village_name"))
                .outerjoin(Village, Village.code == ENTRIES.c.village_code)
                .where(ENTRIES.c.tenant_id == ranking.tenant_id, ENTRIES.c.ranking_id == ranking.id,
                       ENTRIES.c.position > last)
                .order_by(ENTRIES.c.position).limit(CHUNK if limit is None else min(CHUNK, limit)))
        if proposed_only:
            stmt = stmt.where(ENTRIES.c.proposed.is_(True))
        rows: Sequence[Any] = db.session.execute(stmt).all()
        if not rows:
            return
        chunk = []
        # Rows unpacked as tuples: attribute access on a Row costs microseconds, and exports read many.
        for (position, kk, name, nik, district, decile, members, born, total, points, proposed,
             village) in rows:
            if district not in districts:
                districts[district] = district_name(district)
            chunk.append(ExportRow(position=position, kk_number=kk, head_name=name, head_nik=nik,
                                   village_name=village or "", district_name=districts[district], decile=decile,
                                   member_count=members, head_birth_date=born, score=total, points=points or [],
                                   proposed=bool(proposed)))
        yield chunk
        last = rows[-1][0]
        if limit is not None:
            limit -= len(chunk)
            if limit <= 0:
                return
