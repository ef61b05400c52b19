"""The region's partners for referrals: vocabulary and the changes a manager makes.

A partner that a referral points at is never deleted, only retired (it stays on the
old referrals, and is no longer offered for new ones). Every change is an audit event
`config.partner.*` with the values before and after. Functions flush at most.
"""
from __future__ import annotations

from sqlalchemy import func, select

from app.audit.log import record
from app.casework.models import Partner, Referral
from app.extensions import db
from app.tenancy.models import utcnow

FIELDS = ("name", "level", "kind", "contact", "service_areas")


def snapshot(partner: Partner) -> dict:
    """The partner's editable values, for audit details."""
    return {f: getattr(partner, f) for f in FIELDS}


def name_taken(name: str, exclude=None) -> bool:
    """Whether another partner of the region (retired ones included) has this name."""
    query = select(Partner.id).where(func.lower(Partner.name) == name.strip().lower())
    if exclude is not None:
        query = query.where(Partner.id != exclude)
    return db.session.scalar(query) is not None


def in_use(partner: Partner) -> int:
    """How many referrals point at the partner."""
    return db.session.scalar(select(func.count()).select_from(Referral).where(Referral.partner_id == partner.id)) or 0


def create_partner(*, name: str, level: str, kind: str, contact: str, service_areas: list[str]) -> Partner:
    """Add a partner to the region's list."""
    partner = Partner(name=name.strip(), level=level, kind=kind, contact=contact.strip(),
                      service_areas=",".join(service_areas))
    db.session.add(partner)
    db.session.flush()
    record("config.partner.create", "partner", partner.id, name=partner.name, after=snapshot(partner))
    return partner


def update_partner(partner: Partner, *, name: str, level: str, kind: str, contact: str,
                   service_areas: list[str]) -> bool:
    """Change the partner's details; returns whether anything changed."""
    before = snapshot(partner)
    partner.name, partner.level, partner.kind = name.strip(), level, kind
    partner.contact, partner.service_areas = contact.strip(), ",".join(service_areas)
    after = snapshot(partner)
    if before == after:
        return False
    db.session.flush()
    changed = [f for f in FIELDS if before[f] != after[f]]
    record("config.partner.update", "partner", partner.id, name=partner.name,
           before={f: before[f] for f in changed}, after={f: after[f] for f in changed})
    return True


def retire_partner(partner: Partner) -> None:
    """No longer offered for new referrals; old referrals keep it."""
    if partner.retired_at is None:
        partner.retired_at = utcnow()
        record("config.partner.retire", "partner", partner.id, name=partner.name)


def reactivate_partner(partner: Partner) -> None:
    """Offer a retired partner for new referrals again."""
    if partner.retired_at is not None:
        partner.retired_at = None
        record("config.partner.reactivate", "partner", partner.id, name=partner.name)


def delete_partner(partner: Partner) -> None:
    """Delete a partner no referral points at (the caller checks `in_use` first)."""
    record("config.partner.delete", "partner", partner.id, name=partner.name, before=snapshot(partner))
    db.session.delete(partner)
    db.session.flush()
