"""Recording audit events from operations (request details filled in when there is one)."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.audit.models import AuditEvent
from app.extensions import db


def record(action: str, object_type: str = "", object_id: Any = "", **detail: Any) -> AuditEvent:
    """Append one audit event in the current region (flushes nothing; the request commits)."""
    user_id, actor, ip = None, "", ""
    if has_request_context():
        ip = request.remote_addr or ""
        if current_user and current_user.is_authenticated:
            user_id, actor = current_user.id, current_user.email
    event = AuditEvent(user_id=user_id, actor=actor, action=action, object_type=object_type,
                       object_id=str(object_id), ip=ip, detail=_jsonable(detail))
    db.session.add(event)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
