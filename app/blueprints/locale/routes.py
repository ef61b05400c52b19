"""The language switcher in the page header."""
from flask import abort, redirect, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField

from app.accounts.locale import LOCALE_NAMES, LOCALES, choose_locale
from app.blueprints.auth.routes import _safe_next
from app.blueprints.locale import bp


class LocaleForm(FlaskForm):
    locale = SelectField(choices=[(code, LOCALE_NAMES[code]) for code in LOCALES])


@bp.post("/language")
def switch():
    """Serve this browser (and the logged-in account) in the chosen language, then go back."""
    form = LocaleForm()
    if not form.validate_on_submit():
        abort(400)
    choose_locale(form.locale.data)
    return redirect(_safe_next() or url_for("home.index"))


@bp.app_context_processor
def locale_globals() -> dict:
    """`current_locale()` (for `<html lang>`) and the languages the switcher offers."""
    from app.accounts.locale import current_locale

    return {"current_locale": current_locale, "LOCALE_NAMES": LOCALE_NAMES}


@bp.after_app_request
def vary_on_language(response):
    """A page's language depends on Accept-Language (and the session cookie): tell caches so."""
    response.vary.add("Accept-Language")
    return response
