"""Referral overlap: citizens the secretariat referred to more than one program.

Under "Rujukan ke program", never as the board's part c (which counts programs households
receive: `app.dashboard.program_figures`). Read from `citizen_programs` (one row per citizen
and program, kept by the rollup listener), cumulative up to the end of the period: overlap is about a citizen's whole
history, not one month's.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from app.casework.vocabulary import PartnerLevel
from app.dashboard.models import CitizenProgram
from app.dashboard.queries import Labels, Reader, Table, day_bounds
from app.extensions import db

TOP_PAIRS = 10


def _pairs(r: Reader):
    a, b = aliased(CitizenProgram), aliased(CitizenProgram)
    _lower, upper = day_bounds(r.period)
    joined = and_(a.tenant_id == b.tenant_id, a.citizen_id == b.citizen_id, a.partner_id < b.partner_id)
    conditions = [a.first_at < upper, b.first_at < upper]
    if r.district:
        conditions.append(a.district_code == r.district)
    return a, b, joined, conditions


def _multi(r: Reader, served: bool) -> int:
    _lower, upper = day_bounds(r.period)
    column = CitizenProgram.served_at if served else CitizenProgram.first_at
    stmt = select(CitizenProgram.citizen_id).where(column.is_not(None), column < upper)
    if r.district:
        stmt = stmt.where(CitizenProgram.district_code == r.district)
    stmt = stmt.group_by(CitizenProgram.citizen_id).having(func.count() > 1)
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def referral_overlap_tables(r: Reader, L: Labels, totals: dict) -> list[Table]:
    a, b, joined, conditions = _pairs(r)
    low = case((a.partner_level <= b.partner_level, a.partner_level), else_=b.partner_level)
    high = case((a.partner_level <= b.partner_level, b.partner_level), else_=a.partner_level)
    cells: dict = {}
    for level_a, level_b, n in db.session.execute(
            select(low, high, func.count(func.distinct(a.citizen_id))).join(b, joined).where(*conditions)
            .group_by(low, high)):
        cells[(level_a, level_b)] = cells[(level_b, level_a)] = n
    levels = list(PartnerLevel)
    matrix = [[str(row.label), *[cells.get((row, col), 0) for col in levels]] for row in levels] if cells else []
    pairs = db.session.execute(
        select(a.partner_id, b.partner_id, func.count()).join(b, joined).where(*conditions)
        .group_by(a.partner_id, b.partner_id).order_by(func.count().desc()).limit(TOP_PAIRS)).all()
    pair_rows = [[L.partner(str(p))[0], L.partner(str(q))[0], n] for p, q, n in pairs]
    totals["multi_program_citizens"] = _multi(r, served=False)
    totals["multi_served_citizens"] = _multi(r, served=True)
    note = _("%(n)s warga dirujuk ke lebih dari satu lembaga; %(m)s di antaranya dilayani lebih dari satu lembaga "
             "(kumulatif sampai akhir periode).", n=totals["multi_program_citizens"],
             m=totals["multi_served_citizens"])
    return [
        Table("referral_overlap_levels", _("Warga yang dirujuk ke lembaga di dua tingkat (matriks)"),
              [_("Tingkat"), *[str(level.label) for level in levels]], matrix, chart_columns=(),
              note=_("Sel baris A, kolom B: jumlah warga yang dirujuk ke lembaga tingkat A dan ke lembaga lain "
                     "tingkat B. Diagonal: dua lembaga atau lebih pada tingkat yang sama.") + " " + note),
        Table("referral_overlap_pairs", _("Pasangan lembaga tujuan rujukan yang paling sering beririsan"),
              [_("Lembaga"), _("Lembaga lain"), _("Warga")], pair_rows, formats=("text", "text", "int"),
              chart_columns=(2,)),
    ]
