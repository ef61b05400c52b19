"""`flask sla sweep`: escalate overdue cases now (for cron or development without Redis)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.tenancy.models import utcnow

sla_cli = AppGroup("sla", help="SLA escalation of overdue cases.")


@sla_cli.command("sweep")
def sweep() -> None:
    """Fire the due escalation levels of every overdue case in every active region."""
    from app.notices.escalation import sweep_overdue

    click.echo(f"escalation levels fired: {sweep_overdue(utcnow())}")
