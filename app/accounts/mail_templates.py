"""Mail bodies from `templates/mail/<name>.txt` and `<name>.html`, in the recipient's language."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale


def recipient_locale(email: str) -> str:
    """The language the person chose (User.locale) if they have an account, else the default."""
    from app.accounts.invitations import existing_account

    user = existing_account(email)
    return (user.locale if user is not None else None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def render_mail(template: str, locale: str, **context) -> tuple[str, str]:
    """(plain text, HTML) of mail template `template` rendered under `locale`."""
    with force_locale(locale):
        return (render_template(f"mail/{template}.txt", mail_locale=locale, **context),
                render_template(f"mail/{template}.html", mail_locale=locale, **context))
