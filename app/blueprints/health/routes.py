from flask import current_app, jsonify
from sqlalchemy import text

from app.blueprints.health import bp
from app.extensions import db
from app.jobs.queue import redis_status


@bp.get("/healthz")
def healthz():
    """Database and job-queue status as JSON; 503 only when the database is unreachable.

    Redis down is reported ("redis": "down") but answered 200: the instance still serves
    every page (rate limits fall back to memory), so a load balancer must not pull it.
    """
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:
        current_app.logger.warning("healthz: database check failed: %s", exc)
        database = "error"
    redis = redis_status()
    ok = database == "ok"
    body = {
        "status": "ok" if ok and redis != "down" else "degraded",
        "database": database,
        "database_backend": db.engine.dialect.name,
        "redis": redis,
    }
    return jsonify(body), 200 if ok else 503
