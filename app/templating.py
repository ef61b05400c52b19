"""Template globals and filters shared by every page."""
from __future__ import annotations

from datetime import UTC

from flask import Flask, current_app, g, url_for
from flask_babel import get_locale, get_translations
from werkzeug.local import LocalProxy

from app.localtime import local_zone
from app.org.service_areas import area_labels
from app.org.vocabulary import ROLES, UNIT_KINDS
from app.tenancy.context import current_tenant, current_tenant_or_none


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


def localtime(value) -> str:
    """A stored UTC time shown in the region's time (WIB by default) as `22-11-2026 14:05 WIB`.

    Digits only, so no locale is needed: formatted here rather than through Flask-Babel, whose
    timezone and locale lookups cost ~0.1 ms a call (an inbox page shows 40 times)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(local_zone())
    return f"{local:%d-%m-%Y %H:%M} {local.tzname() or ''}".strip()


def month_name(number: int) -> str:
    """`Maret` / `March`: a month's name in the request's language."""
    from datetime import date

    from flask_babel import format_date

    return format_date(date(2000, int(number), 1), "MMMM")


def long_date(value) -> str:
    """A calendar date as `7 Desember 2026` / `7 December 2026`."""
    from flask_babel import format_date

    return format_date(value, "d MMMM yyyy") if value else ""


def format_number(value) -> str:
    """`1.234` in Indonesian, `1,234` in English."""
    from app.dashboard.periods import number

    return number(value)


def _label(name: str, key: str) -> str:
    from app.casework import steps

    return str(getattr(steps, name).get(key, key))


def _locale(here=None):
    """The request's locale as Flask-Babel holds it (`force_locale` changes it for an email); `here` is
    the request's globals when the caller already has them (each reach through `g` is a lookup)."""
    state = getattr(g if here is None else here, "_flask_babel", None)
    locale = getattr(state, "babel_locale", None)
    return locale if locale is not None else get_locale()


def _translations():
    """The current locale's catalogue, looked up once per request and locale. Flask-Babel's own lookup
    walks its request context six times per message: 20 ms on an inbox page of 230 messages. Here the
    request's globals are reached once per message, and the locale object itself is the key."""
    try:
        here = g._get_current_object()
    except RuntimeError:  # no application context
        return get_translations()
    kept = here.__dict__.setdefault("_translations_by_locale", {})
    locale = _locale(here)
    if locale not in kept:
        kept[locale] = get_translations()
    return kept[locale]


def _area_labels() -> dict[str, str]:
    """`SERVICE_AREAS` in a template: the region's area labels, made once per request, region, language
    and list of own areas (an inbox page reads them once per row; each making turns every label into text)."""
    if not g:
        return area_labels()
    tenant = current_tenant_or_none()
    own = getattr(tenant, "own_service_areas", None) if tenant is not None else None
    key = (getattr(tenant, "id", None), str(_locale()), repr(own))
    kept = g.setdefault("_area_labels", {})
    if key not in kept:
        kept[key] = area_labels()
    return kept[key]


def _install_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    _install_gettext(app)
    app.jinja_env.globals.update(
        region_url=region_url,
        platform_url=platform_url,
        current_tenant=current_tenant,
        ROLES=ROLES,
        # The current region's service areas (built-in and its own, in its words); the built-in ones elsewhere.
        SERVICE_AREAS=LocalProxy(_area_labels),
        UNIT_KINDS=UNIT_KINDS,
    )
    from app import permissions

    permissions.register(app)  # can('reveal_nik'): who may do what outside the SOP
    app.jinja_env.filters["area_label"] = area_label
    from app.reference.citations import citation_html, citation_plain

    app.jinja_env.filters["citation"] = citation_html  # {{ x.legal_basis | citation }}: text, regulation, kind
    app.jinja_env.filters["citation_plain"] = citation_plain
    from app.tenants.ticket_prefix import example_ticket

    app.jinja_env.globals["example_ticket"] = example_ticket  # `BEKASI-2026-000123`: the region's ticket format
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["month_name"] = month_name
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["number"] = format_number
    from app.citizens.identity import mask_nik

    app.jinja_env.filters["mask_nik"] = mask_nik
    app.jinja_env.filters["role_label"] = lambda role: str(ROLES.get(role, role))
    from app.casework.vocabulary import Outcome

    app.jinja_env.filters["outcome_label"] = Outcome.label_of
    from app.casework.vocabulary import PartnerLevel, ReferralStatus

    app.jinja_env.filters["referral_status_label"] = ReferralStatus.label_of
    from app.casework.home_visit import visit_facts

    app.jinja_env.globals["visit_facts"] = visit_facts
    from app.reviews.chains import reviews_here

    app.jinja_env.globals["reviews_here"] = reviews_here
    app.jinja_env.filters["partner_level_label"] = PartnerLevel.label_of
    from app.casework.vocabulary import GroupKind

    app.jinja_env.filters["group_kind_label"] = GroupKind.label_of
    app.jinja_env.filters["inform_label"] = lambda key: _label("INFORM_CHANNELS", key)
