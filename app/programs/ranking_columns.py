"""The ranking tables as Core tables, for bulk reads and writes (mypy sees `__table__` as any FromClause)."""
from __future__ import annotations

from app.programs.models import Ranking, RankingEntry

RANKINGS = Ranking.metadata.tables[Ranking.__tablename__]
ENTRIES = RankingEntry.metadata.tables[RankingEntry.__tablename__]
