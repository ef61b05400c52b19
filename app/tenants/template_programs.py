"""The `programs:` section of a region template: programs the region adds to or changes in its catalogue.

Each entry is matched by `code`. The national programs are always seeded first
(`app.programs.catalogue.seed_national_programs`); an entry with a national code changes that
program, any other code adds one. A program the file leaves out is left as it is; an entry with
`active: false` takes a program out of use. Criteria and ranking weights are conditions over
household and member attributes, validated by `app.programs.criteria.check_conditions`.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from app.programs.vocabulary import ProgramLevel

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_]{0,39}$")  # as `app.programs.criteria` names programs
PROGRAM_KEYS = ("code", "name", "level", "partner", "description", "legal_basis", "register_flag",
                "member_level", "criteria", "ranking", "active")
MAX_PROGRAMS = 200


def blank_program(code: str) -> dict[str, Any]:
    """A program with every field at its default (the normalised shape the diff and export compare)."""
    return {"code": code, "name": "", "level": "", "partner": None, "description": "", "legal_basis": "",
            "register_flag": "", "member_level": False, "criteria": [], "ranking": [], "active": True}


def region_partner_names() -> set[str]:
    """Names of the partners of the region in context (retired ones too); none outside a region.

    A file imported into a region may name, as a program's manager, a partner it retires or
    leaves out: the program keeps that partner, as a closed case keeps its retired unit.
    """
    from flask import has_app_context

    from app.tenancy.context import current_tenant_or_none

    if not has_app_context() or current_tenant_or_none() is None:  # a template read on its own (tests, CLI)
        return set()
    from sqlalchemy import select

    from app.casework.models import Partner
    from app.extensions import db

    return set(db.session.scalars(select(Partner.name)))


def program_spec(entry: dict[str, Any]) -> dict[str, Any]:
    """An exported entry in the normalised shape, not validated (the region as it is now)."""
    spec = blank_program(str(entry.get("code") or ""))
    spec.update({k: v for k, v in entry.items() if k in spec})
    spec["partner"] = spec["partner"] or None
    spec["criteria"], spec["ranking"] = list(spec["criteria"] or []), list(spec["ranking"] or [])
    return spec


def _text(item: dict, key: str, where: str, problems: list[str], required: bool = False, limit: int = 0) -> str:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{where}: " + _("'%(key)s' wajib diisi", key=key))
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.append(f"{where}: " + _("'%(key)s' harus berupa teks", key=key))
        return ""
    text = str(value).strip()
    if limit and len(text) > limit:
        problems.append(f"{where}: " + _("'%(key)s' paling panjang %(n)s karakter", key=key, n=limit))
    return text


def _conditions(raw, where: str, problems: list[str], weighted: bool, known: set[str] | None) -> list[dict]:
    """Criteria (all must hold) or ranking weights (each with whole-number `points`)."""
    if raw is None:
        return []
    from app.programs.criteria import check_conditions, check_ranking

    check = check_ranking if weighted else check_conditions
    for index, problem in sorted(check(raw, known_programs=known).items()):
        problems.append(f"{where}[{index + 1}]: {problem}" if index >= 0 else f"{where}: {problem}")
    return [dict(item) for item in raw] if isinstance(raw, list) and all(isinstance(c, dict) for c in raw) else []


def _known_codes(items: list) -> set[str] | None:
    """Program codes a condition may name: the catalogue's (None outside a region: any) and the file's."""
    from app.programs.catalogue import known_program_codes

    known = known_program_codes()
    if known is None:
        return None
    return known | {str(item.get("code")) for item in items if isinstance(item, dict) and item.get("code")}


def check_programs(items, partner_names: set[str], entry: str = "programs"
                   ) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """The section's programs (normalised, in file order) and its problems; `(None, [])` when absent.

    `partner_names`: the partners of the same file (and, on import, the region's); a program's
    `partner` must be one of them.
    """
    if items is None:
        return None, []
    if not isinstance(items, list):
        return None, [f"{entry}: " + _("harus berupa daftar program")]
    problems: list[str] = []
    if len(items) > MAX_PROGRAMS:
        problems.append(f"{entry}: " + _("paling banyak %(n)s program", n=MAX_PROGRAMS))
    programs: list[dict[str, Any]] = []
    seen: set[str] = set()
    known = _known_codes(items) if any(isinstance(i, dict) and (i.get("criteria") or i.get("ranking"))
                                       for i in items) else None
    for i, item in enumerate(items):
        where = f"{entry}[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: " + _("setiap entri harus berupa pemetaan"))
            continue
        code = _text(item, "code", where, problems, required=True)
        if code:
            where += f" ({code})"
        if code and not CODE_RE.match(code):
            problems.append(f"{where}: " + _("kode '%(c)s' hanya boleh huruf besar, angka dan garis bawah "
                                             "(paling panjang 40, contoh: BANSOS_KOTA)", c=code))
        elif code in seen:
            problems.append(f"{where}: " + _("program '%(c)s' muncul lebih dari sekali", c=code))
        seen.add(code)
        for key in item:
            if key not in PROGRAM_KEYS:
                problems.append(f"{where}: " + _("kunci '%(k)s' tidak dikenal (pilihan: %(o)s)",
                                                 k=key, o=", ".join(PROGRAM_KEYS)))
        program = blank_program(code)
        program["name"] = _text(item, "name", where, problems, required=True, limit=200)
        program["level"] = level = _text(item, "level", where, problems, required=True)
        if level and level not in ProgramLevel.labels():
            problems.append(f"{where}: " + _("tingkat '%(l)s' tidak dikenal (pilihan: %(o)s)",
                                             l=level, o=", ".join(ProgramLevel)))
        partner = _text(item, "partner", where, problems)
        if partner and partner not in partner_names:
            problems.append(f"{where}: " + _("lembaga '%(p)s' tidak ada di daftar partners", p=partner))
        program["partner"] = partner or None
        program["description"] = _text(item, "description", where, problems)
        program["legal_basis"] = _text(item, "legal_basis", where, problems, required=True)
        program["register_flag"] = _text(item, "register_flag", where, problems, limit=40)
        for flag in ("member_level", "active"):
            if flag in item and not isinstance(item[flag], bool):
                problems.append(f"{where}: " + _("'%(key)s' harus true atau false", key=flag))
            elif flag in item:
                program[flag] = item[flag]
        program["criteria"] = _conditions(item.get("criteria"), f"{where}.criteria", problems, False, known)
        program["ranking"] = _conditions(item.get("ranking"), f"{where}.ranking", problems, True, known)
        programs.append(program)
    return (programs if not problems else None), problems
