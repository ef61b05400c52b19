"""Template globals and filters shared by every page."""
from __future__ import annotations

from flask import Flask, current_app, url_for

from app.org.vocabulary import ROLES, SERVICE_AREAS, UNIT_KINDS
from app.tenants.context import current_tenant


def region_url(slug: str, endpoint: str = "home.index", **values) -> str:
    """Absolute URL of a page at a region's subdomain (links from the apex)."""
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    return f"{scheme}://{slug}.{current_app.config['BASE_DOMAIN']}{url_for(endpoint, **values)}"


def platform_url(endpoint: str = "home.index", **values) -> str:
    """Absolute URL of a page on the platform apex."""
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    return f"{scheme}://{current_app.config['BASE_DOMAIN']}{url_for(endpoint, **values)}"


def area_label(area) -> str:
    """`Bekasijaya, Kec. Bekasi Timur` for a membership area (the village name as listed)."""
    if area.village is not None:
        return f"{area.village.name}, Kec. {area.district.name}"
    return f"Kec. {area.district.name}"


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        region_url=region_url,
        platform_url=platform_url,
        current_tenant=current_tenant,
        ROLES=ROLES,
        SERVICE_AREAS=SERVICE_AREAS,
        UNIT_KINDS=UNIT_KINDS,
    )
    app.jinja_env.filters["area_label"] = area_label
