"""Guards every request passes, whatever the route.

* A NUL byte in the path, a query-string or form key or value is refused with 400 and an
  Indonesian message before any route sees it: PostgreSQL cannot store NUL in text, and no
  person types one.
* Responses that may carry personal data are never kept by the browser or a proxy: every
  response to a signed-in user, to a form post (the public status check) and every file
  download gets `Cache-Control: no-store`. Static files (CSS, scripts) keep their caching.
"""
from __future__ import annotations

from flask import Flask, g, request, session
from flask_babel import gettext as _

from app.error_pages import error_answer


def register_guards(app: Flask) -> None:
    """Install the guards (the NUL check runs before any other request hook)."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_bytes)
    app.after_request(no_store_for_private_responses)


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values)


def refuse_nul_bytes():
    """400 with a message when the path, the query string or a form field holds a NUL byte."""
    if request.endpoint == "static":
        return None
    if "\x00" in request.path or _has_nul(request.args) or (request.method != "GET" and _has_nul(request.form)):
        heading = _("Permintaan tidak dapat diproses")
        message = _("Alamat atau isian berisi karakter yang tidak sah (NUL). Periksa lagi isian Anda, "
                    "lalu coba kembali.")
        return error_answer("errors/400.html", 400, heading=heading, message=message)
    return None


DOWNLOAD_TYPES = frozenset({"application/pdf", "text/csv", "application/yaml",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})


def _signed_in() -> bool:
    user = g.get("_login_user")  # loaded by Flask-Login during this request, if at all
    return bool(getattr(user, "is_authenticated", False) or "_user_id" in session)


def no_store_for_private_responses(response):
    """`Cache-Control: no-store` on pages for signed-in users, answers to posts and downloads."""
    if request.endpoint == "static":
        return response
    download = ("attachment" in response.headers.get("Content-Disposition", "")
                or response.mimetype in DOWNLOAD_TYPES)
    if download or request.method not in ("GET", "HEAD") or _signed_in():
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
