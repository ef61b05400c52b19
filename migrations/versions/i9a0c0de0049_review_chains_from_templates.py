"""the review chains of the five shipped regions, from their templates, for regions onboarded
before templates had a `reviews:` section

Revision ID: i9a0c0de0049
Revises: i2a0c0de0042
Create Date: 2026-12-07 05:00:00

Written by hand; data only. A region onboarded from now on gets its template's `reviews:`
section as `tenants.review_chains` (`app.tenants.onboarding`). A region onboarded earlier from
one of the shipped templates (`app/tenants/templates/<slug>.yaml`, recorded in
`tenants.template_source`) has no chains of its own, so it follows the defaults; that is
wrong for Payakumbuh (the manager decides new households, the head decides needs). This
copies, once, each kind's chain from the region's template file as it is when the migration
runs, for regions whose `review_chains` is still empty, and only chains whose every role some
post of the region in service holds (others keep the default). Regions made by the wizard
(the Permensos starting point, a copy, an upload) are left alone. No audit event (the
migration is in the deployment's history). The downgrade empties the chains it can recognise
as copied (equal to the template's), so a manager's later edit is never undone.
"""
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

revision = 'i9a0c0de0049'
down_revision = 'i2a0c0de0042'
branch_labels = None
depends_on = None

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "tenants" / "templates"
STAGE_KEYS = ("action", "roles", "legal_basis")

tenants = sa.table("tenants", sa.column("id", sa.Uuid()), sa.column("template_source", sa.String()),
                   sa.column("review_chains", sa.JSON()))
positions = sa.table("positions", sa.column("tenant_id", sa.Uuid()), sa.column("role", sa.String()),
                     sa.column("retired_at", sa.DateTime(timezone=True)))


def _template_chains(source: str) -> dict:
    """kind → chain of a shipped template's `reviews:` section ({} if it has none or is not shipped)."""
    path = TEMPLATES / Path(source or "").name
    if not source or not source.endswith(".yaml") or path.parent != TEMPLATES or not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    reviews = data.get("reviews") or {}
    return {kind: [{"action": s["action"], "roles": list(s["roles"]),
                    "legal_basis": " ".join(str(s["legal_basis"]).split())} for s in chain]
            for kind, chain in reviews.items()
            if isinstance(chain, list) and chain and all(isinstance(s, dict) and set(s) == set(STAGE_KEYS)
                                                         for s in chain)}


def _held(bind, tenant_id) -> set[str]:
    if bind.dialect.name == "postgresql":  # row-level security is forced on positions even for the owner
        bind.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
    return set(bind.execute(sa.select(positions.c.role).where(
        positions.c.tenant_id == tenant_id, positions.c.retired_at.is_(None))).scalars())


def upgrade():
    bind = op.get_bind()
    for tenant_id, source, current in bind.execute(
            sa.select(tenants.c.id, tenants.c.template_source, tenants.c.review_chains)).all():
        if current:
            continue
        chains = _template_chains(source)
        if not chains:
            continue
        held = _held(bind, tenant_id)
        kept = {kind: chain for kind, chain in chains.items() if all(set(s["roles"]) <= held for s in chain)}
        if kept:
            bind.execute(tenants.update().where(tenants.c.id == tenant_id).values(review_chains=kept))


def downgrade():
    bind = op.get_bind()
    for tenant_id, source, current in bind.execute(
            sa.select(tenants.c.id, tenants.c.template_source, tenants.c.review_chains)).all():
        chains = _template_chains(source)
        if current and chains and all(chains.get(kind) == chain for kind, chain in current.items()):
            bind.execute(tenants.update().where(tenants.c.id == tenant_id).values(review_chains={}))
