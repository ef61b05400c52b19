"""A long list drawn straight on the canvas: the appendices of a report (thousands of rows).

reportlab's `Table` measures, splits and draws every cell as a flowable, and a wrapping cell as a
`Paragraph` with its own line-breaking pass each time; a list of 5,000 referrals took 2.7 s that way.
Here each row is laid out once (only a cell wider than its column is broken into lines), a page
break is a cut between two rows, and a page is one text object and one set of grid lines
(`scripts/bench_list_pdf.py` for the figures).

Every cell fits its column: a ticket number too long for it breaks after a "-", where a table's
plain cell ran into its neighbour. Cells are plain text, never parsed as markup, so a name or an
outcome is printed as typed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

ELLIPSIS = "…"
MEMO_LIMIT = 20_000  # fitted cells kept per list: cleared past this (unique tickets would otherwise pile up)


@dataclass(frozen=True)
class ListLook:
    """Fonts, padding and colours of a list; the defaults match the report's other tables."""

    font: str = "Helvetica"
    size: float = 7
    leading: float = 8.5
    head_font: str = "Helvetica-Bold"
    head_size: float = 7.5
    head_leading: float = 9
    pad_x: float = 3
    pad_top: float = 2
    pad_bottom: float = 3
    grid: str = "#bbbbbb"
    grid_width: float = 0.25
    head_background: str = "#eeeeee"
    max_lines: int = 30  # a cell never outgrows a page: longer text ends in "…"


LOOK = ListLook()


@dataclass(frozen=True)
class Row:
    lines: tuple[tuple[str, ...], ...]  # per cell, the lines it is drawn on
    height: float


def fitted(text: str, font: str, size: float, room: float, max_lines: int = LOOK.max_lines) -> tuple[str, ...]:
    """`text` in lines no wider than `room`: broken at spaces; a word still too wide (a ticket, a long
    name) after its last "-" or "/" that fits, else between letters. At most `max_lines`, the last ending
    in "…" when text was left out."""
    if "\n" not in text and stringWidth(text, font, size) <= room:
        return (text,)
    lines: list[str] = []
    for line in simpleSplit(text, font, size, room) or [""]:
        lines.extend(_broken(line, font, size, room))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + ELLIPSIS
    return tuple(lines)


def _broken(word: str, font: str, size: float, room: float) -> list[str]:
    """A line without spaces that is wider than `room`, cut after the last "-" or "/" that fits, else
    after as many letters as fit (at least one)."""
    pieces = []
    while len(word) > 1 and stringWidth(word, font, size) > room:
        marks = [i + 1 for i, char in enumerate(word[:-1]) if char in "-/"]
        fitting = [m for m in marks if stringWidth(word[:m], font, size) <= room]
        if fitting:
            cut = fitting[-1]
        else:
            low, high = 1, len(word) - 1  # the longest prefix that fits, by halving
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if stringWidth(word[:middle], font, size) <= room else (low, middle - 1)
            cut = low
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def lay_out(cells: Sequence[str], widths: Sequence[float], font: str, size: float, leading: float,
            look: ListLook = LOOK, memo: dict | None = None) -> Row:
    """A row's cells broken into the lines they are drawn on, and the row's height. `memo` keeps what
    was fitted for one list: most cells repeat (days, districts, institutions, statuses). It is the
    caller's, so names and numbers do not outlive the document being made."""
    memo = {} if memo is None else memo
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    laid = []
    for text, width in zip(cells, widths, strict=True):
        key = (text, width)
        if key not in memo:
            memo[key] = fitted(text, font, size, width - 2 * look.pad_x, look.max_lines)
        laid.append(memo[key])
    return Row(tuple(laid), max(len(lines) for lines in laid) * leading + look.pad_top + look.pad_bottom)


class ListTable(Flowable):
    """A header row and `rows` in a grid, the header repeated on every page the list runs onto."""

    def __init__(self, head: Row, rows: Sequence[Row], widths: Sequence[float], look: ListLook = LOOK):
        super().__init__()
        self.head, self.rows, self.widths, self.look = head, list(rows), list(widths), look
        self.width = sum(self.widths)
        self.height = head.height + sum(row.height for row in self.rows)

    @classmethod
    def of(cls, columns: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           look: ListLook = LOOK, memo: dict | None = None) -> ListTable:
        """`memo`: one dict for every chunk of the same list (see `lay_out`)."""
        memo = {} if memo is None else memo
        head = lay_out(columns, widths, look.head_font, look.head_size, look.head_leading, look)
        return cls(head, [lay_out(cells, widths, look.font, look.size, look.leading, look, memo) for cells in rows],
                   widths, look)

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def split(self, availWidth, availHeight):
        """The rows that fit under the header in `availHeight`, and the rest; none when not even one fits."""
        used, fits = self.head.height, 0
        for row in self.rows:
            if used + row.height > availHeight:
                break
            used += row.height
            fits += 1
        if fits == 0:
            return []
        if fits == len(self.rows):
            return [self]
        return [ListTable(self.head, self.rows[:fits], self.widths, self.look),
                ListTable(self.head, self.rows[fits:], self.widths, self.look)]

    def draw(self) -> None:
        canvas, look = self.canv, self.look
        canvas.saveState()
        top = self.height
        canvas.setFillColor(colors.HexColor(look.head_background))
        canvas.rect(0, top - self.head.height, self.width, self.head.height, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        text = canvas.beginText()
        text.setFont(look.head_font, look.head_size, look.head_leading)
        self._cells(text, self.head, top, look.head_size)
        text.setFont(look.font, look.size, look.leading)
        edges = [top]
        top -= self.head.height
        for row in self.rows:
            edges.append(top)
            self._cells(text, row, top, look.size)
            top -= row.height
        edges.append(top)
        canvas.drawText(text)
        canvas.setStrokeColor(colors.HexColor(look.grid))
        canvas.setLineWidth(look.grid_width)
        xs = [0.0]
        for width in self.widths:
            xs.append(xs[-1] + width)
        canvas.lines([(0, y, self.width, y) for y in edges] + [(x, 0, x, self.height) for x in xs])
        canvas.restoreState()

    def _cells(self, text, row: Row, top: float, size: float) -> None:
        """Each cell's lines from its top left; `textLine` moves down by the font's leading (and, unlike
        `textOut`, does not measure the text again)."""
        x = self.look.pad_x
        for lines, width in zip(row.lines, self.widths, strict=True):
            if lines != ("",):
                text.setTextOrigin(x, top - self.look.pad_top - size)
                for line in lines:
                    text.textLine(line)
            x += width
