"""The tenant filter is in force from `create_app`, not from the first tenant a process enters.

Each check runs in a fresh interpreter, so nothing this test session imported (conftest
seeding enters tenant contexts) can install the filter early and hide the bug.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from config import ROOT

SCRIPT = r"""
import json, sys
from sqlalchemy import func, select

from app import create_app

config = json.loads(sys.argv[1])
app = create_app(config)
with app.app_context():
    from app.extensions import db
    from app.org.models import Position
    from app.tenancy.context import ALL_TENANTS

    scoped = db.session.scalar(select(func.count()).select_from(Position))
    rows = db.session.scalars(select(Position.id).limit(5)).all()
    regions = db.session.scalar(select(func.count(Position.tenant_id.distinct()))
                                .execution_options(**{ALL_TENANTS: True}))
    print(json.dumps({"scoped": scoped, "rows": len(rows), "regions": regions}))
"""


def _run_fresh(app) -> dict:
    keys = ("SQLALCHEMY_DATABASE_URI", "MIGRATION_DATABASE_URI", "PLATFORM_DATABASE_URI",
            "BASE_DOMAIN", "TESTING", "REDIS_URL")
    config = {key: app.config.get(key) for key in keys}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(config)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_fresh_process_outside_any_tenant_sees_no_tenant_rows(app):
    seen = _run_fresh(app)
    # the database really holds several regions' rows, visible to platform code ...
    assert seen["regions"] >= 2, seen
    # ... but a process that has entered no tenant sees none of them
    assert seen["scoped"] == 0 and seen["rows"] == 0, seen
