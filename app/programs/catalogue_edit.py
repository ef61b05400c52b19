"""Changing the region's catalogue: add a program, edit it, take it out of use or back; all audited.

Every change is a `config.program.*` audit event with the values before and after, so the
configuration history shows it. Criteria and ranking weights are checked here (the route
shows the problems at each row's field); nothing is written when anything is refused.
Functions flush at most.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.log import record
from app.errors import Conflict, Invalid
from app.extensions import db
from app.programs.catalogue import known_program_codes, national_codes
from app.programs.criteria import condition_problems
from app.programs.models import Program
from app.programs.vocabulary import ProgramLevel

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_]{0,39}$")
FLAG_RE = re.compile(r"^[a-z0-9_]{1,40}$")
FIELDS = ("name", "level", "partner_id", "description", "legal_basis", "register_flag", "member_level",
          "criteria", "ranking")
#: The levels a region adds itself; national programs come from `national.yaml`.
OWN_LEVELS = tuple(level.value for level in ProgramLevel if level != ProgramLevel.NATIONAL)


@dataclass
class ProgramValues:
    """What the editor sends for one program."""

    name: str
    level: str
    description: str
    legal_basis: str
    partner_id: uuid.UUID | None = None
    register_flag: str = ""
    member_level: bool = False
    criteria: list = field(default_factory=list)
    ranking: list = field(default_factory=list)


def snapshot(program: Program) -> dict:
    """The program's editable values, for audit details."""
    values = {f: getattr(program, f) for f in FIELDS}
    values["partner_id"] = str(values["partner_id"]) if values["partner_id"] else None
    return values


def _check(values: ProgramValues, program: Program | None, code: str) -> None:
    errors: dict[str, list[str]] = {}
    national = program is not None and program.level == ProgramLevel.NATIONAL
    if not values.name.strip():
        errors["name"] = [_("Nama program wajib diisi.")]
    elif _name_taken(values.name, program):
        errors["name"] = [_("Program dengan nama ini sudah ada di katalog.")]
    if not national and values.level not in OWN_LEVELS:
        errors["level"] = [_("Pilih tingkat program (program pusat sudah tersedia di katalog).")]
    if not values.description.strip():
        errors["description"] = [_("Tuliskan keterangan program untuk warga.")]
    if not values.legal_basis.strip():
        errors["legal_basis"] = [_("Dasar hukum program wajib diisi.")]
    if values.register_flag and not FLAG_RE.match(values.register_flag):
        errors["register_flag"] = [_("Kode di data register: huruf kecil, angka dan garis bawah (mis. pkh).")]
    elif values.register_flag and _flag_taken(values.register_flag, program):
        errors["register_flag"] = [_("Kode register ini sudah dipakai program lain.")]
    if values.partner_id is not None and not _partner_exists(values.partner_id):
        errors["partner_id"] = [_("Pilih lembaga pengelola dari daftar.")]
    known = (known_program_codes() or set()) | {code}
    for name, conditions, weights in (("criteria", values.criteria, False), ("ranking", values.ranking, True)):
        for index, problems in condition_problems(conditions, weights=weights, known_programs=known).items():
            for key, message in problems.items():
                errors.setdefault(f"{name}-{index}-{key}", []).append(message)
    if errors:
        raise Invalid(_("Periksa isian yang ditandai."), errors=errors)


def _name_taken(name: str, program: Program | None) -> bool:
    query = select(Program.id).where(func.lower(Program.name) == " ".join(name.split()).lower())
    if program is not None:
        query = query.where(Program.id != program.id)
    return db.session.scalar(query.limit(1)) is not None


def _flag_taken(flag: str, program: Program | None) -> bool:
    query = select(Program.id).where(Program.register_flag == flag)
    if program is not None:
        query = query.where(Program.id != program.id)
    return db.session.scalar(query.limit(1)) is not None


def _partner_exists(partner_id: uuid.UUID) -> bool:
    from app.casework.models import Partner

    return db.session.scalar(select(Partner.id).where(Partner.id == partner_id)) is not None


def _apply(program: Program, values: ProgramValues) -> None:
    program.name = " ".join(values.name.split())
    if program.level != ProgramLevel.NATIONAL:
        program.level = values.level
    program.description = values.description.strip()
    program.legal_basis = values.legal_basis.strip()
    program.partner_id = values.partner_id
    program.register_flag = values.register_flag
    program.member_level = bool(values.member_level)
    program.criteria = list(values.criteria)
    program.ranking = list(values.ranking)


def create_program(code: str, values: ProgramValues) -> Program:
    """Add one of the region's own programs (provincial, regional, village or non-government)."""
    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        raise Invalid(errors={"code": [_("Kode program: huruf besar, angka dan garis bawah (mis. BEDAH_RUMAH).")]})
    if code in national_codes() or db.session.scalar(select(Program.id).where(Program.code == code)):
        raise Invalid(errors={"code": [_("Kode program ini sudah dipakai.")]})
    _check(values, None, code)
    order = (db.session.scalar(select(func.max(Program.sort_order))) or 0) + 1
    program = Program(code=code, active=True, sort_order=order, level=values.level)
    _apply(program, values)
    db.session.add(program)
    db.session.flush()
    record("config.program.create", "program", program.id, code=code, name=program.name, after=snapshot(program))
    return program


def update_program(program: Program, values: ProgramValues) -> bool:
    """Change a program's details, criteria and ranking weights; returns whether anything changed."""
    _check(values, program, program.code)
    before = snapshot(program)
    _apply(program, values)
    after = snapshot(program)
    if before == after:
        return False
    db.session.flush()
    changed = [f for f in FIELDS if before[f] != after[f]]
    record("config.program.update", "program", program.id, code=program.code, name=program.name,
           before={f: before[f] for f in changed}, after={f: after[f] for f in changed})
    return True


def set_active(program: Program, active: bool) -> None:
    """Take a program out of use (kept for the records that name it) or back into use."""
    if program.active == active:
        raise Conflict(_("Program ini sudah aktif.") if active else _("Program ini sudah nonaktif."))
    program.active = active
    db.session.flush()
    record("config.program.reactivate" if active else "config.program.deactivate", "program", program.id,
           code=program.code, name=program.name)
