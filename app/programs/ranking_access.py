"""Where a member may rank, and which rankings they may open.

Ranking is the head's or manager's task (RANK_CANDIDATES, region-wide posts by default). A
region may give it to a post that works in areas; such a member ranks only in a district of
their own and sees only those rankings. Another region's ranking is never found (tenant scoping).
"""
from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from app.programs.models import Program, Ranking
from app.reference.models import District
from app.reviews.operations import area_bound
from app.tenancy.context import tenant_in_context


def region_districts() -> list[District]:
    """The districts of the region in context, by name."""
    region = tenant_in_context().region_code
    return list(db.session.scalars(select(District).where(District.regency_code == region).order_by(District.name)))


def allowed_districts(membership) -> set[str] | None:
    """The districts a member may rank in: None = the whole region (a region-wide post)."""
    if not area_bound(membership):
        return None
    return {area.district_code for area in membership.areas}


def district_choices(membership) -> list[District]:
    """The districts the new-ranking form offers this member."""
    own = allowed_districts(membership)
    return [d for d in region_districts() if own is None or d.code in own]


def district_options(membership) -> list[tuple[str, str]]:
    """(code, name) for the new-ranking form: the whole region ("") first, for a region-wide member."""
    whole = [("", _("Seluruh wilayah"))] if allowed_districts(membership) is None else []
    return whole + [(d.code, d.name) for d in district_choices(membership)]


def program_or_404(program_id: uuid.UUID) -> Program:
    """The region's program with this id, or NotFound (another region's is never found)."""
    program = db.session.scalar(select(Program).where(Program.id == program_id))
    if program is None:
        raise NotFound(_("Program tidak ditemukan."))
    return program


def ranking_district(ranking: Any) -> str:
    """The district the ranking is limited to ("" = the whole region); see `ranking_columns`."""
    return ranking.district_code or ""


def visible_ranking(membership, ranking_id: uuid.UUID) -> Ranking:
    """The ranking if this member may open it, else NotFound (same answer as for another region's)."""
    ranking = db.session.scalar(select(Ranking).where(Ranking.id == ranking_id))
    if ranking is None:
        raise NotFound(_("Pemeringkatan tidak ditemukan."))
    own = allowed_districts(membership)
    if own is not None and ranking_district(ranking) not in own:
        raise NotFound(_("Pemeringkatan tidak ditemukan."))
    return ranking
