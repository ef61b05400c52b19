"""Reading the region's program catalogue, and seeding the national programs into it.

The national programs are data (`national.yaml`): a region gets them when it is onboarded
(`seed_national_programs()`), and a region that existed before gets them from the data
migration `i2a0c0de0042`. The region's own programs are edited in `catalogue_edit`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from app.audit.log import record
from app.extensions import db
from app.programs.models import Program
from app.programs.vocabulary import ProgramLevel
from app.tenancy.context import current_tenant_or_none

NATIONAL_FILE = Path(__file__).with_name("national.yaml")


@lru_cache(maxsize=1)
def _national() -> tuple[dict, ...]:
    with NATIONAL_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return tuple(data["programs"])


def national_programs() -> list[dict[str, Any]]:
    """The national programs as data (copies: callers may change them)."""
    import copy

    return copy.deepcopy(list(_national()))


def national_codes() -> set[str]:
    """Codes of the national programs."""
    return {p["code"] for p in _national()}


def active_programs(level: str | None = None) -> list[Program]:
    """The region's programs in use, in catalogue order (optionally of one level)."""
    query = select(Program).where(Program.active.is_(True))
    if level:
        query = query.where(Program.level == level)
    return list(db.session.scalars(query.order_by(Program.sort_order, Program.name)))


def all_programs(level: str | None = None) -> list[Program]:
    """Every program of the region, those no longer in use included."""
    query = select(Program)
    if level:
        query = query.where(Program.level == level)
    return list(db.session.scalars(query.order_by(Program.active.desc(), Program.sort_order, Program.name)))


def program_by_code(code: str) -> Program | None:
    """The region's program with this code, or None."""
    return db.session.scalar(select(Program).where(Program.code == code))


def program_names() -> dict[str, str]:
    """code → name of every program of the region in context (national names outside one)."""
    names = {p["code"]: p["name"] for p in _national()}
    if current_tenant_or_none() is not None:
        names.update({code: name for code, name in db.session.execute(select(Program.code, Program.name))})
    return names


def known_program_codes() -> set[str] | None:
    """Codes a criterion may name: the region's catalogue and the national ones (None outside a region)."""
    if current_tenant_or_none() is None:
        return None
    return national_codes() | set(db.session.scalars(select(Program.code)))


def area_exists(code: str) -> bool:
    """Whether `code` is a known village (xx.xx.xx.xxxx) or district (xx.xx.xx)."""
    from app.reference.models import District, Village

    model = Village if code.count(".") == 3 else District
    return db.session.get(model, code) is not None


def area_names(codes: list[str]) -> dict[str, str]:
    """code → name of the villages and districts among `codes`."""
    from app.reference.models import District, Village

    villages = [c for c in codes if c.count(".") == 3]
    districts = [c for c in codes if c.count(".") == 2]
    names: dict[str, str] = {}
    if villages:
        names.update(dict(db.session.execute(select(Village.code, Village.name).where(Village.code.in_(villages)))))
    if districts:
        names.update(dict(db.session.execute(select(District.code, District.name)
                                             .where(District.code.in_(districts)))))
    return names


def partners_by_id() -> dict:
    """The region's partners (retired ones included: a program may still name one) by id, by name."""
    from app.casework.models import Partner

    return {p.id: p for p in db.session.scalars(select(Partner).order_by(Partner.name))}


def partner_for(hints: list[str]):
    """The region's first partner (not retired) whose name contains one of `hints`, in their order."""
    from app.casework.models import Partner

    partners = db.session.execute(select(Partner.id, Partner.name).where(Partner.retired_at.is_(None))
                                  .order_by(Partner.name)).all()
    for hint in hints:
        for partner_id, name in partners:
            if hint.lower() in name.lower():
                return partner_id
    return None


def seed_national_programs(*, audited: bool = True) -> list[str]:
    """Add the national programs the region in context lacks (by code); returns the codes added.

    Idempotent: a program the region already has is left as it is (its partner, its
    active flag and any edit stay). Flushes; the caller commits. Onboarding passes
    `audited=False`: the region's creation is already in the platform's audit trail, and a
    region nobody has used yet has no activity of its own.
    """
    have = set(db.session.scalars(select(Program.code)))
    start = (db.session.scalar(select(func.max(Program.sort_order))) or 0) + 1 if have else 0
    added = []
    for order, spec in enumerate(_national()):
        if spec["code"] in have:
            continue
        db.session.add(Program(
            code=spec["code"], name=spec["name"], level=ProgramLevel.NATIONAL.value,
            partner_id=partner_for(spec.get("partner", [])), description=spec["description"].strip(),
            legal_basis=" ".join(spec["legal_basis"].split()), register_flag=spec.get("register_flag", ""),
            member_level=bool(spec.get("member_level")), criteria=list(spec.get("criteria", [])),
            ranking=list(spec.get("ranking", [])), active=True, sort_order=start + order))
        added.append(spec["code"])
    if added:
        db.session.flush()
        if audited:
            record("config.program.seed", "program", "", codes=added)
    return added
