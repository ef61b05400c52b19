"""One structured log line per request and per job run; the request id in a header and on the 500 page."""
from __future__ import annotations

import json
import logging
import re
import runpy
from pathlib import Path

import pytest

from app import create_app
from config import ROOT
from tests.conftest import HostClient

REQUEST_FIELDS = {"request_id", "region", "user_id", "method", "route", "status", "duration_ms"}


def request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "slrt.request"]


def test_one_line_per_request_with_its_fields(staff, caplog):
    client = staff("case_officer", "bekasi")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="slrt.request"):
        response = client.get("/cases/?q=3201")
    lines = request_lines(caplog)
    assert len(lines) == 1
    line = lines[0]
    assert set(line) >= REQUEST_FIELDS
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["region"] == "bekasi" and line["status"] == 200 and line["method"] == "GET"
    assert line["route"] == "/cases/" and "3201" not in json.dumps(line)  # no query string (may hold a NIK)
    assert re.fullmatch(r"[0-9a-f-]{36}", line["user_id"])
    assert isinstance(line["duration_ms"], (int, float)) and line["duration_ms"] >= 0


def test_anonymous_refusal_is_logged_too(region_client, caplog):
    with caplog.at_level(logging.INFO, logger="slrt.request"):
        response = region_client(None).get("/no-such-page")
    (line,) = request_lines(caplog)
    assert line["status"] == 404 and line["user_id"] is None and line["region"] is None
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_request_id_header_on_every_response(region_client):
    for slug, path in (("bekasi", "/login"), (None, "/"), ("bekasi", "/static/css/app.css"), (None, "/nope")):
        response = region_client(slug).get(path)
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_well_formed_incoming_request_id_is_kept(region_client):
    given = "lb-7f3a9c2e-4b1d-4e8a"
    response = region_client("bekasi").get("/login", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] == given


@pytest.mark.parametrize("bad", ["", "short", "x" * 200, "abc def ghi", "<script>alert(1)</script>",
                                 "id;Set-Cookie=a", "ünïcödé-request-id"])
def test_bad_incoming_request_id_is_replaced(region_client, bad, caplog):
    with caplog.at_level(logging.INFO, logger="slrt.request"):
        response = region_client("bekasi").get("/login", headers={"X-Request-ID": bad})
    returned = response.headers["X-Request-ID"]
    assert returned != bad and re.fullmatch(r"[0-9a-f]{32}", returned)
    assert request_lines(caplog)[-1]["request_id"] == returned


@pytest.fixture()
def failing_app(app):
    probe = create_app({**app.config, "PROPAGATE_EXCEPTIONS": False})

    @probe.route("/probe-crash")
    def crash():
        raise RuntimeError("boom")

    return probe


def test_500_page_shows_the_request_id(failing_app, caplog):
    with caplog.at_level(logging.INFO, logger="slrt.request"):
        response = HostClient(failing_app, "bekasi").get("/probe-crash")
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert request_id in response.get_data(as_text=True)
    (line,) = request_lines(caplog)
    assert line["status"] == 500 and line["request_id"] == request_id and line["route"] == "/probe-crash"


def test_htmx_500_fragment_shows_the_request_id_too(failing_app):
    response = HostClient(failing_app, "bekasi").get("/probe-crash", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "<html" not in body
    assert response.headers["X-Request-ID"] in body


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["bind"] == "0.0.0.0:8123" and settings["workers"] == 5
    assert settings["accesslog"] is None and settings["timeout"] > 0
    web = next(line for line in Path(ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "-c gunicorn.conf.py" in web and "app:create_app()" in web
