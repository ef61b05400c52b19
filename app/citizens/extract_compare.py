"""Comparing two imports of the extract in SQL: households and members added, changed, gone, the
same; households that moved decile; program flags gained and lost.

Rows are matched by KK number (households) and NIK (members) through the unique indexes
(tenant, import, number); "changed" compares the digests the stager wrote. Nothing is loaded
into Python but the counts.
"""
from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import aliased

from app.citizens.models import RegisterEntry, RegisterHousehold, RegisterImport
from app.extensions import db


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _has(programs, flag: str):
    pattern = "%," + flag.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + ",%"
    return (literal(",") + programs + literal(",")).like(pattern, escape="\\")


def _flags(model, import_id) -> set[str]:
    """Every program code the import's rows carry (distinct lists, split here)."""
    lists = db.session.scalars(select(model.programs).where(model.import_id == import_id, model.programs != "")
                               .distinct())
    return {code for joined in lists for code in joined.split(",") if code}


def _changes(model, key: str, new_id, old_id, extra: list | None = None) -> tuple[dict, list]:
    """Added/changed/gone/same of `model` rows between two imports, and the `extra` counts."""
    if old_id is None:  # nothing before: everything is new (and no join to make)
        total = db.session.scalar(select(func.count()).select_from(model).where(model.import_id == new_id)) or 0
        return ({"total": total, "added": total, "changed": 0, "same": 0, "gone": 0, "flags": {}},
                [0] * len(extra or []))
    new, old = aliased(model), aliased(model)
    flags = sorted(_flags(model, new_id) | _flags(model, old_id))
    columns: list = [func.count(), func.count(old.id), _count(and_(old.id.is_not(None), old.digest != new.digest))]
    for flag in flags:
        columns += [_count(and_(_has(new.programs, flag), old.id.is_not(None), ~_has(old.programs, flag))),
                    _count(and_(~_has(new.programs, flag), old.id.is_not(None), _has(old.programs, flag)))]
    columns += [column(new, old) for column in (extra or [])]
    row = db.session.execute(
        select(*columns).select_from(new)
        .outerjoin(old, and_(old.tenant_id == new.tenant_id, old.import_id == old_id,
                             getattr(old, key) == getattr(new, key)))
        .where(new.import_id == new_id)).one()
    total, matched, changed = (int(v or 0) for v in row[:3])
    old_total = db.session.scalar(select(func.count()).select_from(model).where(model.import_id == old_id))
    figures: dict = {"total": total, "added": total - matched, "changed": changed, "same": matched - changed,
                     "gone": (old_total or 0) - matched}
    flag_changes = {flag: {"gained": int(row[3 + 2 * i] or 0), "lost": int(row[4 + 2 * i] or 0)}
                    for i, flag in enumerate(flags)}
    figures["flags"] = {flag: counts for flag, counts in flag_changes.items() if counts["gained"] or counts["lost"]}
    return figures, [int(v or 0) for v in row[3 + 2 * len(flags):]]


def compare_imports(new_id, old_id) -> dict:
    """The changes from import `old_id` (None: nothing before) to import `new_id`."""
    moves = [lambda n, o: _count(and_(n.decile.is_not(None), o.decile.is_not(None), n.decile < o.decile)),
             lambda n, o: _count(and_(n.decile.is_not(None), o.decile.is_not(None), n.decile > o.decile)),
             lambda n, o: _count(and_(n.decile.is_not(None), o.id.is_not(None), o.decile.is_(None))),
             lambda n, o: _count(and_(n.decile.is_(None), o.decile.is_not(None)))]
    households, (poorer, less_poor, gained, lost) = _changes(RegisterHousehold, "kk_number", new_id, old_id, moves)
    members, _rest = _changes(RegisterEntry, "nik", new_id, old_id)
    households["decile_moves"] = {"poorer": poorer, "less_poor": less_poor, "gained": gained, "lost": lost}
    return {"households": households, "members": members, "against": str(old_id) if old_id else None}


def summary_of(batch: RegisterImport, figures: dict, against_id) -> dict:
    """The preview stored on an import: its own figures and the changes from `against_id`."""
    return {**figures, **compare_imports(batch.id, against_id)}


def own_figures(import_id) -> dict:
    """Decile and program counts of an import that was written without them (older imports)."""
    deciles = dict(db.session.execute(
        select(func.coalesce(RegisterHousehold.decile, 0), func.count())
        .where(RegisterHousehold.import_id == import_id).group_by(RegisterHousehold.decile)).all())
    programs: dict[str, dict[str, int]] = {}
    for model, name in ((RegisterHousehold, "programs"), (RegisterEntry, "member_programs")):
        counts: dict[str, int] = {}
        for joined, n in db.session.execute(select(model.programs, func.count())
                                            .where(model.import_id == import_id, model.programs != "")
                                            .group_by(model.programs)):
            for code in joined.split(","):
                counts[code] = counts.get(code, 0) + n
        programs[name] = dict(sorted(counts.items()))
    return {"deciles": {str(k or "-"): v for k, v in sorted(deciles.items())}, **programs}
