"""The public verification page of a referral letter (the QR code on the letter leads here): nothing personal."""
from __future__ import annotations

from flask import current_app, make_response, render_template

from app.blueprints.public import bp
from app.casework.letters import verify_letter as find_letter
from app.extensions import limiter


def _verify_limit() -> str:
    """The same budget as the status check: tokens are not to be guessed."""
    return current_app.config.get("STATUS_RATE_LIMIT", "20 per minute")


@bp.get("/verify/<token>", endpoint="verify_letter")
@limiter.limit(_verify_limit)
def verify_letter(token):
    """Whether a letter with this token was issued here: its number, date, region, service and partner."""
    letter = find_letter(token)
    response = make_response(render_template("public/verify.html", letter=letter), 200 if letter else 404)
    response.headers["Cache-Control"] = "no-store"  # the token is the key: keep it out of shared caches
    return response
