"""A ranking as a PDF (A4 landscape, under the region's letterhead) and as an Excel workbook.

Both carry what the decision needs and what makes the order checkable: the program, the area,
the weights with their legal basis (numbered B1, B2, …), the tie-break rule, the decision and
decree, and each candidate's position, head of household, area, decile, members, head's age,
score and the weights that gave it points. KK numbers and NIKs are masked as in every list
(`mask_nik`); the head's name is whole, since the decision names people. Every export is audited.
Excel cells go through `append_safe` (no formula injection).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask_babel import format_date
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.audit.log import record
from app.citizens.identity import mask_nik
from app.programs.ranking import TIE_BREAK_RULE
from app.programs.ranking_job import require_computed
from app.programs.ranking_views import ExportRow, RankingFacts, export_rows
from app.programs.vocabulary import RankingStatus
from app.reference.citations import citation_plain
from app.reports.cells import append_safe

#: At most this many rows in one file: a PDF is for reading and signing (5,000 rows ≈ 110 pages),
#: a workbook for working with the whole list; past the cap the file says so.
PDF_LIMIT = 5000
XLSX_LIMIT = 100_000


@dataclass
class Export:
    content: bytes
    rows: int
    filename: str
    capped: bool = False


def available_rows(facts: RankingFacts, proposed_only: bool) -> int:
    """How many rows the export would hold uncapped."""
    from app.programs.ranking_decision import ticked_count

    return ticked_count(facts.ranking) if proposed_only else facts.ranking.candidate_count


def cap_note(rows: int, available: int, limit: int) -> str:
    """The line a capped file carries ("" when everything is in it)."""
    if available <= limit:
        return ""
    return _("Hanya %(rows)s baris pertama dari %(total)s; daftar lengkap ada di berkas Excel.", rows=rows,
             total=available) if limit == PDF_LIMIT else _("Hanya %(rows)s baris pertama dari %(total)s.",
                                                             rows=rows, total=available)


def weight_code(index: int) -> str:
    """B1, B2, … the number a weight has in the exports' weights table."""
    return f"B{index + 1}"


def weight_lines(weights: list[dict], labels: list[str]) -> list[tuple[str, str, int, str]]:
    """(code, condition in words, points, legal basis) for each weight."""
    return [(weight_code(i), labels[i], int(w.get("points") or 0), citation_plain(w.get("legal_basis")))
            for i, w in enumerate(weights)]


def points_text(points: list[dict]) -> str:
    """"B1 +30, B3 +10": the weights a candidate met, by their number in the weights table."""
    return ", ".join(f"{_code(p)} {int(p.get('points') or 0):+d}" for p in points) or "—"


def _code(point: dict) -> str:
    index = point.get("weight")
    return weight_code(index) if isinstance(index, int) else str(point.get("label", ""))


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def summary_lines(facts: RankingFacts, rows: int, proposed_only: bool, note: str = "") -> list[tuple[str, str]]:
    """The facts above the table, as (label, value)."""
    ranking = facts.ranking
    lines = [(_("Program"), f"{facts.program.name} ({facts.program.code})"),
             (_("Wilayah"), _("Kecamatan %(name)s", name=facts.district_name) if facts.district_code
              else _("Seluruh wilayah")),
             (_("Dihitung"), _("%(day)s oleh %(name)s", day=format_date(ranking.created_at, "d MMMM yyyy"),
                               name=facts.created_by or "—")),
             (_("Jumlah calon"), str(ranking.candidate_count)),
             (_("Status"), RankingStatus.label_of(ranking.status))]
    if ranking.status == RankingStatus.DECIDED and ranking.decree_date is not None:
        lines.append((_("Keputusan"), _("SK nomor %(number)s tanggal %(day)s", number=ranking.decree_number,
                                        day=format_date(ranking.decree_date, "d MMMM yyyy"))))
    lines.append((_("Isi daftar"), _("Hanya yang diusulkan") if proposed_only else _("Semua calon")))
    lines.append((_("Baris"), f"{rows} — {note}" if note else str(rows)))
    return lines


def columns() -> list[str]:
    return [_("Peringkat"), _("No. KK"), _("Kepala keluarga"), _("NIK kepala keluarga"), _("Desa/Kelurahan"),
            _("Kecamatan"), _("Desil"), _("Anggota"), _("Umur kepala"), _("Nilai"), _("Rincian poin"),
            _("Diusulkan")]


def row_values(row: ExportRow, day: date) -> list:
    return [row.position, mask_nik(row.kk_number), row.head_name or "—", mask_nik(row.head_nik) if row.head_nik
            else "—", row.village_name, row.district_name, row.decile, row.member_count,
            age_on(row.head_birth_date, day), row.score, points_text(row.points),
            _("Ya") if row.proposed else ""]


def _bold(ws, values: list) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def ranking_workbook(facts: RankingFacts, labels: list[str], proposed_only: bool = False) -> Export:
    """The ranking as an .xlsx file (write-only: rows stream, memory stays flat); audited."""
    ranking = facts.ranking
    require_computed(ranking)
    day = ranking.created_at.date()
    book = Workbook(write_only=True)
    about = book.create_sheet(_("Keterangan"))  # first in the file, written once the rows are counted
    sheet = book.create_sheet(_("Peringkat"))
    append_safe(sheet, _bold(sheet, columns()))
    count = 0
    for chunk in export_rows(ranking, proposed_only, XLSX_LIMIT):
        for row in chunk:
            append_safe(sheet, row_values(row, day))
        count += len(chunk)
    note = cap_note(count, available_rows(facts, proposed_only), XLSX_LIMIT)
    append_safe(about, _bold(about, [_("Peringkat calon penerima manfaat")]))
    for label, value in summary_lines(facts, count, proposed_only, note):
        append_safe(about, [label, value])
    about.append([])
    append_safe(about, _bold(about, [_("Bobot"), _("Syarat"), _("Poin"), _("Dasar hukum")]))
    for line in weight_lines(ranking.weights or [], labels):
        append_safe(about, list(line))
    about.append([])
    append_safe(about, [_("Aturan bila nilai sama"), str(TIE_BREAK_RULE)])
    out = BytesIO()
    book.save(out)
    _audit(facts, "xlsx", count, proposed_only)
    return Export(out.getvalue(), count, _filename(facts, "xlsx"), capped=bool(note))


def _filename(facts: RankingFacts, ext: str) -> str:
    return f"peringkat-{facts.program.code.lower()}-{facts.ranking.created_at:%Y%m%d}.{ext}"


def _audit(facts: RankingFacts, fmt: str, rows: int, proposed_only: bool) -> None:
    record("ranking.export", "ranking", facts.ranking.id, program=facts.program.code, format=fmt, rows=rows,
           proposed_only=proposed_only)


def ranking_pdf(facts: RankingFacts, labels: list[str], tenant, proposed_only: bool = False) -> Export:
    """The ranking as a PDF under the region's letterhead; audited."""
    from app.programs.ranking_pdf import build_ranking_pdf

    require_computed(facts.ranking)
    content, count, capped = build_ranking_pdf(facts, labels, tenant, proposed_only)
    _audit(facts, "pdf", count, proposed_only)
    return Export(content, count, _filename(facts, "pdf"), capped=capped)
