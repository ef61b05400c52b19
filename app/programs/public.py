"""The catalogue as citizens see it: programs in use, by level, criteria in words; no personal data."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.programs.catalogue import active_programs, program_names
from app.programs.criteria import describe
from app.programs.vocabulary import ProgramLevel


@dataclass
class PublicProgram:
    """What the public page says about one program."""

    code: str
    name: str
    description: str
    legal_basis: str
    partner: str
    member_level: bool
    criteria: list[tuple[str, str]]  # (condition in words, its legal basis)


def public_catalogue() -> list[tuple[str, list[PublicProgram]]]:
    """(level label, programs) for each level that has programs in use, in catalogue order."""
    from app.casework.models import Partner

    partners = dict(db.session.execute(select(Partner.id, Partner.name)).all())
    names = program_names()
    by_level: dict[str, list[PublicProgram]] = {}
    for program in active_programs():
        by_level.setdefault(program.level, []).append(PublicProgram(
            code=program.code, name=program.name, description=program.description,
            legal_basis=program.legal_basis, partner=partners.get(program.partner_id, "") if program.partner_id else "",
            member_level=program.member_level,
            criteria=[(describe(c, names), str(c.get("legal_basis", ""))) for c in program.criteria or []]))
    labels = ProgramLevel.labels()
    return [(str(labels[level]), by_level[level]) for level in labels if level in by_level]
