"""Region lifecycle on the console: the list with its figures, suspend, reactivate, rename."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app.accounts.models import Membership
from app.extensions import db
from app.org.models import Position
from app.platform.models import PlatformAuditEvent
from app.platform.stats import region_rows
from app.tenancy.context import ALL_TENANTS, tenant_context
from app.tenancy.models import Tenant, TenantAlias, utcnow
from tests import factories
from tests.helpers.platform import make_region, unique_slug


@pytest.fixture()
def admin(region_client):
    client = region_client(None)
    client.login("admin@platform.demo")
    return client


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


def test_region_list_shows_every_region_with_its_figures(admin, auditor):
    for client in (admin, auditor):
        page = client.get("/console/").get_data(as_text=True)
        assert "Kasus terbuka" in page and "Aktivitas terakhir" in page
        for name in ("Kota Bekasi", "Kabupaten Cianjur", "Kota Palembang"):  # 50 a page: find each
            assert name in client.get(f"/console/?q={name.split()[-1]}").get_data(as_text=True)
    assert "+ Daerah baru" in admin.get("/console/").get_data(as_text=True)
    assert "+ Daerah baru" not in auditor.get("/console/").get_data(as_text=True)


def test_region_list_filters_by_status(app, admin):
    _tid, slug = make_region(app, status="onboarding")
    onboarding = admin.get("/console/?status=onboarding").get_data(as_text=True)
    assert slug in onboarding and "Kota Bekasi" not in onboarding


def test_region_list_costs_the_same_number_of_queries_whatever_the_regions(app, admin):
    def count_queries():
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert admin.get("/console/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        # PostgreSQL adds `SELECT set_config(...)` around platform statements; not queries.
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT") and "set_config" not in s])

    before = count_queries()
    make_region(app)
    make_region(app)
    assert count_queries() == before <= 10


def test_counts_staff_open_and_overdue_cases_and_last_activity(app):
    tid, slug = make_region(app, accounts=True)
    with app.app_context():
        tenant = db.session.get(Tenant, tid)
        (row,) = region_rows(only=tid)
        staff = row.staff
        assert (row.open_cases, row.overdue, row.last_activity) == (0, 0, None)
        with tenant_context(tenant):
            late = factories.make_case(slug)
            factories.make_case(slug)
            late.due_at = utcnow() - timedelta(hours=1)
            db.session.commit()
        (row,) = region_rows(only=tid)
        assert (row.staff, row.open_cases, row.overdue) == (staff, 2, 1) and staff >= 5
        assert row.last_activity is not None


def test_suspend_keeps_the_data_and_reactivation_restores_the_region(app, admin, region_client):
    tid, slug = make_region(app, accounts=True)
    manager = region_client(slug)
    manager.login(f"manager@{slug}.demo")
    with app.app_context():
        tenant = db.session.get(Tenant, tid)
        with tenant_context(tenant):
            factories.make_case(slug)
            db.session.commit()
            before = (db.session.scalar(select(func.count()).select_from(Position)),
                      db.session.scalar(select(func.count()).select_from(Membership)))

    response = admin.post(f"/console/regions/{tid}/suspend", data={"reason": "Uji penangguhan"})
    assert response.status_code == 302
    suspended = manager.get("/home")
    assert suspended.status_code == 503 and "sedang tidak aktif" in suspended.get_data(as_text=True)
    assert region_client(slug).post("/login", data={"email": f"manager@{slug}.demo",
                                                   "password": "test-demo-password"}).status_code == 503
    with app.app_context():
        tenant = db.session.get(Tenant, tid)
        assert tenant.status == "suspended"
        with tenant_context(tenant):
            assert (db.session.scalar(select(func.count()).select_from(Position)),
                    db.session.scalar(select(func.count()).select_from(Membership))) == before
        event_row = db.session.scalar(select(PlatformAuditEvent).where(
            PlatformAuditEvent.tenant_id == tid, PlatformAuditEvent.action == "region.suspend"))
        assert event_row.detail == {"before": "active", "reason": "Uji penangguhan"}

    assert admin.post(f"/console/regions/{tid}/activate").status_code == 302
    assert manager.get("/home").status_code == 200  # the old session works again
    assert manager.get("/cases/?view=all").status_code == 200
    with app.app_context():
        assert db.session.get(Tenant, tid).status == "active"
        actions = set(db.session.scalars(select(PlatformAuditEvent.action).where(PlatformAuditEvent.tenant_id == tid)))
        assert {"region.suspend", "region.reactivate"} <= actions


def test_activating_an_onboarding_region_lists_it(app, admin, region_client):
    tid, slug = make_region(app, status="onboarding")
    assert slug not in region_client(None).get("/").get_data(as_text=True)
    response = admin.post(f"/console/regions/{tid}/activate", data={"confirm": "y", "reason": "uji"})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "sudah tayang" in page
    assert slug in region_client(None).get("/").get_data(as_text=True)
    again = admin.post(f"/console/regions/{tid}/activate", data={"confirm": "y", "reason": "uji"},
                       follow_redirects=True)
    assert "sudah aktif" in again.get_data(as_text=True)


def test_suspending_twice_is_refused_politely(app, admin):
    tid, _slug = make_region(app, status="suspended")
    page = admin.post(f"/console/regions/{tid}/suspend", follow_redirects=True).get_data(as_text=True)
    assert "sudah ditangguhkan" in page


def test_rename_redirects_the_old_subdomain(app, admin, region_client):
    tid, old = make_region(app, accounts=True)
    new = unique_slug("baru")
    response = admin.post(f"/console/regions/{tid}/subdomain", data={"slug": new})
    assert response.status_code == 302
    moved = region_client(old).get("/login?next=/cases/")
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"http://{new}.slrt.test/login?next=/cases/"
    staff_member = region_client(new)
    staff_member.login(f"manager@{old}.demo")  # demo accounts were named after the old slug
    assert staff_member.get("/home").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(TenantAlias.tenant_id).where(TenantAlias.old_slug == old)) == tid
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert "Alamat lama (dialihkan)" in page and old in page


def test_rename_refuses_taken_invalid_and_aliased_subdomains(app, admin):
    tid, old = make_region(app)
    other, _ = make_region(app)
    new = unique_slug("pindah")
    assert admin.post(f"/console/regions/{other}/subdomain", data={"slug": new}).status_code == 302
    with app.app_context():
        other_old = db.session.scalar(select(TenantAlias.old_slug).where(TenantAlias.tenant_id == other))
    for slug, message in [("bekasi", "sudah dipakai Kota Bekasi"), ("Huruf Besar", "Gunakan huruf kecil"),
                          ("api", "dicadangkan"), (other_old, "masih dialihkan"), (old, "subdomain daerah ini")]:
        response = admin.post(f"/console/regions/{tid}/subdomain", data={"slug": slug})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and message in page, slug
        assert 'id="slug-error"' in page


def test_a_region_may_go_back_to_its_former_subdomain(app, admin, region_client):
    tid, first = make_region(app)
    second = unique_slug("kedua")
    assert admin.post(f"/console/regions/{tid}/subdomain", data={"slug": second}).status_code == 302
    assert admin.post(f"/console/regions/{tid}/subdomain", data={"slug": first}).status_code == 302
    assert region_client(first).get("/").status_code == 200
    assert region_client(second).get("/").status_code == 301
    with app.app_context():
        assert set(db.session.scalars(select(TenantAlias.old_slug).where(TenantAlias.tenant_id == tid))) == {second}


def test_region_page_for_admin_and_auditor(app, admin, auditor):
    tid, slug = make_region(app)
    page = admin.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert "Tangguhkan" in page and "Ganti subdomain" in page and f"{slug}.slrt.test" in page
    page = auditor.get(f"/console/regions/{tid}").get_data(as_text=True)
    assert "Tangguhkan" not in page and "Ganti subdomain" not in page and f"{slug}.slrt.test" in page


def test_unknown_region_id_is_404(admin):
    assert admin.get("/console/regions/00000000-0000-0000-0000-000000000000").status_code == 404


def test_region_counts_use_all_tenants(app_ctx):
    # Outside any region the scoped query sees nothing; the platform figures see every region.
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0
    assert db.session.scalar(select(func.count()).select_from(Membership)
                             .execution_options(**{ALL_TENANTS: True})) > 0
    assert {r.tenant.slug for r in region_rows()} >= {"bekasi", "cianjur", "batubara", "payakumbuh", "palembang"}
