"""Intake channels: the built-in ones and a region's own.

The built-in channels (`CHANNELS`) are the ones national figures count. A region may open
channels of its own in its SOP (Batu Bara's KLINK consultation service, Pasal 1 angka 32): an
entry of `sop.channels` whose key is not built-in, with its label, entry stage, roles and legal
basis like any channel, and `maps_to`: the built-in channel it counts under nationally and
behaves as (a channel mapped to the Puskesos one is for Puskesos posts).

Own channels live in the SOP definitions, versioned with the rest of the procedure; the label
and mapping of a channel a later version closed are read from the version that had it, so old
cases keep theirs.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

CHANNELS = ("walk_in", "welfare_center", "home_visit")
#: The built-in channels' names where the SOP gives none.
CHANNEL_LABELS = {"walk_in": _l("Datang langsung"), "welfare_center": _l("Puskesos"),
                  "home_visit": _l("Kunjungan rumah")}
#: A region's own channel key (the cases' and rollups' `channel` columns hold 20 characters).
OWN_CHANNEL_KEY = re.compile(r"^[a-z0-9_]{1,20}$")


def own_channel_problems(key: str, maps_to: str, label: str, legal_basis: str) -> list[str]:
    """What is wrong with a channel whose key is not built-in, as a channel of the region's own."""
    options = ", ".join(CHANNELS)
    if not OWN_CHANNEL_KEY.match(key or ""):
        return [_("jalur '%(k)s' tidak dikenal (pilihan: %(o)s); jalur milik daerah memakai kunci huruf kecil, "
                  "angka dan garis bawah (paling banyak 20) dan 'maps_to'", k=key, o=options)]
    if not maps_to:
        return [_("jalur '%(k)s' bukan jalur bawaan (%(o)s): sebagai jalur milik daerah wajib memakai 'maps_to', "
                  "jalur bawaan tempat ia dihitung dalam angka nasional", k=key, o=options)]
    problems = []
    if maps_to not in CHANNELS:
        problems.append(_("'maps_to' '%(m)s' bukan jalur bawaan (pilihan: %(o)s)", m=maps_to, o=options))
    if not label:
        problems.append(_("jalur milik daerah wajib punya 'label' (namanya dalam sebutan daerah)"))
    if not legal_basis:
        problems.append(_("jalur milik daerah wajib punya 'legal_basis'"))
    return problems


def own_channels_in(definitions: Iterable[dict]) -> dict[str, dict]:
    """key → {label, maps_to} of the own channels in `definitions` (the first one listing a key wins:
    pass the newest first)."""
    out: dict[str, dict] = {}
    for definition in definitions:
        for item in (definition or {}).get("channels") or []:
            if not isinstance(item, dict):
                continue
            key, maps_to = str(item.get("key") or ""), str(item.get("maps_to") or "")
            if key and key not in CHANNELS and maps_to in CHANNELS and key not in out:
                out[key] = {"label": str(item.get("label") or key), "maps_to": maps_to}
    return out


def _definitions() -> list[dict]:
    """The current region's SOP definitions, newest first (draft included)."""
    from sqlalchemy import select

    from app.casework.models import SopVersion
    from app.extensions import db

    return list(db.session.scalars(select(SopVersion.definition).order_by(SopVersion.number.desc())))


def channel_labels() -> dict[str, str]:
    """key → name of every channel the current region has had: built-in, then its own."""
    out = {key: str(label) for key, label in CHANNEL_LABELS.items()}
    out.update({key: c["label"] for key, c in own_channels_in(_definitions()).items()})
    return out


def national_channel(key: str) -> str:
    """The built-in channel `key` counts under in national figures (in the current region)."""
    if key in CHANNELS:
        return key
    own = own_channels_in(_definitions()).get(key)
    return own["maps_to"] if own else CHANNELS[0]


def national_channel_mappings(tenant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
    """tenant id → {own channel key → built-in key}, for platform figures over many regions: one read
    of the SOP versions of just those regions (the ones whose figures carry a key that is not built-in)."""
    from sqlalchemy import select

    from app.casework.models import SopVersion
    from app.extensions import db
    from app.tenancy.context import ALL_TENANTS

    ids = list(set(tenant_ids))
    if not ids:
        return {}
    by_tenant: dict[uuid.UUID, list[dict]] = {}
    for tid, definition in db.session.execute(
            select(SopVersion.tenant_id, SopVersion.definition).where(SopVersion.tenant_id.in_(ids))
            .order_by(SopVersion.tenant_id, SopVersion.number.desc()).execution_options(**{ALL_TENANTS: True})):
        by_tenant.setdefault(tid, []).append(definition)
    return {tid: {k: c["maps_to"] for k, c in own_channels_in(defs).items()} for tid, defs in by_tenant.items()}
