"""`flask demo …`: everything `make run` needs for a working demo, idempotently."""
from __future__ import annotations

import os
import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts.demo import seed_platform_users, seed_region_accounts
from app.extensions import db
from app.reference.loader import load_wilayah, wilayah_loaded
from app.tenancy.models import Tenant
from app.tenants.onboarding import load_and_validate, onboard_region

demo_cli = AppGroup("demo", help="Data demo untuk pengembangan (tidak untuk produksi).")

DEMO_REGIONS = ("bekasi", "cianjur", "batubara", "payakumbuh", "palembang")


def seed_all(password: str, echo=lambda *_: None) -> dict[str, list[tuple[str, str]]]:
    """Load wilayah if missing, onboard the five regions if missing, create demo accounts."""
    if not wilayah_loaded():
        started = time.perf_counter()
        counts = load_wilayah(current_app.config["WILAYAH_DIR"])
        echo(f"Data wilayah dimuat: {counts} ({time.perf_counter() - started:.1f} dtk)")
    accounts: dict[str, list[tuple[str, str]]] = {}
    for slug in DEMO_REGIONS:
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            template = load_and_validate(current_app.config["TEMPLATES_DIR"] / f"{slug}.yaml")
            tenant = onboard_region(template)
            echo(f"Daerah dibuat: {tenant.name} ({tenant.slug})")
        accounts[slug] = seed_region_accounts(tenant, password)
        from app.citizens.demo_extract import seed_demo_extract
        from app.tenancy.context import tenant_context

        with tenant_context(tenant):
            seed_demo_extract(households=300)
    seed_platform_users(password)
    db.session.commit()
    return accounts


@demo_cli.command("seed")
def seed() -> None:
    """Muat wilayah, lima daerah dan akun demo (boleh dijalankan berulang)."""
    if os.environ.get("SLRT_ENV") == "production":
        raise click.ClickException("Akun demo tidak boleh dibuat di produksi (SLRT_ENV=production).")
    password = current_app.config["DEMO_PASSWORD"]
    accounts = seed_all(password, echo=click.echo)
    click.echo(f"Akun demo siap: {sum(len(a) for a in accounts.values()) + 2} akun, kata sandi '{password}'.")


@demo_cli.command("accounts")
def list_accounts() -> None:
    """Daftar akun demo per daerah dengan jabatannya."""
    from app.accounts.demo import PLATFORM_DEMO
    from app.accounts.models import Membership, User
    from app.org.models import Position
    from app.tenancy.context import tenant_context

    click.echo(f"Kata sandi demo: {current_app.config['DEMO_PASSWORD']}")
    for email, name, _role in PLATFORM_DEMO:
        click.echo(f"  {email:<42} {name}")
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
        click.echo(f"{tenant.slug} — {tenant.name}:")
        with tenant_context(tenant):
            rows = db.session.execute(
                select(User.email, Position.title)
                .join(Membership, Membership.user_id == User.id)
                .join(Position, Position.id == Membership.position_id)
                .where(User.email.like("%.demo"))
                .order_by(Position.sort_order)
            ).all()
        for email, title in rows:
            click.echo(f"  {email:<42} {title}")
