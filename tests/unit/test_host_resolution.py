"""The tenant comes from the host, and only from the host."""
from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import Tenant, TenantStatus
from app.tenancy.resolver import subdomain_of


def test_subdomain_parsing():
    assert subdomain_of("bekasi.localhost:5000", "localhost:5000") == "bekasi"
    assert subdomain_of("localhost:5000", "localhost:5000") == ""
    assert subdomain_of("BEKASI.slrt.test", "slrt.test") == "bekasi"
    assert subdomain_of("a.b.slrt.test", "slrt.test") is None
    assert subdomain_of("evil.example.com", "slrt.test") is None


def test_apex_lists_live_regions(region_client):
    page = region_client(None).get("/").get_data(as_text=True)
    for name in ("Kota Bekasi", "Kabupaten Cianjur", "Kabupaten Batu Bara", "Kota Payakumbuh", "Kota Palembang"):
        assert name in page
    assert "http://payakumbuh.slrt.test/" in page


def test_region_front_page_shows_service_and_regulation(region_client):
    page = region_client("payakumbuh").get("/").get_data(as_text=True)
    assert "UPT-PSPK" in page
    assert "Nomor 22 Tahun 2017" in page
    assert 'name="email"' in page
    page = region_client("batubara").get("/").get_data(as_text=True)
    assert "Perjuangan" in page


def test_unknown_subdomain_gets_clear_404(region_client):
    response = region_client("atlantis").get("/")
    assert response.status_code == 404
    assert "Daerah tidak ditemukan" in response.get_data(as_text=True)


def test_foreign_host_gets_404(app):
    response = app.test_client().get("/", base_url="http://evil.example.com")
    assert response.status_code == 404


def test_tenant_is_not_taken_from_query_or_form(staff):
    client = staff("manager", "cianjur")
    page = client.get("/home?tenant=bekasi&tenant_id=bekasi").get_data(as_text=True)
    assert "Kabupaten Cianjur" in page and "Kota Bekasi" not in page


def test_suspended_region_shows_not_active_page(app, region_client):
    with app.app_context():
        t = db.session.scalar(select(Tenant).where(Tenant.slug == "palembang"))
        t.status = TenantStatus.SUSPENDED.value
        db.session.commit()
    try:
        response = region_client("palembang").get("/")
        assert response.status_code == 503
        assert "sedang tidak aktif" in response.get_data(as_text=True)
        assert region_client("palembang").post(
            "/login", data={"email": "manager@palembang.demo", "password": "x"}).status_code == 503
        assert region_client("palembang").get("/healthz").status_code == 200
    finally:
        with app.app_context():
            t = db.session.scalar(select(Tenant).where(Tenant.slug == "palembang"))
            t.status = TenantStatus.ACTIVE.value
            db.session.commit()
    assert region_client("palembang").get("/").status_code == 200


def test_healthz_reports_database_and_jobs(app, region_client):
    body = region_client(None).get("/healthz").get_json()
    assert body["database"] == "ok"
    assert body["redis"] == ("ok" if app.config.get("REDIS_URL") else "inline")
    assert body["status"] == "ok"


def test_security_headers(region_client):
    response = region_client("bekasi").get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "HX-Request" in response.headers.get("Vary", "")
