"""Ranking helpers: a regional program with criteria and weights, written directly (inside a region)."""
from __future__ import annotations

import itertools
import uuid

from app.extensions import db
from app.programs.models import Program

_serial = itertools.count(1)

BASIS = "Perbup uji Pasal 1"
#: Every household of the extract qualifies (so tests pick theirs out by KK number).
IN_REGISTER = [{"attribute": "in_register", "op": "eq", "value": True, "legal_basis": BASIS}]
WEIGHTS = [
    {"attribute": "decile", "op": "le", "value": 2, "points": 30, "legal_basis": BASIS},
    {"attribute": "member_disability", "op": "in", "value": ["physical", "mental", "sensory", "intellectual",
                                                            "multiple"], "points": 20, "legal_basis": BASIS},
    {"attribute": "elderly_head", "op": "eq", "value": True, "points": 10, "legal_basis": BASIS},
]


def ranking_program(*, criteria: list[dict] | None = None, weights: list[dict] | None = None,
                    active: bool = True, code: str = "") -> Program:
    """A regional program of the region in context with ranking weights; unique code per call."""
    program = Program(code=code or f"RANKUJI{next(_serial)}{uuid.uuid4().hex[:4].upper()}",
                      name=f"Bantuan Daerah Uji {next(_serial)}", level="regional",
                      criteria=list(IN_REGISTER if criteria is None else criteria),
                      ranking=list(WEIGHTS if weights is None else weights), active=active,
                      legal_basis=BASIS, description="Program uji pemeringkatan.")
    db.session.add(program)
    db.session.flush()
    return program


def rank(program: Program, email: str, *, district: str = "", quota: int | None = None):
    """Ask for a ranking as `email` (a member of the region in context) and let its job run; returns it.

    Commits (the job is queued when the request's transaction commits), then drains the queue
    in RQ mode; inline mode has already run it.
    """
    from flask import current_app

    from app.programs.ranking import request_ranking
    from tests.factories import member
    from tests.helpers.reports import drain

    user, membership = member(email)
    ranking = request_ranking(program, membership=membership, user=user, district_code=district, quota=quota)
    db.session.commit()
    drain(current_app._get_current_object())  # type: ignore[attr-defined]
    db.session.expire_all()
    return ranking
