"""Changing a region's own service areas: add, rename, map, take out of use (`app.org.service_areas`).

An area that open cases are about cannot be taken out: the reason says how many. One that
records still carry (closed cases, program needs, a published SOP's routing) is retired: kept
for its label and national mapping, no longer offered. One nothing ever used is deleted. Either
way units, partners and the SOP draft stop listing it. Every change is an audit event
`config.service_area.*`. Functions flush at most; the request commits.
"""
from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.log import record
from app.extensions import db
from app.org.operations import ConfigError
from app.org.service_areas import OwnArea, own_areas, own_key_problems
from app.org.vocabulary import SERVICE_AREAS


def open_cases_about(key: str) -> int:
    """How many open cases of the current region are about area `key`."""
    from app.casework.models import Case

    return db.session.scalar(select(func.count()).select_from(Case)
                             .where(Case.service_area == key, Case.closed_at.is_(None))) or 0


def still_recorded(key: str) -> bool:
    """Whether any record of the region carries area `key` (a case, a program need, a stored SOP's routing)."""
    from app.casework.models import Case, SopVersion
    from app.casework.vocabulary import SopStatus
    from app.programs.models import Need

    if db.session.scalar(select(Case.id).where(Case.service_area == key).limit(1)) is not None:
        return True
    if db.session.scalar(select(Need.id).where(Need.service_area == key).limit(1)) is not None:
        return True
    return any(key in (d or {}).get("routing", {}) for d in db.session.scalars(
        select(SopVersion.definition).where(SopVersion.status != SopStatus.DRAFT)))


def _store(tenant, areas: list[OwnArea]) -> None:
    tenant.own_service_areas = [a.to_data() for a in areas]  # a new list: the JSON column sees the change
    db.session.flush()


def _checked(tenant, area: OwnArea, replacing: str | None = None) -> OwnArea:
    """The area, or ConfigError with the messages by form field (key, label, maps_to, legal_basis)."""
    others = [a for a in own_areas(tenant, retired=True) if a.key != replacing]
    errors: dict[str, list[str]] = {}
    if replacing is None:
        problems = own_key_problems(area.key, SERVICE_AREAS, {a.key for a in others}, _("bidang layanan"))
        if problems:
            errors["key"] = [p[0].upper() + p[1:] + "." for p in problems]
    taken = {str(label).casefold() for label in SERVICE_AREAS.values()} | {a.label.casefold() for a in others}
    if not area.label:
        errors["label"] = [_("Nama bidang wajib diisi.")]
    elif area.label.casefold() in taken:
        errors["label"] = [_("Sudah ada bidang bernama \u201c%(l)s\u201d.", l=area.label)]
    if area.maps_to not in SERVICE_AREAS:
        errors["maps_to"] = [_("Pilih bidang bawaan tempat bidang ini dihitung dalam angka nasional.")]
    if not area.legal_basis:
        errors["legal_basis"] = [_("Dasar hukum wajib diisi.")]
    if errors:
        raise ConfigError(errors)
    return area


def add_area(tenant, *, key: str, label: str, maps_to: str, legal_basis: str) -> OwnArea:
    """Add an area of the region's own."""
    area = _checked(tenant, OwnArea(key=key.strip(), label=label.strip(), maps_to=maps_to,
                                    legal_basis=legal_basis.strip()))
    _store(tenant, [*own_areas(tenant, retired=True), area])
    record("config.service_area.create", "service_area", area.key, name=area.label, after=area.to_data())
    return area


def update_area(tenant, key: str, *, label: str, maps_to: str, legal_basis: str) -> bool:
    """Rename an own area, change its mapping or its legal basis (a retired one comes back into use)."""
    areas = own_areas(tenant, retired=True)
    before = next((a for a in areas if a.key == key), None)
    if before is None:
        raise ConfigError({"": [_("Bidang layanan '%(k)s' bukan bidang milik daerah ini.", k=key)]})
    after = _checked(tenant, OwnArea(key=key, label=label.strip(), maps_to=maps_to, legal_basis=legal_basis.strip()),
                     replacing=key)
    if after == before:
        return False
    _store(tenant, [after if a.key == key else a for a in areas])
    record("config.service_area.update", "service_area", key, name=after.label, before=before.to_data(),
           after=after.to_data())
    return True


def remove_area(tenant, key: str) -> str:
    """Take an own area out of use: "retired" (records keep it) or "deleted"; refused (ConfigError)
    while open cases are about it, or for a built-in area."""
    if key in SERVICE_AREAS:
        raise ConfigError({"": [_("Bidang layanan bawaan tidak dapat dihapus.")]})
    areas = own_areas(tenant, retired=True)
    area = next((a for a in areas if a.key == key), None)
    if area is None:
        raise ConfigError({"": [_("Bidang layanan '%(k)s' bukan bidang milik daerah ini.", k=key)]})
    count = open_cases_about(key)
    if count:
        raise ConfigError({"": [_("Bidang \u201c%(l)s\u201d tidak dapat dihapus: %(n)s kasus terbuka masih di bidang "
                                  "ini. Selesaikan atau pindahkan bidang kasusnya dulu.", l=area.label, n=count)]})
    _drop_from_config(key)
    if still_recorded(key):
        _store(tenant, [replace(a, retired=True) if a.key == key else a for a in areas])
        record("config.service_area.retire", "service_area", key, name=area.label, before=area.to_data())
        return "retired"
    _store(tenant, [a for a in areas if a.key != key])
    record("config.service_area.delete", "service_area", key, name=area.label, before=area.to_data())
    return "deleted"


def _drop_from_config(key: str) -> None:
    """Units and partners stop listing `key`; the SOP draft stops routing it."""
    from app.casework.models import Partner
    from app.casework.sop_drafts import current_draft
    from app.org.models import OrgUnit

    pattern = f"%{key}%"
    for row in [*db.session.scalars(select(OrgUnit).where(OrgUnit.service_areas.like(pattern))),
                *db.session.scalars(select(Partner).where(Partner.service_areas.like(pattern)))]:
        kept = [a for a in (row.service_areas or "").split(",") if a and a != key]
        if ",".join(kept) != row.service_areas:
            row.service_areas = ",".join(kept)
    draft = current_draft()
    if draft is not None and key in (draft.definition.get("routing") or {}):
        routing = {a: u for a, u in draft.definition["routing"].items() if a != key}
        draft.definition = {**draft.definition, "routing": routing}
    db.session.flush()


def replace_areas(tenant, wanted: list[dict]) -> list[str]:
    """Make the region's own areas those of an imported file (already validated): added, changed,
    and the ones it leaves out taken out of use. Returns the problems that block it (open cases)."""
    listed = {str(a["key"]) for a in wanted}
    blockers = []
    for area in own_areas(tenant):
        if area.key not in listed and (count := open_cases_about(area.key)):
            blockers.append(_("Bidang layanan \u201c%(l)s\u201d tidak ada di berkas, tetapi %(n)s kasus terbuka masih "
                              "di bidang itu.", l=area.label, n=count))
    if blockers:
        return blockers
    current = {a.key: a for a in own_areas(tenant, retired=True)}
    for item in wanted:
        area = OwnArea.of(item)
        if area.key not in current:
            _store(tenant, [*own_areas(tenant, retired=True), area])
            record("config.service_area.create", "service_area", area.key, name=area.label, after=area.to_data())
        elif current[area.key] != area:
            _store(tenant, [area if a.key == area.key else a for a in own_areas(tenant, retired=True)])
            record("config.service_area.update", "service_area", area.key, name=area.label,
                   before=current[area.key].to_data(), after=area.to_data())
    for area in own_areas(tenant):
        if area.key not in listed:
            remove_area(tenant, area.key)
    return []
