"""Server-rendered SVG bar charts: no JavaScript, no CDN, nothing but escaped markup.

Horizontal bars with the label above each bar, so long Indonesian names stay readable on a
phone. Colours are SVG presentation attributes (the CSP forbids inline style).
Each chart is drawn from a `Table`; the table itself is shown one click away.
"""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.dashboard.periods import hours_text, number
from app.dashboard.queries import Table

WIDTH = 360
VALUE_SPACE = 60
LABEL_HEIGHT = 17
BAR_HEIGHT = 14
ROW_GAP = 10
MAX_LABEL = 48
MAX_ROWS = 25
PALETTE = ("#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d")
#: Series whose meaning has a natural colour (done = green, refused = red, waiting = grey).
SERIES_COLOURS = {
    "prelist": ("#2563eb", "#059669", "#dc2626", "#065f46", "#7f1d1d"),
    "access_districts": ("#059669", "#9ca3af"),
    "referral_levels": ("#2563eb", "#059669"),
    "gaps_by_area": ("#059669", "#dc2626", "#9ca3af"),
    "monthly": ("#2563eb", "#059669"),
}


def _fmt(value: float, unit: str) -> str:
    return hours_text(value) if unit == "hours" else number(round(value))


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def _legend(series: list[str], colours: tuple[str, ...]) -> tuple[list[str], int]:
    parts: list[str] = []
    x: float = 0
    y = 0
    for i, name in enumerate(series):
        width = 18 + 6.6 * len(name) + 14
        if x and x + width > WIDTH:
            x, y = 0, y + 18
        parts.append(f'<rect x="{x}" y="{y + 2}" width="12" height="12" fill="{colours[i % len(colours)]}"/>'
                     f'<text x="{x + 17}" y="{y + 12}" font-size="12" fill="#374151">{escape(name)}</text>')
        x += width
    return parts, y + 24


def bar_chart(table: Table) -> Markup:
    """The table's chart as an inline <svg>, or an empty string when there is nothing to draw."""
    rows = table.chart_rows(MAX_ROWS)
    if not table.chart_columns or not rows:
        return Markup("")
    series, unit = table.chart_series, table.chart_unit
    colours = SERIES_COLOURS.get(table.key, PALETTE)
    several = len(series) > 1
    stacked = several and table.stacked
    scale_max = max((sum(v) if stacked else max(v)) for _label_, v in rows) or 1
    usable = WIDTH - VALUE_SPACE
    parts: list[str] = []
    y = 0
    if several:
        parts, y = _legend(series, colours)
    bars_per_row = len(series) if several and not stacked else 1
    for label, values in rows:
        total = sum(values)
        parts.append(f'<g><title>{escape(label)}: {escape(_fmt(total if stacked else values[0], unit))}</title>')
        parts.append(f'<text x="0" y="{y + 13}" font-size="13" fill="#111827">{escape(_label(label))}</text>')
        top = y + LABEL_HEIGHT
        if stacked or not several:
            x = 0.0
            for i, value in enumerate(values):
                width = usable * value / scale_max
                if width > 0:
                    parts.append(f'<rect x="{x:.1f}" y="{top}" width="{max(width, 1):.1f}" height="{BAR_HEIGHT}" '
                                 f'fill="{colours[i % len(colours)]}"/>')
                x += width
            parts.append(f'<text x="{x + 6:.1f}" y="{top + 12}" font-size="13" fill="#111827">'
                         f'{escape(_fmt(total, unit))}</text>')
        else:
            for i, value in enumerate(values):
                width = usable * value / scale_max
                bar_top = top + i * (BAR_HEIGHT - 3)
                parts.append(f'<rect x="0" y="{bar_top}" width="{max(width, 1):.1f}" height="{BAR_HEIGHT - 4}" '
                             f'fill="{colours[i % len(colours)]}"/>')
                parts.append(f'<text x="{width + 6:.1f}" y="{bar_top + 10}" font-size="11" fill="#111827">'
                             f'{escape(_fmt(value, unit))}</text>')
        parts.append("</g>")
        y = top + bars_per_row * (BAR_HEIGHT - (3 if bars_per_row > 1 else 0)) + ROW_GAP
    if table.chart_is_cut(MAX_ROWS):
        note = _("%(n)s baris terbesar; semuanya ada di tabel.", n=MAX_ROWS)
        parts.append(f'<text x="0" y="{y + 4}" font-size="11" fill="#6b7280">{escape(note)}</text>')
        y += 14
    height = y
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
                  f'aria-label="{escape(table.title)}" xmlns="http://www.w3.org/2000/svg">'
                  f'<title>{escape(table.title)}</title>{"".join(parts)}</svg>')
