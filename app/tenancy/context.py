"""The current tenant: resolved once per request, or entered explicitly in CLI and jobs."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import g
from werkzeug.local import LocalProxy

from app.tenancy.models import Tenant

#: Execution option that lets one ORM statement *read* every tenant. Platform code only
#: (national administrator, auditor): the statement runs as the read-only platform role
#: (`PLATFORM_DATABASE_URL`); writes with it are refused. See `app.tenancy.scoping`.
ALL_TENANTS = "all_tenants"


def _get_current_tenant() -> Tenant | None:
    return g.get("tenant")


current_tenant: Tenant | None = LocalProxy(_get_current_tenant)  # type: ignore[assignment]


def current_tenant_or_none() -> Tenant | None:
    """The region in context (the object itself, not the proxy), or None on the platform apex."""
    return _get_current_tenant()


def tenant_in_context() -> Tenant:
    """The region in context, for code that only runs inside one (region pages, region jobs)."""
    tenant = _get_current_tenant()
    if tenant is None:
        raise RuntimeError("no region in context")
    return tenant


def current_tenant_id() -> uuid.UUID | None:
    """Id of the tenant in context, or None on the platform apex / outside any tenant."""
    return g.get("tenant_id") if g else None


def set_current_tenant(tenant: Tenant | None) -> None:
    """Bind `tenant` to this app context and to the open database transaction."""
    from app.tenancy.scoping import apply_tenant_setting

    g.tenant = tenant
    g.tenant_id = tenant.id if tenant is not None else None
    apply_tenant_setting()


@contextmanager
def tenant_context(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Run a block (CLI command, RQ job, test) as `tenant`; restores the previous one."""
    previous = g.get("tenant")
    set_current_tenant(tenant)
    try:
        yield tenant
    finally:
        set_current_tenant(previous)
