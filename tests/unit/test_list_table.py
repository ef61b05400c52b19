"""The report's long lists drawn on the canvas (`app.reports.list_table`): every row on a page once and
in order, the header on every page, every cell inside its column, text printed as typed."""
from __future__ import annotations

import subprocess

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports import pdf
from app.reports.activity import LazyStory, list_story
from app.reports.list_table import ELLIPSIS, LOOK, ListTable, fitted

FONT, SIZE = LOOK.font, LOOK.size


def _pages(data: bytes) -> list[str]:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode().split("\f")[:-1]


def _list_pdf(rows: list[list], columns=("Tanggal", "Tiket", "Hasil")) -> bytes:
    story = list_story("Lampiran uji", list(columns), [rows[:250], rows[250:]], [20, 30, 50])
    return pdf.build_official_pdf(pdf.RunningHeader("Uji", "Kota Uji"), "Uji", LazyStory(story))


def test_every_row_lands_once_in_order_under_a_header_on_every_page(app):
    rows = [["01-02-2026", f"UJI-2026-{n:06d}", "Dilayani " * (n % 4)] for n in range(600)]
    with app.app_context():
        pages = _pages(_list_pdf(rows))
    assert len(pages) > 5
    tickets = [word for page in pages for word in page.split() if word.startswith("UJI-2026-")]
    assert tickets == [f"UJI-2026-{n:06d}" for n in range(600)]
    list_pages = [page for page in pages if "UJI-2026-" in page]
    assert all("Tanggal" in page and "Tiket" in page and "Hasil" in page for page in list_pages)
    assert "Jumlah: 600 baris." in " ".join(pages[-1].split())


def test_text_is_printed_as_typed_not_read_as_markup(app):
    with app.app_context():
        text = " ".join(" ".join(_pages(_list_pdf([["01-02-2026", "UJI-1", "<b>gratis</b> & PBI-JK"]]))).split())
    assert "<b>gratis</b> & PBI-JK" in text


@pytest.mark.parametrize("value", ["BEKASI-2026-000123", "PALEMBANG-2026-000001", "Abdulmadjidsyahputrawijaya",
                                   "Dinas Kesehatan Kota Bekasi dan RSUD dr. Chasbullah Abdulmadjid",
                                   "Kabupaten/Kota", "a\nb c", ""])
def test_every_line_fits_its_column_and_nothing_is_lost(value):
    room = 40.0
    lines = fitted(value, FONT, SIZE, room)
    assert all(stringWidth(line, FONT, SIZE) <= room for line in lines if len(line) > 1)
    assert "".join("".join(lines).split()) == "".join(value.split())


def test_a_ticket_breaks_after_a_dash_and_a_short_value_stays_on_one_line():
    assert fitted("BEKASI-2026-000123", FONT, SIZE, 50) == ("BEKASI-2026-", "000123")
    assert fitted("Kota", FONT, SIZE, 50) == ("Kota",)


def test_a_cell_longer_than_a_page_is_cut_with_an_ellipsis():
    lines = fitted("kata " * 2000, FONT, SIZE, 60)
    assert len(lines) == LOOK.max_lines and lines[-1].endswith(ELLIPSIS)
    row_height = LOOK.max_lines * LOOK.leading + LOOK.pad_top + LOOK.pad_bottom
    assert row_height < pdf.A4[1] - 2 * pdf.MARGIN - pdf.RUNNING_HEIGHT  # so every row fits on a page


def test_a_page_break_is_a_cut_between_rows():
    table = ListTable.of(["A", "B"], [[str(n), "x " * (n % 7)] for n in range(100)], [100, 100])
    first, rest = table.split(200, 300)
    assert first.height <= 300 < table.height
    assert len(first.rows) + len(rest.rows) == 100 and first.head is rest.head
    assert table.split(200, table.head.height + table.rows[0].height - 1) == []  # not even one row: next page
    assert table.split(200, table.height) == [table]


def test_what_a_list_remembers_of_its_cells_is_bounded_and_its_own(monkeypatch):
    from app.reports import list_table

    monkeypatch.setattr(list_table, "MEMO_LIMIT", 10)
    memo: dict = {}
    for n in range(25):
        list_table.lay_out([f"UJI-{n}", "Kota"], [60, 60], FONT, SIZE, LOOK.leading, memo=memo)
    assert 0 < len(memo) <= 11
    fresh = ListTable.of(["A"], [["x"]], [60])  # no memo given: one of its own, not a shared one
    assert fresh.rows[0].lines == (("x",),)
