"""The API's routes: parse the request, call one query or operation, answer JSON."""
from __future__ import annotations

import uuid

from flask import jsonify, request

from app.api import queries, webhooks
from app.blueprints.api import bp, writes
from app.blueprints.api.openapi import document


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/cases")
def cases():
    return jsonify(queries.cases_page(request.args.get("status"), queries.page_number(request.args.get("page"))))


@bp.get("/cases/<ticket>")
def case(ticket: str):
    found = queries.case_by_ticket(ticket)
    return jsonify(queries.case_summary(found, queries.utcnow()))


@bp.get("/cases/<ticket>/status")
def case_status(ticket: str):
    return jsonify(queries.case_status(queries.case_by_ticket(ticket)))


@bp.get("/referrals")
def referrals():
    return jsonify(queries.referrals_page(queries.page_number(request.args.get("page"))))


@bp.get("/programs")
def programs():
    return jsonify(queries.programs_list(request.args.get("level")))


@bp.get("/figures")
def figures():
    return jsonify(queries.figures_between(request.args.get("from"), request.args.get("to")))


def _webhook(hook, secret: bool = False) -> dict:
    body = {"id": str(hook.id), "url": hook.url, "events": hook.events, "created_at": queries.iso(hook.created_at)}
    if secret:
        body["secret"] = hook.secret  # shown once, to sign-check deliveries
    return body


@bp.get("/webhooks")
@writes
def webhook_list():
    return jsonify({"items": [_webhook(h) for h in webhooks.webhooks()]})


@bp.post("/webhooks")
@writes
def webhook_add():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {}
    hook = webhooks.add_webhook(body.get("url"), body.get("events"))
    return jsonify(_webhook(hook, secret=True)), 201


@bp.delete("/webhooks/<uuid:hook_id>")
@writes
def webhook_remove(hook_id: uuid.UUID):
    webhooks.remove_webhook(hook_id)
    return "", 204
