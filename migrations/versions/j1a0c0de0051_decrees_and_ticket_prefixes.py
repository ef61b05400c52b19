"""posts carry their appointing decree; each region's ticket numbers have its own prefix

Revision ID: j1a0c0de0051
Revises: i8a0c0de0048
Create Date: 2026-12-10 09:00:00

Written by hand.

- `positions.decree_authority`, `decree_number` (text, "" = none) and `decree_date` (nullable):
  the decree that appoints a post (`app.org.decree`).
- `tenants.ticket_prefix` (not null, unique): what the region's ticket numbers start with. Until
  now every region's were `PLG-…`. Each existing region gets the default the application would
  derive from its subdomain (`app.tenants.ticket_prefix.derived_prefix`, copied below as it is when
  this migration is written): older regions first, a number appended on a clash. Tickets already
  issued keep their `PLG-` number (the public status page finds them as before); only new ones use
  the prefix. The downgrade drops the column (new tickets then start with PLG- again, once the
  application is downgraded too).

On SQLite the column keeps the empty server default it was added with (changing it would rebuild
`tenants`, which every region table refers to); on PostgreSQL the default is dropped. The
application always sets the prefix.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = 'j1a0c0de0051'
down_revision = 'i8a0c0de0048'
branch_labels = None
depends_on = None

MAX_LENGTH = 12
tenants = sa.table("tenants", sa.column("id", sa.Uuid()), sa.column("slug", sa.String()),
                   sa.column("created_at", sa.DateTime(timezone=True)), sa.column("ticket_prefix", sa.String()))


def derived_prefix(slug: str) -> str:
    words = [w for w in re.split(r"[^a-z0-9]+", (slug or "").lower()) if w]
    joined = "".join(words).upper()
    if len(joined) > MAX_LENGTH and len(words) > 1:
        joined = ("".join(w[0] for w in words[:-1]) + words[-1]).upper()
    joined = joined[:MAX_LENGTH]
    return joined if len(joined) >= 2 else (joined + "SLRT")[:MAX_LENGTH]


def upgrade():
    with op.batch_alter_table("positions") as batch:
        batch.add_column(sa.Column("decree_number", sa.String(length=120), nullable=False, server_default=""))
        batch.add_column(sa.Column("decree_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decree_authority", sa.String(length=200), nullable=False, server_default=""))
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("ticket_prefix", sa.String(length=12), nullable=False, server_default=""))

    bind = op.get_bind()
    taken: set[str] = set()
    for tenant_id, slug in bind.execute(sa.select(tenants.c.id, tenants.c.slug)
                                        .order_by(tenants.c.created_at, tenants.c.slug)).all():
        base = candidate = derived_prefix(slug)
        n = 1
        while candidate in taken:
            n += 1
            candidate = base[:MAX_LENGTH - len(str(n))] + str(n)
        taken.add(candidate)
        bind.execute(tenants.update().where(tenants.c.id == tenant_id).values(ticket_prefix=candidate))

    op.create_index("ix_tenants_ticket_prefix", "tenants", ["ticket_prefix"], unique=True)
    if bind.dialect.name == "postgresql":
        op.alter_column("tenants", "ticket_prefix", server_default=None)


def downgrade():
    op.drop_index("ix_tenants_ticket_prefix", table_name="tenants")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("ticket_prefix")
    with op.batch_alter_table("positions") as batch:
        batch.drop_column("decree_authority")
        batch.drop_column("decree_date")
        batch.drop_column("decree_number")
