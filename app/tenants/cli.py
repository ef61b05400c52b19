"""`flask tenants …`: onboard a region from a template, list regions."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db
from app.tenancy.models import Tenant, TenantStatus
from app.tenants.onboarding import load_and_validate, onboard_region
from app.tenants.template import TemplateError

tenants_cli = AppGroup("tenants", help="Kelola daerah (tenant).")


@tenants_cli.command("onboard")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--status", type=click.Choice([s.value for s in TenantStatus]),
              default=TenantStatus.ACTIVE.value, show_default=True,
              help="Status awal daerah.")
def onboard(path: str, status: str) -> None:
    """Buat daerah baru dari templat YAML PATH (semua atau tidak sama sekali)."""
    try:
        template = load_and_validate(path)
        tenant = onboard_region(template, status=status)
        db.session.commit()
    except TemplateError as exc:
        db.session.rollback()
        lines = "\n".join(f"  - {p}" for p in exc.problems)
        raise click.ClickException(f"Templat {exc.source} ditolak:\n{lines}") from exc
    click.echo(f"Daerah '{tenant.name}' dibuat di subdomain '{tenant.slug}' (status: {tenant.status}).")


@tenants_cli.command("list")
def list_tenants() -> None:
    """Tampilkan semua daerah dengan status dan jumlah anggota."""
    from app.accounts.models import Membership
    from app.tenancy.context import ALL_TENANTS

    counts = dict(db.session.execute(
        select(Membership.tenant_id, func.count()).group_by(Membership.tenant_id)
        .execution_options(**{ALL_TENANTS: True})
    ).all())
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.slug)).all()
    if not tenants:
        click.echo("Belum ada daerah.")
        return
    for t in tenants:
        click.echo(f"{t.slug:<14} {t.region_code:<6} {t.status:<11} {counts.get(t.id, 0):>4} anggota  "
                   f"{t.name} — {t.service_name} ({t.regulation_short})")
