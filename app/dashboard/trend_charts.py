"""Server-rendered SVG column charts for month-by-month trends: no JavaScript, no CDN.

One column per month; the value is written above the column when there is room, and each
column carries a <title> with the month and value (hover, screen readers). A month with
nothing to measure (a median without closings) has no column and a dash. Colours are SVG
presentation attributes (the CSP forbids inline style), as in `app.dashboard.charts`.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from app.dashboard.periods import formatted
from app.dashboard.trends import TrendFigure

WIDTH = 360
HEIGHT = 150
TOP = 16  # room for the value above the tallest column
AXIS = 18  # room for the month labels
COLOURS = {"int": "#2563eb", "hours": "#d97706", "percent": "#059669"}


def _short(value, unit: str) -> str:
    """The value above a column: whole numbers, hours as the dashboard writes them, shares in %."""
    if unit == "percent":
        return f"{round(100 * value)}%"
    return formatted(value, unit)


def column_chart(figure: TrendFigure, labels: list[str], axis: list[str] | None = None) -> Markup:
    """`figure`'s values (one per month, named `labels` in the tooltips and `axis` under the
    columns) as an inline <svg>. Shared attributes sit on groups and coordinates are whole
    numbers, so three years of months stay a few kilobytes."""
    axis = axis or labels
    values = figure.values
    count = max(1, len(values))
    slot = WIDTH / count
    bar = max(2.0, slot * 0.7)
    plot = HEIGHT - TOP - AXIS
    top = 1.0 if figure.unit == "percent" else max((v for v in values if v is not None), default=0) or 1
    label_every = 1 if count <= 12 else 3
    detailed = count <= 12  # values above the columns, dashes for months without one
    bars, notes, ticks = [], [], []
    for i, value in enumerate(values):
        centre = round(i * slot + slot / 2)
        text = "—" if value is None else _short(value, figure.unit)
        if value is None:
            if detailed:
                notes.append(f'<text x="{centre}" y="{HEIGHT - AXIS - 4}" fill="#6b7280">—<title>'
                             f'{escape(labels[i])}: —</title></text>')
        else:
            height = max(1, round(plot * min(1.0, float(value) / top))) if top else 1
            y = HEIGHT - AXIS - height
            bars.append(f'<rect x="{round(i * slot + (slot - bar) / 2)}" y="{y}" width="{round(bar)}" '
                        f'height="{height}"><title>{escape(labels[i])}: {escape(text)}</title></rect>')
            if detailed:
                notes.append(f'<text x="{centre}" y="{y - 3}" fill="#111827">{escape(text)}</text>')
        if i % label_every == 0:
            ticks.append(f'<text x="{centre}" y="{HEIGHT - 5}">{escape(axis[i])}</text>')
    colour = COLOURS.get(figure.unit, COLOURS["int"])
    return Markup(f'<svg class="chart trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
                  f'aria-label="{escape(figure.label)}" xmlns="http://www.w3.org/2000/svg">'
                  f'<title>{escape(figure.label)}</title>'
                  f'<line x1="0" y1="{HEIGHT - AXIS}" x2="{WIDTH}" y2="{HEIGHT - AXIS}" stroke="#9ca3af"/>'
                  f'<g fill="{colour}">{"".join(bars)}</g>'
                  f'<g font-size="10" text-anchor="middle">{"".join(notes)}</g>'
                  f'<g font-size="10" text-anchor="middle" fill="#374151">{"".join(ticks)}</g></svg>')
