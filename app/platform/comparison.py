"""The comparison across regions: its columns, sorting, searching and pages, and its exports.

The figures are `app.dashboard.national.national_summary` (rollups, one grouped statement
per kind of figure for every region); this module only arranges them. The table is shown
in views of a few columns each (so it fits a 1280 px screen); the Excel and CSV files hold
every column. Exports write every cell through `app.reports.cells`, so a region or partner
name typed as a formula reaches the spreadsheet as text.

The "program" view (coverage and overlap from participation, `app.dashboard.national_programs`)
is the state now, not the period's; its figures are read only when that view is shown, a
program column sorts, or the table is exported, in two grouped statements for every region
the search matched (sorting and the totals need them all).
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.casework.vocabulary import Outcome, PartnerLevel
from app.dashboard.national import NationalRow, national_summary, national_total
from app.dashboard.national_programs import (
    ProgramFigures,
    national_program_codes,
    program_figures,
    short_code,
    total_of,
)
from app.dashboard.periods import Period
from app.programs.catalogue import national_programs
from app.reports.cells import SafeCsvWriter, append_safe
from app.reports.workbook import cell_value, unit_label

PER_PAGE = 50
#: National programs with a column of their own on screen (catalogue order); the exports hold every one.
SHOWN_PROGRAMS = 6
_PROGRAMS = "program_figures"  # the attribute a row's program figures are attached under


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    fmt: str  # text | int | hours | percent
    value: Callable[[NationalRow], object]


def _level(level: str) -> Callable[[NationalRow], object]:
    return lambda row: row.by_level.get(level, 0)


def _outcome(outcome: str) -> Callable[[NationalRow], object]:
    return lambda row: row.by_outcome.get(outcome, 0)


def _response(level: str) -> Callable[[NationalRow], object]:
    return lambda row: row.response_median(level)


def programs_of(row: NationalRow) -> ProgramFigures:
    """The program figures attached to a row (`attach_programs`); empty when none were read."""
    return getattr(row, _PROGRAMS, None) or ProgramFigures()


def _coverage(code: str) -> Callable[[NationalRow], object]:
    return lambda row: programs_of(row).coverage(code)


def _recipients(code: str) -> Callable[[NationalRow], object]:
    return lambda row: programs_of(row).by_code.get(code, 0)


def program_columns(shown: int | None = SHOWN_PROGRAMS) -> list[Column]:
    """The program view's columns; `shown=None`: every national program (the exports)."""
    codes = national_program_codes()
    return [
        Column("prog_registered", str(_l("RT di register")), "int", lambda r: programs_of(r).registered),
        Column("prog_receiving", str(_l("RT menerima program")), "int", lambda r: programs_of(r).receiving),
        Column("prog_receiving_share", str(_l("Bagian menerima")), "percent",
               lambda r: programs_of(r).share(programs_of(r).receiving)),
        *[Column(f"prog_cov_{code}", short_code(code), "percent", _coverage(code)) for code in codes[:shown]],
        Column("prog_multi", str(_l("RT 2+ program")), "int", lambda r: programs_of(r).multi),
    ]


def program_legend() -> str:
    """"PKH = Program Keluarga Harapan (PKH); …" for the program columns shown."""
    return "; ".join(f"{short_code(p['code'])} = {p['name']}" for p in national_programs()[:SHOWN_PROGRAMS])


def program_export_columns() -> list[Column]:
    """Columns only the exports hold: households known, and recipients per national program."""
    return [
        Column("prog_known", str(_l("RT dikenal")), "int", lambda r: programs_of(r).known),
        *[Column(f"prog_n_{code}", str(_l("RT penerima %(code)s", code=short_code(code))), "int", _recipients(code))
          for code in national_program_codes()],
    ]


def columns() -> dict[str, list[Column]]:
    """The table's views (view key → columns after the region's name); each fits 1280 px."""
    return {
        "summary": [
            Column("received", str(_l("Diterima")), "int", lambda r: r.received),
            Column("closed", str(_l("Selesai")), "int", lambda r: r.closed),
            Column("overdue", str(_l("Terlambat kini")), "int", lambda r: r.overdue),
            Column("sla", str(_l("Langkah tepat waktu")), "percent", lambda r: r.sla_share),
            Column("close_median", str(_l("Median sampai selesai")), "hours", lambda r: r.close_median_hours),
            Column("referrals", str(_l("Rujukan")), "int", lambda r: r.referrals),
            Column("response_median", str(_l("Median jawab rujukan")), "hours", lambda r: r.response_median()),
            Column("prelist", str(_l("Usulan daftar awal")), "int", lambda r: r.prelist),
        ],
        "referrals": [
            *[Column(f"level_{level}", str(PartnerLevel.label_of(level)), "int", _level(level))
              for level in PartnerLevel],
            *[Column(f"outcome_{outcome}", str(Outcome.label_of(outcome)), "int", _outcome(outcome))
              for outcome in Outcome],
        ],
        "response": [
            *[Column(f"response_{level}", str(PartnerLevel.label_of(level)), "hours", _response(level))
              for level in PartnerLevel],
            Column("response_all", str(_l("Semua tingkat")), "hours", lambda r: r.response_median()),
        ],
        "program": program_columns(),
    }


VIEWS = {"summary": _l("Ringkasan"), "referrals": _l("Rujukan menurut tingkat dan hasil"),
         "response": _l("Waktu jawab rujukan menurut tingkat"), "program": _l("Cakupan dan irisan program")}
REGION = "region"


def all_columns() -> list[Column]:
    """Every column any view shows, and the exports' own: what sorts and what is exported."""
    out: list[Column] = []
    groups = [program_columns(None) if key == "program" else group for key, group in columns().items()]
    for group in [*groups, program_export_columns()]:
        out.extend(c for c in group if c.key not in {o.key for o in out})
    return out


def is_program_column(key: str) -> bool:
    return key.startswith("prog_")


def attach_programs(rows: list[NationalRow]) -> None:
    """Read the rows' program figures (two grouped statements) and attach them to the rows."""
    figures = program_figures(r.tenant_id for r in rows if r.tenant_id is not None)
    for row in rows:
        found = figures.get(row.tenant_id) if row.tenant_id is not None else None
        setattr(row, _PROGRAMS, found or ProgramFigures())


def _total(rows: list[NationalRow]) -> NationalRow:
    total = national_total(rows)
    if any(hasattr(r, _PROGRAMS) for r in rows):
        setattr(total, _PROGRAMS, total_of(programs_of(r) for r in rows))
    return total


@dataclass
class Page:
    """One page of rows, with what `templates/_pagination.html` needs."""

    items: list[NationalRow]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass
class Query:
    """What the reader asked for: search text, sort column and direction, view, page."""

    q: str = ""
    sort: str = REGION
    descending: bool = False
    view: str = "summary"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Query:
        view = args.get("view", "summary")
        view = view if view in VIEWS else "summary"
        sort = args.get("sort", REGION)
        sort = sort if sort == REGION or sort in {c.key for c in all_columns()} else REGION
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        return cls(q=(args.get("q") or "").strip()[:100], sort=sort, descending=args.get("dir") == "desc",
                   view=view, page=page)

    def args(self, **changes) -> dict:
        """Query parameters for a link (the period's are added by the caller)."""
        values = {"q": self.q, "sort": self.sort, "dir": "desc" if self.descending else "asc", "view": self.view,
                  "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)
                and not (k == "sort" and v == REGION) and not (k == "dir" and v == "asc")
                and not (k == "view" and v == "summary")}

    def sort_args(self, key: str) -> dict:
        """The link of a column header: sort by it; again to reverse (numbers start largest first)."""
        if key == self.sort:
            return self.args(sort=key, dir="asc" if self.descending else "desc", page=1)
        return self.args(sort=key, dir="asc" if key == REGION else "desc", page=1)


def sort_rows(rows: list[NationalRow], key: str, descending: bool) -> list[NationalRow]:
    """Rows by one column; regions without a value (no median yet) always last; ties by name."""
    by_name = sorted(rows, key=lambda r: r.region.casefold())
    if key == REGION:
        return list(reversed(by_name)) if descending else by_name
    column = next(c for c in all_columns() if c.key == key)
    present = [r for r in by_name if column.value(r) is not None]
    missing = [r for r in by_name if column.value(r) is None]
    return sorted(present, key=lambda r: column.value(r), reverse=descending) + missing  # type: ignore[arg-type,return-value]


def comparison(period: Period, query: Query) -> tuple[Page, NationalRow]:
    """The page the reader asked for, and the totals over every region the search matched."""
    rows = national_summary(period, query=query.q)
    if query.view == "program" or is_program_column(query.sort):
        attach_programs(rows)
    rows = sort_rows(rows, query.sort, query.descending)
    pages = max(1, math.ceil(len(rows) / PER_PAGE))
    number = min(query.page, pages)
    start = (number - 1) * PER_PAGE
    return Page(rows[start:start + PER_PAGE], number, pages, len(rows)), _total(rows)


# --- exports ------------------------------------------------------------------------------------

def export_header() -> list[str]:
    return [str(_l("Daerah")), str(_l("Kode")), str(_l("Subdomain")), str(_l("Status")),
            *[unit_label(c.label, c.fmt) for c in all_columns()]]


def export_rows(period: Period, query: Query) -> list[list]:
    """Every region the search matched (all pages), in the chosen order, then the totals."""
    rows = national_summary(period, query=query.q)
    attach_programs(rows)
    rows = sort_rows(rows, query.sort, query.descending)
    cols = all_columns()
    out = [[r.region, r.code, r.slug, r.status, *[cell_value(c.value(r), c.fmt) for c in cols]] for r in rows]
    total = _total(rows)
    out.append([str(_l("Jumlah")), "", "", "", *[cell_value(c.value(total), c.fmt) for c in cols]])
    return out


def comparison_xlsx(facts: list[tuple[str, str]], rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_l("Perbandingan daerah")))
    sheet.column_dimensions["A"].width = 34
    for label, value in facts:
        append_safe(sheet, [label, value])
    sheet.append([])
    bold = Font(bold=True)
    header = []
    for text in export_header():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    append_safe(sheet, header)
    for row in rows:
        append_safe(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def comparison_csv(rows: list[list]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(export_header())
    writer.writerows(rows)
    return out.getvalue()
