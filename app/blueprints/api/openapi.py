"""The OpenAPI 3.1 description of /api/v1/, written by hand (a test checks it names every route)."""
from __future__ import annotations

from app.programs.vocabulary import ProgramLevel

LEVEL = {"enum": [level.value for level in ProgramLevel]}

STAMP = {"type": ["string", "null"], "format": "date-time"}
TICKET = {"name": "ticket", "in": "path", "required": True,
          "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,40}$"}}
PAGE = {"name": "page", "in": "query", "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100000}}
ERROR = {"type": "object", "required": ["status", "message", "errors"],
         "properties": {"status": {"type": "integer"}, "message": {"type": "string"},
                        "errors": {"type": "object", "additionalProperties": {"type": "array",
                                                                              "items": {"type": "string"}}}}}
CASE = {"type": "object", "required": ["ticket", "stage", "service_area", "district_code", "received_at", "overdue"],
        "properties": {"ticket": {"type": "string"}, "stage": {"type": "string"},
                       "service_area": {"type": "string"}, "district_code": {"type": "string"},
                       "received_at": STAMP, "due_at": STAMP, "closed_at": STAMP,
                       "closure": {"type": ["string", "null"]}, "overdue": {"type": "boolean"}}}
STATUS = {"type": "object", "required": ["ticket", "stage", "open", "overdue"],
          "properties": {"ticket": {"type": "string"}, "stage": {"type": "string"}, "open": {"type": "boolean"},
                         "overdue": {"type": "boolean"}, "stage_entered_at": STAMP, "due_at": STAMP,
                         "closed_at": STAMP}}
REFERRAL = {"type": "object", "required": ["id", "ticket", "partner", "level", "status"],
            "properties": {"id": {"type": "string", "format": "uuid"}, "ticket": {"type": "string"},
                           "partner": {"type": "string"}, "level": {"type": "string"},
                           "status": {"type": "string"}, "outcome": {"type": ["string", "null"]},
                           "requested_at": STAMP, "sent_at": STAMP, "answered_at": STAMP, "completed_at": STAMP}}
FIGURES = {"type": "object", "required": ["from", "to", "totals", "tables"],
           "properties": {"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
                          "totals": {"type": "object"},
                          "tables": {"type": "array", "items": {
                              "type": "object", "required": ["key", "columns", "rows"],
                              "properties": {"key": {"type": "string"}, "title": {"type": "string"},
                                             "columns": {"type": "array"}, "rows": {"type": "array"}}}}}}
CONDITION = {"type": "object", "required": ["attribute", "op", "value", "legal_basis", "text"],
             "properties": {"attribute": {"type": "string"}, "op": {"type": "string"}, "value": {},
                            "legal_basis": {"type": "string"}, "text": {"type": "string"}}}
PROGRAM = {"type": "object", "required": ["code", "name", "level", "description", "legal_basis", "member_level",
                                          "criteria"],
           "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                          "level": LEVEL,
                          "partner": {"type": ["string", "null"]}, "description": {"type": "string"},
                          "legal_basis": {"type": "string"}, "register_flag": {"type": ["string", "null"]},
                          "member_level": {"type": "boolean"}, "criteria": {"type": "array", "items": CONDITION}}}
WEBHOOK = {"type": "object", "required": ["id", "url", "events", "created_at"],
           "properties": {"id": {"type": "string", "format": "uuid"}, "url": {"type": "string"},
                          "events": {"type": "array", "items": {"type": "string"}},
                          "created_at": {"type": "string", "format": "date-time"},
                          "secret": {"type": "string"}}}


def page_of(item: dict) -> dict:
    return {"type": "object", "required": ["items", "page", "pages", "total"],
            "properties": {"items": {"type": "array", "items": item}, "page": {"type": "integer"},
                           "pages": {"type": "integer"}, "total": {"type": "integer"}}}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    words = {401: "No valid token of this region", 403: "The token may only read", 404: "Not found",
             422: "Invalid parameters", 429: "Rate limit reached"}
    return {str(c): _json({"$ref": "#/components/schemas/Error"}, words[c]) for c in (401, 429, *codes)}


def _get(summary: str, schema: dict, params: tuple = (), *codes: int) -> dict:
    return {"get": {"summary": summary, "parameters": list(params), "responses": {"200": _json(schema),
                                                                                  **_errors(*codes)}}}


def document() -> dict:
    webhooks_path = {
        "get": {"summary": "Active webhooks (read-write token)", "responses": {
            "200": _json({"type": "object", "required": ["items"],
                          "properties": {"items": {"type": "array", "items": WEBHOOK}}}), **_errors(403)}},
        "post": {"summary": "Add a webhook for case events (read-write token); the secret is shown once",
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "required": ["url"],
                     "properties": {"url": {"type": "string", "format": "uri"},
                                    "events": {"type": "array", "items": {"enum": ["case.event"]}}}}}}},
                 "responses": {"201": _json(WEBHOOK, "Created"), **_errors(403, 422)}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "SLRT Cloud API", "version": "1.0.0",
                 "description": "A region's cases, referrals and aggregated figures for its other systems. "
                                "Call it at the region's own host with a token of that region. Case events "
                                "are posted to webhooks with `X-SLRT-Signature: sha256=<HMAC-SHA256 of the "
                                "body with the webhook's secret>`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {"Error": ERROR}},
        "paths": {
            "/openapi.json": {"get": {"summary": "This description", "security": [],
                                      "responses": {"200": _json({"type": "object"})}}},
            "/cases": _get("Cases, newest first", page_of(CASE),
                           ({"name": "status", "in": "query", "required": False,
                             "schema": {"enum": ["open", "closed", "all"]}}, PAGE), 422),
            "/cases/{ticket}": _get("One case", CASE, (TICKET,), 404),
            "/cases/{ticket}/status": _get("A case's stage and deadline", STATUS, (TICKET,), 404),
            "/referrals": _get("Referrals to partners, newest first", page_of(REFERRAL), (PAGE,), 422),
            "/figures": _get("Aggregated figures for a period (no personal data)", FIGURES,
                             ({"name": "from", "in": "query", "required": False,
                               "schema": {"type": "string", "format": "date"}},
                              {"name": "to", "in": "query", "required": False,
                               "schema": {"type": "string", "format": "date"}}), 422),
            "/programs": _get("The program catalogue in use, criteria as data and in words (no personal data)",
                              {"type": "object", "required": ["items"],
                               "properties": {"items": {"type": "array", "items": PROGRAM}}},
                              ({"name": "level", "in": "query", "required": False,
                                "schema": LEVEL},), 422),
            "/webhooks": webhooks_path,
            "/webhooks/{hook_id}": {"delete": {
                "summary": "Stop a webhook (read-write token)",
                "parameters": [{"name": "hook_id", "in": "path", "required": True,
                                "schema": {"type": "string", "format": "uuid"}}],
                "responses": {"204": {"description": "Stopped"}, **_errors(403, 404)}}},
        },
    }
