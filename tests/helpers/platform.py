"""Platform-console helpers: throwaway regions, unique slugs, wizard data, audit rows."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.platform.wizard import WizardData, build_template
from app.reference.models import Regency
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, TenantStatus
from app.tenants.onboarding import onboard_region

WIZARD_URL = "/console/regions/new"
RESERVED_CODES = {"32.72", "32.78", "33.72"}  # onboarded by browser tests (test_platform, test_onboard_any_procedure)


def free_region_code(province: str | None = None) -> str:
    """An official regency/city code no region uses yet (from the end of the list)."""
    taken = set(db.session.scalars(select(Tenant.region_code))) | RESERVED_CODES
    stmt = select(Regency.code).order_by(Regency.code.desc())
    if province:
        stmt = stmt.where(Regency.province_code == province)
    return next(code for code in db.session.scalars(stmt) if code not in taken)


def unique_slug(prefix: str = "uji") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def blank_data(code: str | None = None, **overrides) -> WizardData:
    values = dict(region_code=code or free_region_code(), start="blank", puskesos="1", slug=unique_slug(),
                  service_name="SLRT Uji", regulation_title="Peraturan Bupati Uji Nomor 1 Tahun 2026",
                  regulation_short="Perbup Uji 1/2026", manager_name="Manajer Uji", manager_email="manajer@uji.test")
    values.update(overrides)
    return WizardData(**values)


def make_region(app, status: str = TenantStatus.ACTIVE.value, accounts: bool = False) -> tuple[uuid.UUID, str]:
    """Onboard a throwaway region from the blank structure; (tenant id, slug). With `accounts`,
    one demo account per post (`<role>@<slug>.demo`, the demo password)."""
    from app.accounts.demo import seed_region_accounts
    from tests.conftest import DEMO_PASSWORD

    with app.app_context():
        tenant = onboard_region(build_template(blank_data()), status=status)
        if accounts:
            seed_region_accounts(tenant, DEMO_PASSWORD)
        db.session.commit()
        return tenant.id, tenant.slug


def region_event(app, slug: str, actor: str, action: str = "uji.aksi", at=None, **detail) -> None:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
        with tenant_context(tenant):
            db.session.add(AuditEvent(actor=actor, action=action, object_type="uji", object_id="1",
                                      ip="10.0.0.7", detail=detail, **({"at": at} if at else {})))
            db.session.commit()


def rows_of(response) -> str:
    """The events table of an audit page (the filter's list of action labels left out)."""
    page = response.get_data(as_text=True)
    return page.split("<tbody>", 1)[1] if "<tbody>" in page else ""
