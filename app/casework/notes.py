"""What counts as written text in a note or a reason: blanks and invisible characters do not.

A browser sends a textarea holding only spaces, line breaks, non-breaking or zero-width
spaces as that text; none of it says anything, so a step whose note is required, or an
action that needs a reason, treats it as empty.
"""
from __future__ import annotations

import re

#: Zero-width and other invisible format characters that `str.strip` keeps.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def meaningful(text: str | None) -> str:
    """`text` without invisible characters and surrounding blanks ("" when nothing is written)."""
    return _INVISIBLE.sub("", text or "").strip()
