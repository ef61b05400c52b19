"""A background job (report or register import) whose row or region has gone by the time a worker (or the
queue's failure handling) looks for it: logged and skipped, never a crash in the worker or in the request that
queued it."""
from __future__ import annotations

import logging
import uuid

import pytest

from app.jobs import reports
from tests.helpers.register import IMPORT_SLUG
from tests.helpers.reports import client_for, latest_job, request_report

pytestmark = pytest.mark.usefixtures("report_settings", "import_settings")


def gone_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "gone" in r.getMessage()]


def test_mark_failed_for_a_region_job_whose_row_is_gone_is_logged_and_skipped(app, region_client, caplog):
    request_report(client_for(region_client))
    tenant_id = str(latest_job(app).tenant_id)
    with app.app_context(), caplog.at_level(logging.WARNING):
        reports.mark_failed(reports.build_region_report, (str(uuid.uuid4()), tenant_id), "antrean mati")
    assert len(gone_warnings(caplog)) == 1


def test_mark_failed_for_a_region_that_is_gone_is_logged_and_skipped(app, caplog):
    with app.app_context(), caplog.at_level(logging.WARNING):
        reports.mark_failed(reports.build_region_report, (str(uuid.uuid4()), str(uuid.uuid4())), "antrean mati")
    assert len(gone_warnings(caplog)) == 1


def test_mark_failed_for_a_platform_job_whose_row_is_gone_is_logged_and_skipped(app, caplog):
    with app.app_context(), caplog.at_level(logging.WARNING):
        reports.mark_failed(reports.build_platform_report, (str(uuid.uuid4()),), "antrean mati")
    assert len(gone_warnings(caplog)) == 1


def test_a_lost_run_of_a_region_that_is_gone_is_logged_and_skipped(app, caplog):
    with app.app_context(), caplog.at_level(logging.WARNING):
        reports._report_lost((str(uuid.uuid4()), str(uuid.uuid4())), True, False)
    assert len(gone_warnings(caplog)) == 1


def test_mark_failed_still_fails_a_job_that_is_there(app, region_client, monkeypatch):
    monkeypatch.setattr(reports, "dispatch", lambda *args: None)  # queued, and never handed over
    request_report(client_for(region_client))
    job = latest_job(app)
    with app.app_context():
        reports.mark_failed(reports.build_region_report, (str(job.id), str(job.tenant_id)), "antrean mati")
    failed = latest_job(app)
    assert (failed.status, failed.error) == ("failed", "antrean mati")


def test_a_failed_import_whose_job_row_is_gone_is_logged_and_its_upload_removed(app, import_settings, caplog):
    from sqlalchemy import select

    from app.extensions import db
    from app.jobs.register_import import _finish_failed
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    upload = import_settings / "hilang.csv"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("nik\n")
    with app.app_context(), caplog.at_level(logging.WARNING):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == IMPORT_SLUG))
        with tenant_context(tenant):
            _finish_failed((tenant.id, uuid.uuid4()), upload, "OSError: disk", retry=True)
    assert len(gone_warnings(caplog)) == 1
    assert not upload.exists()


def test_a_job_whose_period_cannot_be_read_fails_saying_so(app, region_client, monkeypatch):
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from app.tenancy.models import Tenant

    monkeypatch.setattr(reports, "dispatch", lambda *args: None)  # queued, and run below
    request_report(client_for(region_client))
    job = latest_job(app)
    with app.app_context():
        with tenant_context(db.session.get(Tenant, job.tenant_id)):
            row = db.session.get(reports.ReportJob, (job.tenant_id, job.id))
            row.period = "1900-01"  # changed since it was requested
            db.session.commit()
        reports.run_inline(reports.build_region_report, str(job.id), str(job.tenant_id))
    failed = latest_job(app)
    assert failed.status == "failed" and failed.error.startswith("ValueError: report period '1900-01'")
