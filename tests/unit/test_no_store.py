"""Pages and downloads with personal data are never stored by a browser or a proxy.

Checked from the URL map (every page without parameters, at a region and at the apex,
signed in) and for each kind of download; static files keep their caching.
"""
from __future__ import annotations

import pytest

from app.extensions import db
from app.tenancy.context import tenant_context
from tests.conftest import DEMO_PASSWORD, HostClient
from tests.factories import tenant
from tests.helpers.attachments import attach_to_case, token_for
from tests.helpers.casework import new_case
from tests.helpers.reports import job_in_bekasi_manager


def _no_store(response) -> bool:
    response.get_data()
    response.close()  # a streamed download keeps its request context until closed
    return "no-store" in response.headers.get("Cache-Control", "")


def _plain_get_urls(app, prefix: str) -> list[str]:
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
                  and rule.rule.startswith(prefix))


@pytest.mark.parametrize("slug,email,prefix", [("bekasi", "manager@bekasi.demo", "/"),
                                               (None, "admin@platform.demo", "/console")])
def test_every_signed_in_page_says_no_store(app, slug, email, prefix):
    client = HostClient(app, slug)
    client.login(email, DEMO_PASSWORD)
    urls = _plain_get_urls(app, prefix)
    assert len(urls) > 5
    missing = [(url, r.status_code) for url in urls if not _no_store(r := client.get(url))]
    assert not missing, missing


def test_downloads_say_no_store(app, staff, region_client, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path))
    case = new_case(app, "bekasi")
    with app.app_context(), tenant_context(tenant("bekasi")):
        job = job_in_bekasi_manager()
        attachment = attach_to_case(case["id"], "manager@bekasi.demo")["id"]
        link = f"/attachments/{attachment}/download?token={token_for(attachment, 'manager@bekasi.demo')}"
        db.session.commit()
    manager = staff("manager", "bekasi")
    auditor = region_client(None)
    auditor.login("auditor@platform.demo")
    downloads = {
        "receipt": staff("intake_officer", "bekasi").get(f"/intake/cases/{case['id']}/receipt.pdf"),
        "report": manager.get(f"/dashboard/reports/{job['job_id']}/download?token={job['token']}"),
        "config": manager.get("/settings/transfer/export"),
        "register sample": manager.get("/register/sample.csv"),
        "attachment": manager.get(link),
        "audit csv": auditor.get("/console/audit.csv"),
    }
    assert {name: r.status_code for name, r in downloads.items()} == {name: 200 for name in downloads}
    assert all(_no_store(r) for r in downloads.values()), {n: r.headers.get("Cache-Control")
                                                           for n, r in downloads.items()}


def test_the_public_status_answer_is_not_stored(region_client):
    response = region_client("bekasi").post("/status", data={"ticket": "XX-0000", "phone_last4": "1234"})
    assert response.status_code < 500 and _no_store(response)


def test_static_files_keep_their_caching(region_client):
    response = region_client("bekasi").get("/static/css/app.css")
    assert response.status_code == 200 and not _no_store(response)
    signed_in = HostClient(region_client("bekasi").app, "bekasi")
    signed_in.login("manager@bekasi.demo", DEMO_PASSWORD)
    assert not _no_store(signed_in.get("/static/css/app.css"))


def test_a_page_for_nobody_signed_in_may_be_cached(region_client):
    assert not _no_store(region_client("bekasi").get("/login"))
