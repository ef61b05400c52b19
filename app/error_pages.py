"""Error answers that suit the request: a whole page for a browser, a fragment for htmx.

An htmx request that swaps part of a page (a list, a form, a panel) must never get a whole
page back, or the page ends up nested inside the list. It gets the error's message alone,
retargeted to the page-level message area of `base.html` so it is seen wherever the request
came from. A boosted navigation swaps the whole body, so it gets the whole page like a browser.
"""
from __future__ import annotations

from flask import render_template

from app.extensions import htmx

#: The page-level message area in base.html that error fragments land in.
MESSAGE_AREA = "#page-message"


def wants_fragment() -> bool:
    """An htmx request that swaps part of a page (not a boosted navigation)."""
    return bool(htmx) and not htmx.boosted


def error_answer(template: str, status: int, **context):
    """`template` (extending errors/_error.html) as a page, or its message as an htmx fragment."""
    if wants_fragment():
        body = render_template(template, fragment=True, **context)
        return body, status, {"HX-Retarget": MESSAGE_AREA, "HX-Reswap": "innerHTML show:top"}
    return render_template(template, **context), status


def render_error(error):
    """The error handler for HTTP errors: errors/<code>.html, page or fragment."""
    code = getattr(error, "code", None) or 500
    return error_answer(f"errors/{code}.html", code, error=error)
