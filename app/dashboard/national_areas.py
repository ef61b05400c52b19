"""National figures by service area and by channel: a region's own areas and channels counted under
the built-in ones they map to (`app.org.service_areas`, `app.casework.channels`).

The region's dashboard keeps its own keys (its rollups store them); only here, reading every
region at once, are they folded onto the six built-in areas and three built-in channels, so the
national table has the same columns for every region. Platform code: one grouped statement over
the rollups (the `all_tenants` option), then the mappings of just the regions that carry an own key.
"""
from __future__ import annotations

import uuid
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.casework.channels import CHANNEL_LABELS, CHANNELS, national_channel_mappings
from app.dashboard.models import CaseRollup
from app.dashboard.periods import Period
from app.dashboard.queries import Table
from app.extensions import db
from app.org.service_areas import FALLBACK_AREA, national_mapping
from app.org.vocabulary import SERVICE_AREAS
from app.tenancy.context import ALL_TENANTS
from app.tenancy.models import Tenant

_ALL = {ALL_TENANTS: True}


def _received(period: Period, column, only: uuid.UUID | None) -> list[tuple[uuid.UUID, str, int]]:
    stmt = (select(CaseRollup.tenant_id, column, func.sum(CaseRollup.value))
            .where(CaseRollup.metric == "received", CaseRollup.day >= period.start, CaseRollup.day <= period.end)
            .group_by(CaseRollup.tenant_id, column))
    if only is not None:
        stmt = stmt.where(CaseRollup.tenant_id == only)
    return [(tid, key or "", int(n or 0)) for tid, key, n in db.session.execute(stmt.execution_options(**_ALL))]


def _fold(found, builtin, mappings: dict, fallback: str) -> dict[uuid.UUID, dict[str, int]]:
    out: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for tid, key, n in found:
        if not n:
            continue
        target = key if key in builtin else mappings.get(tid, {}).get(key, fallback)
        out[tid][target] = out[tid].get(target, 0) + n
    return dict(out)


def received_by_area(period: Period, only: uuid.UUID | None = None) -> dict[uuid.UUID, dict[str, int]]:
    """tenant id → built-in service area → complaints received in `period` (own areas folded in)."""
    found = _received(period, CaseRollup.service_area, only)
    own = {tid for tid, key, _n in found if key not in SERVICE_AREAS}
    mappings = {}
    if own:
        mappings = {tid: national_mapping(items) for tid, items in db.session.execute(
            select(Tenant.id, Tenant.own_service_areas).where(Tenant.id.in_(own)))}
    return _fold(found, SERVICE_AREAS, mappings, FALLBACK_AREA)


def received_by_channel(period: Period, only: uuid.UUID | None = None) -> dict[uuid.UUID, dict[str, int]]:
    """tenant id → built-in channel → complaints received in `period` (own channels folded in)."""
    found = _received(period, CaseRollup.channel, only)
    own = {tid for tid, key, _n in found if key not in CHANNELS}
    return _fold(found, CHANNELS, national_channel_mappings(own), CHANNELS[0])


def breakdown_tables(rows, period: Period) -> list[Table]:
    """Two tables for the national report: complaints received per region by built-in service area,
    and by built-in channel, each with the national row. `rows` are the report's `NationalRow`s."""
    areas, channels = received_by_area(period), received_by_channel(period)
    tables = []
    for key, title, labels, counts in (
            ("national_areas", _("Pengaduan diterima menurut bidang layanan (bidang milik daerah dihitung pada "
                                 "bidang bawaannya)"), SERVICE_AREAS, areas),
            ("national_channels", _("Pengaduan diterima menurut jalur (jalur milik daerah dihitung pada jalur "
                                    "bawaannya)"), CHANNEL_LABELS, channels)):
        body = [[row.region, *[counts.get(row.tenant_id, {}).get(k, 0) for k in labels]] for row in rows]
        total = [_("Nasional"), *[sum(r[i + 1] for r in body) for i in range(len(labels))]]
        tables.append(Table(key, title, [_("Daerah"), *[str(v) for v in labels.values()]], [*body, total],
                            formats=("text", *["int"] * len(labels)), chart_columns=()))
    return tables
