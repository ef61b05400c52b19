"""The tenant (a region), its former subdomains, and the mixin every tenant-owned table uses."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Table, Text, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import Model, Vocabulary


def utcnow() -> datetime:
    return datetime.now(UTC)


class TenantStatus(Vocabulary):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Tenant(Model):
    """A regency or city running SLRT at its own subdomain."""

    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regencies.code"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # kabupaten | kota
    service_name: Mapped[str] = mapped_column(String(200))
    service_full_name: Mapped[str] = mapped_column(Text, default="")
    regulation_title: Mapped[str] = mapped_column(Text)
    regulation_short: Mapped[str] = mapped_column(String(100))
    regulation_about: Mapped[str] = mapped_column(Text, default="")
    terminology: Mapped[dict] = mapped_column(JSON, default=dict)
    #: What the region's ticket numbers start with (`BEKASI-2026-000123`); unique among regions. The default
    #: is derived from the slug when the region is created (`app.tenants.ticket_prefix`).
    ticket_prefix: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    #: Who may do what outside the SOP, where the region differs from `app.permissions.DEFAULTS`:
    #: capability → list of canonical roles. Empty = the defaults.
    permissions: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    #: Who reviews, recommends and decides each kind of record (participation, needs, data
    #: updates), where the region's regulation says: kind → list of stages (`app.reviews.chains`).
    review_chains: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    #: Service areas of the region's own beyond the built-in ones, each mapped to a built-in one for
    #: national figures: a list of {key, label, maps_to, legal_basis[, retired]} (`app.org.service_areas`).
    own_service_areas: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    #: Hours a partner has to answer a referral before it is flagged overdue and reminded (region data).
    partner_response_hours: Mapped[int] = mapped_column(Integer, default=72, server_default="72")
    status: Mapped[str] = mapped_column(String(20), TenantStatus.check("status"),
                                        default=TenantStatus.ACTIVE.value)
    template_source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.status == TenantStatus.ACTIVE.value

    def term(self, key: str, default: str) -> str:
        """The region's own word for something the UI shows, or the default."""
        return (self.terminology or {}).get(key) or default

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantAlias(Model):
    """A region's former subdomain; requests to it are redirected (301) to the current one."""

    __tablename__ = "tenant_aliases"
    __platform_table__ = ("resolved from the request host before any tenant is known, to redirect "
                          "a former subdomain; holds no region data, only the slug it used")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    old_slug: Mapped[str] = mapped_column(String(63), unique=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tenant: Mapped[Tenant] = relationship()


class TenantOwned:
    """Mixin: `(tenant_id, id)` composite primary key with app-made UUIDs.

    Every select through the ORM is filtered to the current tenant
    (see `app.tenancy.scoping`); on PostgreSQL row-level security enforces the
    same rule in the database. Foreign keys to other tenant-owned tables must be
    composite `(tenant_id, x_id)`, which `tenant_fk()` builds.
    """

    __tenant_owned__ = True

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(Uuid, ForeignKey("tenants.id"), primary_key=True)

    @declared_attr
    def id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def tenant_owned_tables(metadata) -> list:
    """Tables whose mapped class uses `TenantOwned`."""
    tables = []
    for mapper in Model.registry.mappers:
        cls = mapper.class_
        table = mapper.local_table
        if isinstance(cls, type) and issubclass(cls, TenantOwned) and isinstance(table, Table) \
                and table.metadata is metadata:
            tables.append(table)
    return sorted(set(tables), key=lambda t: t.name)
