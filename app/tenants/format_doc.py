"""The region template format (FORMAT.md) as HTML: the same file the templates follow.

Rendered with markdown-it-py in CommonMark mode with tables and with raw HTML off, so the
page shows the file's text and nothing it could smuggle in (no HTML, no `javascript:` links).
Both help pages read it from here: the region's (/settings/format, for whoever configures it)
and the national console's (/console/format, for the onboarding wizard's uploads).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from flask import current_app
from markdown_it import MarkdownIt
from markupsafe import Markup

FORMAT_FILE = Path("tenants") / "templates" / "FORMAT.md"


def _anchor(text: str, taken: set[str]) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "bagian"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def render_markdown(text: str) -> tuple[Markup, list[tuple[int, str, str]]]:
    """(HTML, headings) of a Markdown text: headings get ids, tables and code scroll on their own on a phone.

    Headings move one level down (the page has its own h1); those of the file's levels 2 and 3
    are returned as (level, text, id) for a table of contents.
    """
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(text)
    headings: list[tuple[int, str, str]] = []
    taken: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(level + 1, 6)}"  # one level down: the page has its own h1
        if token.type == "heading_open":
            title = tokens[index + 1].content
            anchor = _anchor(title, taken)
            token.attrSet("id", anchor)
            if level in (2, 3):
                headings.append((level, title.replace("`", ""), anchor))
    md.add_render_rule("table_open", lambda *a: '<div class="overflow-auto" tabindex="0"><table>\n')
    md.add_render_rule("table_close", lambda *a: "</table></div>\n")
    html = md.renderer.render(tokens, md.options, {})
    # A block that scrolls sideways on a phone must be reachable by keyboard. Raw HTML is off, so
    # every "<pre>" here is the renderer's own (the file's text arrives escaped).
    return Markup(html.replace("<pre>", '<pre tabindex="0">')), headings


def format_help() -> tuple[Markup, list[tuple[int, str, str]]]:
    """FORMAT.md rendered: (HTML, headings for a table of contents)."""
    return render_markdown((Path(current_app.root_path) / FORMAT_FILE).read_text(encoding="utf-8"))
