"""Bad input never makes a 500: NUL bytes and absurd dates get a clear 400/422.

The routes come from the URL map, so a new page is covered the day it is added: every GET
route is called with a NUL byte in the query string (400, Indonesian page) and with dates
far outside any real period (answered below 500), at a region and at the apex.
"""
from __future__ import annotations

import uuid

import pytest

from tests.conftest import DEMO_PASSWORD, HostClient

ABSURD = ("from=0001-01-01&to=9999-12-31&start=0001-01-01&end=9999-12-31&month=0000-01&year=0001"
          "&period=9999-12")
NUL_MESSAGE = "karakter yang tidak sah"
DATE_MESSAGE = "Tanggal harus antara tahun 2000"


def _sample(converter: str) -> str:
    return {"UUIDConverter": str(uuid.uuid4()), "IntegerConverter": "1"}.get(converter, "x")


def get_urls(app) -> list[str]:
    """Every GET route with sample values for its parts."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {name: _sample(type(conv).__name__) for name, conv in rule._converters.items()}
        urls.append(rule.build(values, append_unknown=False)[1])
    return sorted(urls)


@pytest.fixture(scope="module")
def clients(app):
    region, apex = HostClient(app, "bekasi"), HostClient(app, None)
    region.login("manager@bekasi.demo", DEMO_PASSWORD)
    apex.login("admin@platform.demo", DEMO_PASSWORD)
    return {"region": region, "apex": apex}


def test_the_url_map_is_covered(app):
    assert len(get_urls(app)) > 40


@pytest.mark.parametrize("host", ["region", "apex"])
def test_nul_in_the_query_string_is_refused_on_every_get_route(app, clients, host):
    failures = []
    for url in get_urls(app):
        for query in ("x=%00", "q=a%00b", "%00=1"):
            response = clients[host].get(f"{url}?{query}")
            response.close()
            if response.status_code != 400 or NUL_MESSAGE not in response.get_data(as_text=True):
                failures.append((url, query, response.status_code))
    assert not failures, failures


@pytest.mark.parametrize("host", ["region", "apex"])
def test_absurd_dates_never_make_a_server_error_on_any_get_route(app, clients, host):
    failures = []
    for url in get_urls(app):
        response = clients[host].get(f"{url}?{ABSURD}")
        response.get_data()
        response.close()  # a streamed download keeps its request context until closed
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    assert not failures, failures


def test_nul_in_the_path_and_in_a_form_is_refused(clients):
    assert clients["region"].get("/cases/%00").status_code == 400
    response = clients["region"].post("/intake/", data={"name": "Siti\x00Aminah"})
    assert response.status_code == 400 and NUL_MESSAGE in response.get_data(as_text=True)
    anonymous = clients["region"].client.application.test_client()
    response = anonymous.post("/login", base_url=clients["region"].base_url,
                              data={"email": "a\x00@b.c", "password": "x"})
    assert response.status_code == 400


def test_htmx_gets_the_message_as_a_fragment_for_the_message_area(clients):
    response = clients["region"].get("/cases/?q=%00", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and NUL_MESSAGE in page and "<html" not in page
    assert response.headers["HX-Retarget"] == "#page-message"


@pytest.mark.parametrize("query", ["from=0001-01-01&to=9999-12-31", "from=1999-12-31", "to=9999-12-31",
                                   "from=0001-01-01"])
def test_dashboard_reports_an_absurd_date_at_its_field(clients, query):
    response = clients["region"].get(f"/dashboard/?{query}")
    assert response.status_code in (200, 422) and DATE_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/console/compare?start=0001-01-01&end=9999-12-31",
                                 "/console/audit?start=0001-01-01&end=9999-12-31",
                                 "/console/audit.csv?start=0001-01-01&end=9999-12-31"])
def test_platform_filters_report_an_absurd_date_at_the_field(clients, url):
    response = clients["apex"].get(url)
    assert response.status_code == 422 and DATE_MESSAGE in response.get_data(as_text=True)


FUTURE = "Periode itu belum dimulai."


@pytest.mark.parametrize("fields,message", [
    ({"kind": "monthly", "month": "0000-01"}, DATE_MESSAGE), ({"kind": "monthly", "month": "1999-12"}, DATE_MESSAGE),
    ({"kind": "yearly", "year": "0001"}, DATE_MESSAGE), ({"kind": "monthly", "month": "9999-12"}, FUTURE),
    ({"kind": "yearly", "year": "9999"}, FUTURE)])
@pytest.mark.parametrize("who,url", [("region", "/dashboard/reports"), ("apex", "/console/reports/")])
def test_report_request_with_an_absurd_period_is_refused_at_the_field(clients, who, url, fields, message):
    response = clients[who].post(url, data={"format": "pdf", "scope": "national", **fields})
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert f'<small class="field-error">{message}' in page
