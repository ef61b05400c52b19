"""What waits for a member: the reviewed records (participation, needs, data updates) whose open
stage is theirs to take, across kinds, paged, filtered by kind and district.

A record waits for a member when it is pending, the open stage of its own chain snapshot names
the member's role, it lies in the member's areas (area-bound roles), and the member did not
propose it (`app.reviews.operations`). The chains live in each record (JSON), so the query
first reads the few distinct (chain, stage) pairs still pending — one per configuration a
region has had — keeps those whose open stage names the role, and then selects the records
on those pairs in SQL, so paging and counting stay in the database.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Text, and_, cast, false, literal, or_, select, union_all

from app.extensions import db
from app.pagination import page_of
from app.permissions import Capability, can
from app.programs.models import Need, Participation
from app.reviews.operations import area_bound, covers
from app.reviews.vocabulary import ReviewedKind, ReviewStatus
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

PAGE_SIZE = 20
#: The tables of reviewed records, by the kind (or kinds) they hold.
TABLES: dict[str, Any] = {"participation": Participation, "need": Need, "update": DataUpdate}


def table_of(kind: str) -> str:
    """The table key of a review kind (every data-update kind lives in one table)."""
    return kind if kind in ("participation", "need") else "update"


def model_of(kind: str):
    return TABLES[table_of(ReviewedKind(kind).value)]


def load(kind: str, record_id):
    """The record of this kind with this id in the current region (None if there is none)."""
    kind = ReviewedKind(kind).value
    model = model_of(kind)
    stmt = select(model).where(model.id == record_id)
    if model is DataUpdate:
        stmt = stmt.where(DataUpdate.kind == kind)
    return db.session.scalar(stmt)


def area_condition(model, membership):
    """The records in the member's areas (None: the member works region-wide)."""
    if not area_bound(membership):
        return None
    parts = [model.village_code == a.village_code if a.village_code else model.district_code == a.district_code
             for a in membership.areas]
    return or_(*parts) if parts else false()


def _stage_condition(model, role: str):
    """The pending records whose open stage names `role`, over the distinct (chain, stage) pairs."""
    chain_text = cast(model.chain, Text)
    pairs = db.session.execute(select(chain_text, model.stage).where(model.status == ReviewStatus.PENDING)
                               .distinct()).all()
    mine = []
    for text, stage in pairs:
        try:
            chain = json.loads(text or "[]")
            roles = chain[stage].get("roles") or [] if 0 <= stage < len(chain) else []
        except (ValueError, AttributeError, TypeError):
            continue
        if role in roles:
            mine.append(and_(chain_text == text, model.stage == stage))
    return or_(*mine) if mine else false()


def _waiting(model, membership, kind: str, district: str):
    """The select of (kind, id, created_at) of this table's records waiting for the member."""
    kind_column: Any
    if model is DataUpdate:
        kind_column = DataUpdate.kind
    else:
        code = ReviewedKind.PARTICIPATION if model is Participation else ReviewedKind.NEED
        kind_column = literal(code.value, type_=String(20))
    stmt = select(kind_column.label("kind"), model.id.label("id"), model.created_at.label("created_at")).where(
        model.status == ReviewStatus.PENDING, model.created_by != membership.user_id,
        _stage_condition(model, membership.position.role))
    area = area_condition(model, membership)
    if area is not None:
        stmt = stmt.where(area)
    if district:
        stmt = stmt.where(model.district_code == district)
    if model is DataUpdate and kind:
        stmt = stmt.where(DataUpdate.kind == kind)
    return stmt


def _tables_for(kind: str):
    if not kind:
        return list(TABLES.values())
    return [model_of(kind)]


@dataclass
class QueueRow:
    kind: str
    record: object


def waiting_page(membership, *, kind: str = "", district: str = "", page: int = 1):
    """The page asked for of what waits for `membership`, oldest first; `.items` are QueueRows."""
    kind = kind if kind in ReviewedKind.labels() else ""
    parts = [_waiting(model, membership, kind, district) for model in _tables_for(kind)]
    union = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    pager = page_of(select(union.c.kind, union.c.id).order_by(union.c.created_at, union.c.id), page, PAGE_SIZE,
                    rows=True)
    ids: dict[str, list] = {}
    for row_kind, record_id in pager.items:
        ids.setdefault(table_of(row_kind), []).append(record_id)
    found = {}
    for table, wanted in ids.items():
        model = TABLES[table]
        found.update({r.id: r for r in db.session.scalars(select(model).where(model.id.in_(wanted)))})
    pager.items = [QueueRow(kind=k, record=found[i]) for k, i in pager.items if i in found]
    return pager


def waiting_count(membership) -> int:
    """How many records wait for the member (every kind)."""
    return waiting_page(membership, page=1).total or 0


def may_see(membership, record, kind: str) -> bool:
    """Whether the member may open a reviewed record: its proposer; anyone its chain names, in
    their areas; and, in their areas, whoever sees the data updates (or households, for
    participation and needs)."""
    if membership is None:
        return False
    if record.created_by == membership.user_id:
        return True
    if not covers(membership, record):
        return False
    if any(membership.position.role in (stage.get("roles") or []) for stage in record.chain or []):
        return True
    capability = Capability.SEE_PRELIST if kind in UpdateKind.labels() else Capability.SEE_HOUSEHOLDS
    return can(membership, capability)
