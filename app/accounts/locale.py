"""Which language a request is served in, and saving a person's choice.

Order: the logged-in user's saved choice, then the choice made in this browser's session
(e.g. on the login page), then the best match of the browser's Accept-Language, then
Indonesian. Background jobs have no request: they run under `force_locale` with the
locale recorded when the work was requested.
"""
from __future__ import annotations

from flask import has_request_context, request, session
from flask_login import current_user

LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"
SESSION_KEY = "locale"
#: Each language names itself, so a person who cannot read the current one still finds theirs.
LOCALE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale() -> str:
    """Flask-Babel's locale selector for the current request (Indonesian outside a request)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    saved = _saved_choice()
    if saved in LOCALES:
        return saved
    chosen = session.get(SESSION_KEY)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def _saved_choice() -> str | None:
    user = getattr(current_user, "user", None) if current_user else None
    return getattr(user, "locale", None)


def choose_locale(locale: str) -> None:
    """Remember `locale` for this browser, and on the account of whoever is logged in."""
    if locale not in LOCALES:
        raise ValueError(locale)
    session[SESSION_KEY] = locale
    user = getattr(current_user, "user", None)
    if user is not None:
        user.locale = locale
    from flask_babel import refresh

    refresh()


def current_locale() -> str:
    """The locale this request is served in, as a plain code ('id' or 'en')."""
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale.language) if locale is not None else DEFAULT_LOCALE
