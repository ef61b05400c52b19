"""The JSON API at /api/v1/ (tokens of the host's region only), and the managers' token page.

Every answer is JSON, errors included (401/403/404/422/429 from one handler), never cached;
the blueprint is exempt from CSRF because it takes no cookies: only `Authorization: Bearer`.
"""
from __future__ import annotations

import hashlib
from functools import wraps

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.api.tokens import authenticate
from app.errors import Refused
from app.extensions import csrf, limiter
from app.platform.audit import record_here
from app.tenancy.context import current_tenant_id

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC_ENDPOINTS = {"api.openapi"}


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "120 per minute")


def _token_key() -> str:
    """Per token (its hash), per region; requests without a token count per address."""
    header = request.headers.get("Authorization", "")
    basis = hashlib.sha256(header.encode("utf-8", "surrogatepass")).hexdigest() if header else request.remote_addr
    return f"api:{current_tenant_id()}:{basis}"


limiter.limit(_rate_limit, key_func=_token_key)(bp)


@bp.before_request
def require_token():
    if current_tenant_id() is None:
        abort(404)  # the API lives at a region's host only
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    token = authenticate(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        abort(401)
    g.api_token = token
    record_here("api.use", durable=True, object_type="api_token", object_id=token.id, token=token.prefix,
                endpoint=request.endpoint, method=request.method, path=request.path)
    return None


def writes(view):
    """Only a read-write token may call this route."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not g.api_token.may_write:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


MESSAGES = {400: _l("Permintaan tidak sah."), 401: _l("Token API tidak ada atau tidak berlaku."),
            403: _l("Token ini hanya boleh membaca."), 404: _l("Tidak ditemukan."),
            405: _l("Metode tidak diizinkan."), 422: _l("Data tidak sah."),
            429: _l("Terlalu banyak permintaan; coba lagi nanti.")}


def error_body(status: int, message: str, errors: dict | None = None):
    response = jsonify({"status": status, "message": message, "errors": errors or {}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="slrt"'
    return response


def http_error(exc: HTTPException):
    status = exc.code or 500
    message = str(MESSAGES[status]) if status in MESSAGES else exc.name
    return error_body(status, message)


# By code too: the app's own handlers for these codes would otherwise win over a class handler here.
bp.register_error_handler(HTTPException, http_error)
for _code in (400, 401, 403, 404, 405, 409, 410, 413, 429, 500):
    bp.register_error_handler(_code, http_error)


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return error_body(exc.status, exc.message or str(MESSAGES[422]), exc.errors)


@bp.after_request
def never_cached(response):
    response.headers["Cache-Control"] = "no-store"
    return response


from app.blueprints.api import routes  # noqa: E402,F401
