"""Resolve the tenant once per request, from the Host header against BASE_DOMAIN."""
from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request
from sqlalchemy import select

from app.extensions import db
from app.tenancy.context import set_current_tenant
from app.tenancy.models import Tenant, TenantAlias, TenantStatus

#: Paths that answer whatever the tenant's status (health checks, static files).
ALWAYS_OPEN_ENDPOINTS = {"static", "health.healthz"}


def _hostname(value: str) -> str:
    return value.split(":", 1)[0].strip().lower().rstrip(".")


def subdomain_of(host: str, base_domain: str) -> str | None:
    """`bekasi.localhost:5000` → `bekasi`; the apex → ``""``; a foreign host → None."""
    host, base = _hostname(host), _hostname(base_domain)
    if host == base:
        return ""
    if host.endswith("." + base):
        label = host[: -len(base) - 1]
        return label if "." not in label else None
    return None


def _renamed_to(old_slug: str) -> str | None:
    """The same URL at the region's current subdomain, if `old_slug` is a former one."""
    alias = db.session.scalar(select(TenantAlias).where(TenantAlias.old_slug == old_slug))
    if alias is None:
        return None
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    return f"{scheme}://{alias.tenant.slug}.{current_app.config['BASE_DOMAIN']}{request.full_path.rstrip('?')}"


def resolve_tenant():
    """`before_request`: bind the tenant for this host, or answer 404 / "not active"."""
    g.tenant = None
    g.tenant_id = None
    sub = subdomain_of(request.host, current_app.config["BASE_DOMAIN"])
    if sub is None:
        if request.endpoint == "health.healthz":  # load balancers probe by IP address
            return None
        abort(404)
    g.is_platform = sub == ""
    if g.is_platform:
        set_current_tenant(None)
        return None
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == sub))
    if tenant is None:
        moved = _renamed_to(sub)
        if moved:
            # 301 for reads; 308 keeps the method and body of a form posted to the old address.
            return redirect(moved, 301 if request.method in ("GET", "HEAD") else 308)
        return render_template("errors/unknown_region.html", slug=sub), 404
    if request.endpoint in ALWAYS_OPEN_ENDPOINTS:
        set_current_tenant(tenant)
        return None
    if tenant.status == TenantStatus.SUSPENDED.value:
        return render_template("errors/region_inactive.html", region=tenant), 503
    set_current_tenant(tenant)
    return None
