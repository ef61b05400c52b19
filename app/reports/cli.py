"""`flask reports run-scheduled [--date YYYY-MM-DD]`: make the scheduled reports due now (for cron, or
development without Redis, where the reports are then built inline, one after another)."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

reports_cli = AppGroup("reports", help="Activity reports.")


@reports_cli.command("run-scheduled")
@click.option("--date", "day", default="", metavar="YYYY-MM-DD",
              help="Dispatch as if today were this date (default: today in the platform's time zone).")
def run_scheduled(day: str) -> None:
    """Make, in every active region, the reports it has built each month that are due and not made yet.
    Safe to run as often as you like: each report is made once."""
    from app.dashboard.periods import today
    from app.reports.scheduled import dispatch_all

    try:
        when = date.fromisoformat(day) if day else today()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    click.echo(f"scheduled reports made: {dispatch_all(when)} (as of {when.isoformat()})")
