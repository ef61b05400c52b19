"""One structured log line for each job run: job id, region, kind, status, duration."""
from __future__ import annotations

import json
import logging

import pytest

from tests.helpers.register import IMPORT_SLUG, batubara_csv, jobs, upload
from tests.helpers.reports import SLUG, client_for, drain, failing_writer, latest_job, request_report

pytestmark = pytest.mark.usefixtures("report_settings", "import_settings")

JOB_FIELDS = {"job_id", "region", "kind", "status", "duration_ms"}


def job_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "slrt.job"]


def test_a_report_job_run_logs_one_line(app, region_client, caplog):
    client = client_for(region_client)
    with caplog.at_level(logging.INFO, logger="slrt.job"):
        request_report(client)
        drain(app)
    (line,) = job_lines(caplog)
    assert set(line) >= JOB_FIELDS
    assert (line["job_id"], line["region"], line["kind"], line["status"]) == (
        str(latest_job(app).id), SLUG, "region_report", "done")
    assert line["duration_ms"] >= 0


def test_each_failed_attempt_logs_its_error(app, region_client, monkeypatch, caplog):
    from app.dashboard import reporting

    write, _calls = failing_writer(1)
    monkeypatch.setattr(reporting, "write_region_report", write)
    with caplog.at_level(logging.INFO, logger="slrt.job"):
        request_report(client_for(region_client))
        drain(app)
    lines = job_lines(caplog)
    assert [line["status"] for line in lines] == ["error", "done"]
    assert lines[0]["error"] == "RuntimeError" and lines[0]["job_id"] == lines[1]["job_id"]


def test_a_register_import_run_logs_one_line(app, staff, caplog):
    client = staff("manager", IMPORT_SLUG)
    with caplog.at_level(logging.INFO, logger="slrt.job"):
        assert upload(client, batubara_csv(app, 3, "61"), "kecil.csv").status_code == 302
    (line,) = job_lines(caplog)
    assert (line["job_id"], line["region"], line["kind"], line["status"]) == (
        str(jobs(app)[0].id), IMPORT_SLUG, "register_import", "done")


def test_a_run_whose_worker_died_logs_a_lost_line(app, region_client, monkeypatch, caplog):
    from app.jobs import reports

    monkeypatch.setattr(reports, "dispatch", lambda *args: None)  # queued, and no worker takes it
    request_report(client_for(region_client))
    job = latest_job(app)
    with app.app_context(), caplog.at_level(logging.INFO, logger="slrt.job"):
        reports._report_lost((str(job.id), str(job.tenant_id)), True, False)  # RQ found it abandoned
    (line,) = job_lines(caplog)
    assert (line["job_id"], line["region"], line["kind"], line["status"], line["retrying"]) == (
        str(job.id), SLUG, "region_report", "lost", False)
    assert latest_job(app).status == "failed"
