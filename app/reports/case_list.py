"""The case list as an Excel workbook: the member's current filter and order, capped in size.

Every cell goes through `append_safe` (`app.reports.cells`), and each export is audited
with the filter it used and the number of rows it carried.
"""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook

from app.audit.log import record
from app.casework.inbox import InboxFilters, ordered_cases
from app.extensions import db
from app.org.service_areas import area_label
from app.reports.cells import append_safe
from app.templating import localtime

#: At most this many cases in one file; a larger list asks for a narrower filter.
EXPORT_LIMIT = 5000


@dataclass
class CaseListExport:
    content: bytes
    rows: int
    capped: bool


def _columns() -> list[str]:
    return [_("Tiket"), _("Warga"), _("Bidang"), _("Tahap"), _("Petugas"), _("Diterima"), _("Batas waktu"),
            _("Selesai")]


def _row(case) -> list:
    sop = case.sop_version.sop
    return [case.ticket, case.party_name, area_label(case.service_area),
            sop.state(case.state).label if case.state in sop.states else case.state,
            case.assignee.name if case.assignee else _("tanpa petugas"),
            localtime(case.created_at), localtime(case.due_at), localtime(case.closed_at)]


def export_case_list(membership, filters: InboxFilters) -> CaseListExport:
    """The cases of `filters` (as the list shows them, every page) as an .xlsx file."""
    limit = EXPORT_LIMIT
    cases = db.session.scalars(ordered_cases(membership, filters).limit(limit + 1)).all()
    capped = len(cases) > limit
    cases = cases[:limit]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Kasus"))
    append_safe(sheet, _columns())
    for case in cases:
        append_safe(sheet, _row(case))
    if capped:
        append_safe(sheet, [])
        append_safe(sheet, [_("Hanya %(n)s baris pertama; persempit saringan untuk melihat sisanya.", n=limit)])
    out = BytesIO()
    book.save(out)
    record("case.export", "case", "", view=filters.view, q=filters.q, state=filters.state,
           service_area=filters.service_area, district=filters.district, overdue=filters.overdue,
           sort=filters.sort, rows=len(cases), capped=capped)
    return CaseListExport(out.getvalue(), len(cases), capped)
