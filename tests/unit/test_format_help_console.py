"""The template format (FORMAT.md) on the national console: the same file as the region's help page,
reachable by whoever onboards a region, and linked from the wizard's upload."""
from __future__ import annotations

import pytest

from tests.conftest import DEMO_PASSWORD

URL = "/console/format"


@pytest.fixture()
def as_platform(region_client):
    def make(email):
        client = region_client(None)
        client.login(email, DEMO_PASSWORD)
        return client
    return make


def _doc(page: str) -> str:
    return page.split('class="format-doc"', 1)[1].split("</article>", 1)[0]


def test_the_national_admin_reads_the_format_rendered_safely(as_platform, staff):
    response = as_platform("admin@platform.demo").get(URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Format berkas templat daerah (YAML)" in page
    assert '<h3 id="canonical-roles">Canonical roles</h3>' in page and 'href="#canonical-roles"' in page
    assert '<div class="overflow-auto" tabindex="0"><table>' in page and "<code>request_referral</code>" in page
    assert "<script" not in _doc(page)
    # The same file, rendered the same way, as the region's own help page.
    region = staff("manager", "payakumbuh").get("/settings/format").get_data(as_text=True)
    assert _doc(region) == _doc(page)


def test_auditors_read_it_too_and_the_view_is_recorded(app, as_platform):
    from sqlalchemy import select

    from app.extensions import db
    from app.platform.models import PlatformAuditEvent

    assert as_platform("auditor@platform.demo").get(URL).status_code == 200
    with app.app_context():
        last = db.session.scalars(select(PlatformAuditEvent).order_by(PlatformAuditEvent.at.desc())).first()
        assert last.action == "auditor.view" and last.object_id == "platform.format_help"


def test_it_needs_a_platform_login_and_does_not_exist_at_a_region(region_client, staff):
    anonymous = region_client(None).get(URL)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert staff("manager", "bekasi").get(URL).status_code == 404


def test_the_wizard_links_it_at_the_top_and_at_the_upload(as_platform, app_ctx):
    from tests.helpers.platform import WIZARD_URL, blank_data

    admin = as_platform("admin@platform.demo")
    first = admin.get(WIZARD_URL).get_data(as_text=True)
    assert f'href="{URL}"' in first
    data = blank_data()
    second = admin.post(WIZARD_URL, data={**data.hidden(), "step": "1"}).get_data(as_text=True)
    upload = second.split('name="start" value="upload"', 1)[1]
    assert f'href="{URL}"' in upload.split("</fieldset>", 1)[0]


def test_import_and_export_link_the_region_format_page(staff):
    page = staff("manager", "payakumbuh").get("/settings/transfer").get_data(as_text=True)
    assert page.count('href="/settings/format"') >= 1
