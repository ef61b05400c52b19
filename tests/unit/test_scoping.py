"""The central ORM filter: every select sees only the current tenant."""
import pytest
from sqlalchemy import delete, func, select, update

from app.accounts.models import MembershipArea
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.tenancy.context import ALL_TENANTS, tenant_context
from app.tenancy.models import Tenant
from app.tenancy.scoping import CrossTenantWrite


def _tenant(slug):
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def test_select_sees_only_current_tenant(app_ctx):
    bekasi, cianjur = _tenant("bekasi"), _tenant("cianjur")
    with tenant_context(bekasi):
        tenants = set(db.session.scalars(select(Position.tenant_id)))
        assert tenants == {bekasi.id}
    with tenant_context(cianjur):
        tenants = set(db.session.scalars(select(Position.tenant_id)))
        assert tenants == {cianjur.id}


def test_get_by_primary_key_of_other_tenant_finds_nothing(app_ctx):
    bekasi, cianjur = _tenant("bekasi"), _tenant("cianjur")
    with tenant_context(bekasi):
        unit = db.session.scalars(select(OrgUnit)).first()
        key = (unit.tenant_id, unit.id)
    db.session.expunge_all()
    with tenant_context(cianjur):
        assert db.session.scalar(select(OrgUnit).where(OrgUnit.id == key[1])) is None


def test_outside_any_tenant_nothing_is_visible(app_ctx):
    with tenant_context(None):
        assert db.session.scalar(select(func.count()).select_from(Position)) == 0
        assert db.session.scalars(select(Position)).all() == []


def test_named_option_sees_every_tenant(app_ctx):
    rows = db.session.execute(
        select(Position.tenant_id).distinct().execution_options(**{ALL_TENANTS: True})
    ).scalars().all()
    assert len(set(rows)) >= 5


def test_relationship_loads_stay_in_tenant(app_ctx):
    with tenant_context(_tenant("payakumbuh")) as t:
        for unit in db.session.scalars(select(OrgUnit)):
            assert all(p.tenant_id == t.id for p in unit.positions)


def test_new_rows_get_tenant_from_context(app_ctx):
    with tenant_context(_tenant("bekasi")) as t:
        unit = OrgUnit(key="uji_scoping", name="Uji", kind="field")
        db.session.add(unit)
        db.session.flush()
        assert unit.tenant_id == t.id
        db.session.rollback()


def test_row_for_another_tenant_is_refused(app_ctx):
    bekasi, cianjur = _tenant("bekasi"), _tenant("cianjur")
    with tenant_context(bekasi):
        db.session.add(OrgUnit(tenant_id=cianjur.id, key="uji_silang", name="X", kind="field"))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_row_outside_tenant_context_is_refused(app_ctx):
    with tenant_context(None):
        db.session.add(OrgUnit(key="uji_tanpa", name="X", kind="field"))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_named_option_inside_a_tenant_still_sees_every_tenant(app_ctx):
    with tenant_context(_tenant("bekasi")):
        db.session.add(OrgUnit(key="uji_platform_baca", name="X", kind="field"))
        db.session.flush()  # the tenant transaction is open and has written
        rows = db.session.scalars(
            select(Position.tenant_id).distinct().execution_options(**{ALL_TENANTS: True})).all()
        assert len(set(rows)) >= 5
        db.session.rollback()


def test_named_option_never_writes(app_ctx):
    """Platform code writes to tenant tables only inside that tenant: a write across all is refused."""
    statements = (update(OrgUnit).values(name="dirusak"), delete(MembershipArea))
    for stmt in statements:
        with pytest.raises(CrossTenantWrite):
            db.session.execute(stmt.execution_options(**{ALL_TENANTS: True}))
        db.session.rollback()
    with tenant_context(_tenant("cianjur")):
        assert db.session.scalar(select(func.count()).where(OrgUnit.name == "dirusak")) == 0


@pytest.mark.postgres
def test_named_option_runs_as_the_platform_role(app, app_ctx):
    from sqlalchemy.engine import make_url

    platform_role = make_url(app.config["PLATFORM_DATABASE_URI"]).username
    app_role = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).username
    assert platform_role and platform_role != app_role
    assert db.session.scalar(select(func.current_user())) == app_role
    assert db.session.scalar(select(func.current_user()).execution_options(**{ALL_TENANTS: True})) \
        == platform_role


@pytest.mark.postgres
def test_platform_read_without_platform_url_is_refused_on_postgres(app):
    from app import create_app
    from app.tenancy.scoping import PlatformBindMissing

    config = {**app.config, "PLATFORM_DATABASE_URI": None, "SQLALCHEMY_BINDS": {}}
    bare = create_app(config)
    with bare.app_context():
        with pytest.raises(PlatformBindMissing):
            db.session.scalar(select(func.count()).select_from(Position)
                              .execution_options(**{ALL_TENANTS: True}))
        db.session.rollback()
        db.engine.dispose()
