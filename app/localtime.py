"""The platform's local time zone (WIB unless `BABEL_DEFAULT_TIMEZONE` says otherwise): where a day
or a month begins for counts, letters and reports."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app

DEFAULT_TIMEZONE = "Asia/Jakarta"


def local_zone() -> ZoneInfo:
    """The configured local zone (in an app context)."""
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE)
