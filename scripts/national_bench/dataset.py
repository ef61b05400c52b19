"""The national data set: its own PostgreSQL database, the official area list, all 514 regions
onboarded from the blank Permensos 15/2018 structure with one account per post, then a pattern
of casework made through the real operations in one region and cloned in bulk (see clone.py)."""
from __future__ import annotations

import os
import random
import subprocess
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-password-1"
BASE_DOMAIN = "bench.test"
#: Cheap Argon2 for the 4,600 staff accounts (a hash carries its parameters: sign-in still verifies).
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def setup_database(name: str, recreate: bool) -> None:
    """Create (or keep) the database and its roles with scripts/pg-setup; export its URLs."""
    args = [str(ROOT / "scripts" / "pg-setup"), name] + (["--recreate"] if recreate else [])
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("export "):
            key, value = line[len("export "):].split("=", 1)
            os.environ[key] = value


def make_app(wilayah: Path | None = None):
    from app import create_app

    config = {"BASE_DOMAIN": BASE_DOMAIN, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
              "REDIS_URL": None, "ARGON2_PARAMS": CHEAP_ARGON2, "DEMO_PASSWORD": PASSWORD}
    if wilayah:
        config["WILAYAH_DIR"] = wilayah
    app = create_app(config)
    import logging

    logging.getLogger("slrt.request").setLevel(logging.WARNING)
    return app


def owner_engine(app):
    return create_engine(app.config["MIGRATION_DATABASE_URI"], isolation_level="AUTOCOMMIT")


def load_reference(app, echo) -> None:
    from app.extensions import db
    from app.reference.loader import load_wilayah

    started = time.perf_counter()
    counts = load_wilayah(Path(app.config["WILAYAH_DIR"]))
    db.session.commit()
    echo(f"  wilayah: {dict(counts)} in {time.perf_counter() - started:.1f} s")


def onboard_all(echo, limit: int | None = None, shard: tuple[int, int] = (0, 1)) -> int:
    """Every official regency/city as a region, through the wizard's own steps (suggest → build the
    template from the blank structure → onboard), active, with one account per post."""
    from app.accounts.demo import seed_platform_users, seed_region_accounts
    from app.extensions import db
    from app.platform.starting_points import build_template
    from app.platform.wizard import WizardData, suggest
    from app.reference.models import Regency
    from app.tenancy.models import Tenant
    from app.tenants.onboarding import onboard_region
    from app.tenants.template import TemplateError

    if shard[0] == 0:
        seed_platform_users(PASSWORD)
        db.session.commit()
    codes = db.session.scalars(select(Regency.code).order_by(Regency.code)).all()[:limit][shard[0]::shard[1]]
    done = set(db.session.scalars(select(Tenant.region_code)))
    started = time.perf_counter()
    for n, code in enumerate(codes, start=1):
        if code in done:
            continue
        data = suggest(WizardData(region_code=code, start="blank", puskesos="1",
                                  regulation_title="Peraturan Kepala Daerah tentang Sistem Layanan dan Rujukan "
                                                   "Terpadu", regulation_short="Perkada SLRT"))
        try:
            template = build_template(data)
            tenant = onboard_region(template)
        except TemplateError:  # a subdomain or prefix the wizard would ask the administrator to change
            db.session.rollback()
            data.slug = "r" + code.replace(".", "")
            data.ticket_prefix = ""
            tenant = onboard_region(build_template(suggest(data)))
        seed_region_accounts(tenant, PASSWORD)
        db.session.commit()
        if n % 50 == 0:
            echo(f"  {n}/{len(codes)} regions onboarded ({time.perf_counter() - started:.0f} s)")
    return len(codes)


def region_weights(slugs: list[str], seed: int) -> dict[str, float]:
    """Skewed sizes: four regions 10-15× the median (200,000+ at 10M), a few mid-sized, most
    5,000-20,000 at 10M."""
    rng = random.Random(seed)
    order = slugs[:]
    rng.shuffle(order)
    weights = {}
    for i, slug in enumerate(order):
        if i < 4:
            weights[slug] = rng.uniform(200, 260)
        elif i < 20:
            weights[slug] = rng.uniform(40, 90)
        else:
            weights[slug] = rng.uniform(5, 20)
    return weights


def make_pattern(slug: str, cases: int, households: int, seed: int, echo) -> None:
    """Casework through the real operations (bench_dashboard's generators): `open_case`/`take_step`
    on a simulated clock over 12 months, and register households with program participation."""
    from bench_dashboard import generate, generate_households

    events, seconds = generate(slug, cases, seed=seed)
    echo(f"  pattern {slug}: {cases} cases, {events} events through the operations in {seconds:.0f} s "
         f"({seconds / max(events, 1) * 1000:.1f} ms per event)")
    if households:
        generate_households(slug, households, 0.6, seed=seed)


def table_sizes(app, limit: int = 14) -> list[tuple[str, int, str]]:
    with owner_engine(app).connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT c.relname, c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid)) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' "
            "ORDER BY pg_total_relation_size(c.oid) DESC LIMIT :n"), {"n": limit})]
