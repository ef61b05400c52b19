"""`flask sla sweep`: escalate overdue cases now (for cron or development without Redis)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.tenancy.models import utcnow

sla_cli = AppGroup("sla", help="SLA escalation of overdue cases.")


@sla_cli.command("sweep")
def sweep() -> None:
    """Fire the due escalation levels of every overdue case in every active region, and remind
    partners whose referrals wait past the region's response time."""
    from app.casework.partner_portal import remind_all_partners
    from app.notices.escalation import sweep_overdue

    now = utcnow()
    click.echo(f"escalation levels fired: {sweep_overdue(now)}")
    click.echo(f"partner reminders: {remind_all_partners(now)}")
