"""Helpers for relationships and foreign keys between tenant-owned tables."""
from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint


def tenant_fk(column: str, target: str, **kw) -> ForeignKeyConstraint:
    """Composite `(tenant_id, column) → target(tenant_id, id)`."""
    return ForeignKeyConstraint(["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], **kw)


def tenant_join(child: str, column: str, parent: str) -> str:
    """A primaryjoin over a composite key marking only `column` as foreign.

    SQLAlchemy then never copies or blanks `tenant_id`, which scoping sets once.
    """
    return f"and_({child}.tenant_id == {parent}.tenant_id, foreign({child}.{column}) == {parent}.id)"
