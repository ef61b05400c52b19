"""The onboarding wizard: each step checks its fields; only the last step creates anything."""
from __future__ import annotations

import base64
import io

import pytest
from sqlalchemy import func, select

from app.accounts.invitations import Invitation
from app.accounts.outbox import OutboundEmail
from app.extensions import db
from app.org.models import Position
from app.platform.models import PlatformAuditEvent
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.helpers.platform import WIZARD_URL as URL
from tests.helpers.platform import blank_data, free_region_code, unique_slug


@pytest.fixture()
def admin(region_client):
    client = region_client(None)
    client.login("admin@platform.demo")
    return client


def post(client, step: int, data, **extra):
    form = {**data.hidden(), "step": str(step), **extra}
    return client.post(URL, data=form, content_type="multipart/form-data")


def tenant_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Tenant))


def test_search_finds_by_name_and_code_and_marks_live_regions(admin):
    page = admin.get(URL + "?q=sukabumi").get_data(as_text=True)
    assert "Kota Sukabumi" in page and "Kabupaten Sukabumi" in page and "32.72" in page
    live = admin.get(URL + "?q=32.03").get_data(as_text=True)
    assert "Kabupaten Cianjur" in live and "sudah terdaftar" in live
    assert 'value="32.03"\n                   disabled' in live or 'value="32.03" disabled' in " ".join(live.split())


def test_search_answers_htmx_with_the_results_only(admin):
    response = admin.get(URL + "?q=bekasi", headers={"HX-Request": "true", "HX-Target": "region-results"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith('<div id="region-results">')
    assert "<html" not in page and "Kota Bekasi" in page


def test_step_one_needs_an_unregistered_official_region(admin, app_ctx):
    response = post(admin, 1, blank_data(region_code=""))
    assert response.status_code == 422 and "Pilih kabupaten/kota dari daftar resmi." in response.get_data(as_text=True)
    response = post(admin, 1, blank_data(region_code="32.75"))
    assert response.status_code == 422
    assert "Kota Bekasi sudah terdaftar (subdomain &#39;bekasi&#39;)." in response.get_data(as_text=True)
    response = post(admin, 1, blank_data(region_code="99.99"))
    assert response.status_code == 422 and "tidak ada dalam daftar resmi" in response.get_data(as_text=True)


def test_step_one_leads_to_the_starting_point(admin, app_ctx):
    code = free_region_code()
    response = post(admin, 1, blank_data(code, start=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'aria-current="step">Struktur awal' in page
    assert f'name="region_code" value="{code}"' in page


def test_step_two_reports_a_missing_choice_at_its_field(admin, app_ctx):
    data = blank_data(start="")
    response = post(admin, 2, data)
    assert response.status_code == 422 and "Pilih titik awal struktur." in response.get_data(as_text=True)
    response = post(admin, 2, blank_data(start="copy", copy_from=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="copy_from-error">Pilih daerah yang strukturnya disalin.' in page


def test_uploaded_template_problems_are_listed_at_the_file_field(admin, app_ctx):
    bad = "format: 1\nunits:\n  - {key: a, name: A, kind: kantor, legal_basis: Pasal 1}\npositions: []\n"
    data = blank_data(start="upload", slug="")
    response = post(admin, 2, data, template_file=(io.BytesIO(bad.encode()), "baru.yaml"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="template_file-error"' in page and "kantor" in page and "positions" in page
    response = post(admin, 2, data, template_file=(io.BytesIO(b"a: [1, 2"), "rusak.yaml"))
    assert response.status_code == 422 and "YAML tidak sah" in response.get_data(as_text=True)


def test_a_valid_upload_moves_on_and_travels_as_a_hidden_field(admin, app_ctx):
    from app.tenants.export import export_region, to_yaml

    payakumbuh = db.session.scalar(select(Tenant).where(Tenant.slug == "payakumbuh"))
    text = to_yaml(export_region(payakumbuh))
    data = blank_data(start="upload", slug="", service_name="", regulation_title="", regulation_short="")
    response = post(admin, 2, data, template_file=(io.BytesIO(text.encode()), "dari-payakumbuh.yaml"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'aria-current="step">Layanan' in page
    assert base64.b64encode(text.encode()).decode() in page
    assert 'value="UPT-PSPK"' in page  # the uploaded region block pre-fills the service step


def test_service_step_checks_the_subdomain(admin, app_ctx):
    for slug, message in [("bukan_sah", "Gunakan huruf kecil"), ("bekasi", "sudah dipakai Kota Bekasi"),
                          ("www", "dicadangkan"), ("-awal", "Gunakan huruf kecil")]:
        response = post(admin, 3, blank_data(slug=slug))
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and message in page, slug
        assert f'value="{slug}"' in page  # what was typed is kept
    response = post(admin, 3, blank_data(service_name="", regulation_short=""))
    page = response.get_data(as_text=True)
    assert "Nama layanan wajib diisi." in page and "Singkatan peraturan wajib diisi." in page


def test_invalid_manager_email_creates_nothing(app, admin):
    before = tenant_count(app)
    with app.app_context():
        data = blank_data(manager_email="bukan-email")
    response = post(admin, 4, data)
    assert response.status_code == 422 and "Format email tidak sah." in response.get_data(as_text=True)
    assert tenant_count(app) == before
    with app.app_context():
        assert db.session.scalar(select(Tenant).where(Tenant.region_code == data.region_code)) is None
        assert db.session.scalar(select(Invitation).where(Invitation.email == "bukan-email")) is None


def test_a_stale_earlier_step_is_caught_at_the_last_step(app, admin):
    with app.app_context():
        data = blank_data(slug="cianjur")
    response = post(admin, 4, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'aria-current="step">Layanan' in page and "sudah dipakai" in page


def test_back_keeps_what_was_typed(admin, app_ctx):
    data = blank_data(manager_name="Rina Uji")
    response = post(admin, 4, data, back="3")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f'value="{data.slug}"' in page
    assert 'name="manager_name" value="Rina Uji"' in page


def test_blank_structure_onboards_a_region_and_invites_its_manager(app, admin):
    with app.app_context():
        data = blank_data(manager_email=f"{unique_slug('manajer')}@uji.test", puskesos="")
    response = post(admin, 4, data)
    assert response.status_code == 302
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.region_code == data.region_code))
        assert tenant.status == "onboarding" and tenant.slug == data.slug
        assert response.headers["Location"].endswith(f"/console/regions/{tenant.id}")
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == data.manager_email))
        with tenant_context(tenant):
            position = db.session.get(Position, (tenant.id, invitation.position_id))
            assert position.role == "manager" and position.title == "Manajer SLRT"
            assert "welfare_center_coordinator" not in set(db.session.scalars(select(Position.role)))
        assert invitation.tenant_id == tenant.id and invitation.invited_by is not None
        assert db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == data.manager_email))
        event = db.session.scalar(select(PlatformAuditEvent).where(PlatformAuditEvent.tenant_id == tenant.id,
                                                                   PlatformAuditEvent.action == "region.onboard"))
        assert event.actor == "admin@platform.demo" and event.detail["start"] == "blank"
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "tautan undangan" in page and f"{data.slug}.slrt.test/invite/" in page
    # The same region a second time is refused at the first step.
    again = post(admin, 1, data)
    assert again.status_code == 422 and "sudah terdaftar" in again.get_data(as_text=True)


def test_htmx_last_step_redirects_the_whole_page(app, admin):
    with app.app_context():
        data = blank_data(manager_email=f"{unique_slug('m')}@uji.test")
    response = admin.post(URL, data={**data.hidden(), "step": "4"},
                          headers={"HX-Request": "true", "HX-Target": "wizard"})
    assert response.status_code == 200 and "/console/regions/" in response.headers["HX-Redirect"]


def test_htmx_step_answers_with_the_wizard_fragment(admin, app_ctx):
    response = admin.post(URL, data={**blank_data(slug="salah_").hidden(), "step": "3"},
                          headers={"HX-Request": "true", "HX-Target": "wizard"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.lstrip().startswith('<div id="wizard">') and "<html" not in page


def test_copy_of_an_existing_region(app, admin):
    with app.app_context():
        cianjur = db.session.scalar(select(Tenant).where(Tenant.slug == "cianjur"))
        data = blank_data(start="copy", copy_from=str(cianjur.id), manager_email=f"{unique_slug('m')}@uji.test")
    assert post(admin, 4, data).status_code == 302
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.region_code == data.region_code))
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == data.manager_email))
        with tenant_context(tenant):
            position = db.session.get(Position, (tenant.id, invitation.position_id))
        assert position.title == "Kepala Sekretariat (Manajer) SLRT Kabupaten"
        assert tenant.template_source == "salinan:cianjur"


def test_onboarding_region_is_not_listed_and_only_its_staff_may_log_in(app, admin, region_client):
    with app.app_context():
        data = blank_data(manager_email=f"{unique_slug('m')}@uji.test")
    assert post(admin, 4, data).status_code == 302
    front = region_client(data.slug).get("/")
    assert front.status_code == 200 and "Masuk petugas" in front.get_data(as_text=True)
    refused = region_client(data.slug).post("/login", data={"email": "manager@bekasi.demo",
                                                            "password": "test-demo-password"})
    assert refused.status_code == 422
    assert data.slug not in region_client(None).get("/").get_data(as_text=True)


def test_auditor_cannot_use_the_wizard(region_client, app_ctx):
    auditor = region_client(None)
    auditor.login("auditor@platform.demo")
    assert auditor.get(URL).status_code == 403
    assert post(auditor, 4, blank_data()).status_code == 403
