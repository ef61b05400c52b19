"""What the region recorded in a period, for the report as offices file it: complaints by service
area and district, program participation and needs recorded, and data updates proposed with
where they stand now.

Each is one grouped query (a few dozen rows at most), scoped to the region by the ORM.
Records are counted in the period they were made; their status is the one they have now.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.dashboard.metrics import PRELIST_STAGES, prelist_stage
from app.dashboard.queries import Labels, Reader, Table, day_bounds
from app.extensions import db
from app.org.vocabulary import SERVICE_AREAS
from app.programs.models import Need, Participation, Program
from app.reviews.vocabulary import ReviewStatus
from app.verval.models import DataUpdate
from app.verval.vocabulary import UpdateKind

REVIEW = (ReviewStatus.PENDING, ReviewStatus.APPROVED, ReviewStatus.REJECTED)


def area_district_table(reader: Reader, labels: Labels) -> Table:
    """Complaints received: one row per district, one column per service area, totals both ways."""
    received = reader.received_by(2, 1)  # (district, area) → n
    areas = list(SERVICE_AREAS)
    districts = sorted({d for d, _a in received}, key=labels.district)
    rows: list[list[Any]] = []
    for district in districts:
        counts = [received.get((district, area), 0) for area in areas]
        rows.append([labels.district(district), *counts, sum(counts)])
    totals = [sum(row[i] for row in rows) for i in range(1, len(areas) + 2)]
    rows.append([_("Jumlah"), *totals])
    return Table("area_district", _("Pengaduan diterima menurut kecamatan dan bidang layanan"),
                 [_("Kecamatan"), *[str(label) for label in SERVICE_AREAS.values()], _("Jumlah")], rows,
                 chart_columns=())


def _in_period(model, reader: Reader) -> list:
    lower, upper = day_bounds(reader.period)
    conditions = [model.created_at >= lower, model.created_at < upper]
    if reader.district:
        conditions.append(model.district_code == reader.district)
    return conditions


def _review_rows(counts: Counter, labels: dict) -> list[list]:
    """One row per label key, most recorded first: recorded, then by review status; a total row."""
    keys = sorted({k for k, _s in counts}, key=lambda k: (-sum(v for (x, _s), v in counts.items() if x == k),
                                                            labels.get(k, "")))
    rows: list[list[Any]] = []
    for key in keys:
        by_status = [counts.get((key, status), 0) for status in REVIEW]
        rows.append([labels.get(key, "—"), sum(by_status), *by_status])
    totals = [sum(row[i] for row in rows) for i in range(1, len(REVIEW) + 2)]
    return [*rows, [_("Jumlah"), *totals]]


def _review_columns(first: str) -> list[str]:
    return [first, _("Dicatat"), *[str(status.label) for status in REVIEW]]


def _program_names() -> dict:
    return {str(pid): name for pid, name in db.session.execute(select(Program.id, Program.name))}


def participation_table(reader: Reader) -> Table:
    """Program participation (kepesertaan) recorded in the period, per program, by review status."""
    stmt = (select(Participation.program_id, Participation.status, func.count())
            .where(*_in_period(Participation, reader)).group_by(Participation.program_id, Participation.status))
    counts: Counter = Counter({(str(pid), status): n for pid, status, n in db.session.execute(stmt)})
    return Table("participation", _("Kepesertaan program yang dicatat, menurut program"),
                 _review_columns(_("Program")), _review_rows(counts, _program_names()), chart_columns=(),
                 note=_("Dicatat petugas dalam periode ini (kunjungan rumah, layanan, penanganan kasus); status "
                        "adalah keadaan penelaahannya sekarang."))


def needs_table(reader: Reader) -> Table:
    """Program needs (kebutuhan) recorded in the period, per program or service area, by review status."""
    stmt = (select(Need.program_id, Need.service_area, Need.status, func.count())
            .where(*_in_period(Need, reader)).group_by(Need.program_id, Need.service_area, Need.status))
    names = _program_names()
    labels: dict[str, str] = {}
    counts: Counter = Counter()
    for program_id, area, status, n in db.session.execute(stmt):
        key = f"p:{program_id}" if program_id else f"a:{area}"
        labels[key] = (names.get(str(program_id), "—") if program_id
                       else _("Bidang %(area)s", area=SERVICE_AREAS.get(area, area or "—")))
        counts[(key, status)] += n
    return Table("needs", _("Kebutuhan program yang dicatat, menurut program atau bidang"),
                 _review_columns(_("Program / bidang")), _review_rows(counts, labels), chart_columns=(),
                 note=_("Kebutuhan yang tidak menyebut program dihitung menurut bidang layanannya."))


def data_updates_table(reader: Reader) -> Table:
    """Data updates (verval) proposed in the period, per kind, by where each stands now."""
    stmt = (select(DataUpdate.kind, DataUpdate.status, DataUpdate.result, func.count())
            .where(*_in_period(DataUpdate, reader))
            .group_by(DataUpdate.kind, DataUpdate.status, DataUpdate.result))
    counts: Counter = Counter()
    for kind, status, result, n in db.session.execute(stmt):
        counts[(kind, prelist_stage(status, result))] += n
    stages = list(PRELIST_STAGES)
    rows: list[list[Any]] = []
    for kind in UpdateKind:
        values = [counts.get((str(kind), stage), 0) for stage in stages]
        if any(values):
            rows.append([str(kind.label), sum(values), *values])
    totals = [sum(row[i] for row in rows) for i in range(1, len(stages) + 2)]
    rows.append([_("Jumlah"), *totals])
    return Table("data_updates", _("Usulan pemutakhiran data (verval) dan hasilnya"),
                 [_("Jenis usulan"), _("Diusulkan"), *[str(label) for label in PRELIST_STAGES.values()]], rows,
                 chart_columns=(),
                 note=_("Usulan yang dibuat dalam periode ini; tahap adalah keadaannya sekarang: dalam penelaahan, "
                        "disetujui atau ditolak penelaah, lalu hasil dari Kementerian Sosial."))
