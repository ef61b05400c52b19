"""Scheduled reports and the report settings: the manager chooses which reports are built at the start
of each month; the dispatcher makes each one once (even run twice, or by two workers at once), audited
as the system; the report waits in the reports list, marked "Dijadwalkan", for the region's staff who
may request reports, and for no one else. The signer and the schedule are changed only by who may
configure the region.
"""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Membership, User
from app.audit.models import AuditEvent
from app.dashboard.models import ReportJob
from app.extensions import db
from app.reports import scheduled
from app.reports.models import ReportSchedule, ReportSettings
from app.reports.scheduled import dispatch_all, dispatch_region, due_period
from app.reports.settings import scheduled_reports, set_schedule
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.helpers.report_office import office_region
from tests.helpers.reports import client_for, download_link, drain


@pytest.fixture()
def region(app, tmp_path, monkeypatch):
    """The office data set's region, its reports under a temporary folder; its schedule and signer emptied
    afterwards."""
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REPORT_RETRY_INTERVALS", [0, 0])
    data = office_region(app)
    yield data
    with app.app_context(), tenant_context(db.session.get(Tenant, data["tenant_id"])):
        for row in [*db.session.scalars(select(ReportSchedule)), *db.session.scalars(select(ReportSettings))]:
            db.session.delete(row)
        db.session.commit()


def _in_region(app, data):
    tenant = db.session.get(Tenant, data["tenant_id"])
    return tenant_context(tenant)


def _choose(app, data, chosen) -> None:
    with app.app_context(), _in_region(app, data):
        manager = db.session.scalar(select(User).where(User.email == f"manager@{data['slug']}.demo"))
        set_schedule(manager, chosen)
        db.session.commit()


def _jobs(app, data, key_like: str) -> list[ReportJob]:
    with app.app_context(), _in_region(app, data):
        jobs = list(db.session.scalars(select(ReportJob).where(ReportJob.schedule_key.like(key_like))))
        for job in jobs:
            db.session.expunge(job)
        return jobs


@pytest.mark.parametrize(("kind", "day", "period"), [
    ("monthly", date(2025, 5, 1), "2025-04"), ("monthly", date(2025, 5, 31), "2025-04"),
    ("monthly", date(2025, 1, 1), "2024-12"), ("yearly", date(2025, 1, 1), "2024"),
    ("yearly", date(2025, 1, 31), "2024"), ("yearly", date(2025, 2, 1), None),
])
def test_the_period_a_scheduled_report_covers(kind, day, period):
    assert due_period(kind, day) == period


def test_dispatching_twice_makes_each_report_once(app, region):
    _choose(app, region, {("monthly", "pdf"), ("monthly", "xlsx")})
    with app.app_context():
        first = dispatch_all(date(2025, 5, 1))
        again = dispatch_all(date(2025, 5, 17))  # later in the month: nothing new is due
    drain(app)
    jobs = _jobs(app, region, "monthly:%:2025-04")
    assert first >= 2 and again == 0
    assert sorted(j.schedule_key for j in jobs) == ["monthly:pdf:2025-04", "monthly:xlsx:2025-04"]
    assert all(j.requested_by is None and j.status == "done" and j.period == "2025-04" for j in jobs)


def test_a_second_dispatcher_at_the_same_moment_makes_nothing_twice(app, region, monkeypatch):
    """Two workers both see "not made yet"; the unique key lets only one of them insert."""
    _choose(app, region, {("monthly", "pdf")})
    with app.app_context(), _in_region(app, region):
        assert len(dispatch_region(date(2025, 7, 2))) == 1
        db.session.commit()
        monkeypatch.setattr(scheduled, "_made", lambda key: False)  # the other worker's stale view
        assert dispatch_region(date(2025, 7, 2)) == []
        db.session.commit()
        duplicate = ReportJob(kind="monthly", period="2025-06", format="pdf", schedule_key="monthly:pdf:2025-06")
        db.session.add(duplicate)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    assert len(_jobs(app, region, "monthly:pdf:2025-06")) == 1


def test_yearly_reports_are_made_in_january_only(app, region):
    _choose(app, region, {("yearly", "pdf")})
    with app.app_context():
        dispatch_all(date(2025, 3, 1))
        assert _jobs(app, region, "yearly:%") == []
        dispatch_all(date(2025, 1, 2))
    drain(app)
    assert [j.schedule_key for j in _jobs(app, region, "yearly:%")] == ["yearly:pdf:2024"]


def test_each_scheduled_build_is_audited_as_the_system(app, region):
    _choose(app, region, {("monthly", "pdf")})
    with app.app_context():
        dispatch_all(date(2025, 9, 1))
    [job] = _jobs(app, region, "monthly:pdf:2025-08")
    with app.app_context(), _in_region(app, region):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.scheduled",
                                                           AuditEvent.object_id == str(job.id)))
        assert event.user_id is None and event.actor == "system"
        assert event.detail == {"kind": "monthly", "period": "2025-08", "format": "pdf", "scheduled": True}


def test_the_scheduled_report_waits_in_the_list_for_the_regions_staff(app, region, region_client):
    _choose(app, region, {("monthly", "pdf")})
    with app.app_context():
        dispatch_all(date(2025, 3, 1))  # a month no other test dispatches (its file is in this test's folder)
    drain(app)
    [job] = _jobs(app, region, "monthly:pdf:2025-02")
    for role in ("manager", "monitoring_officer"):  # both may request reports here
        client = client_for(region_client, role, region["slug"])
        page = client.get("/dashboard/reports").get_data(as_text=True)
        assert "Dijadwalkan" in page and f'id="job-{job.id}"' in page
        response = client.get(download_link(page[page.index(f'id="job-{job.id}"'):]))
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    own_page = client_for(region_client, "manager", region["slug"]).get("/dashboard/reports").get_data(as_text=True)
    intruder = client_for(region_client, "manager", "bekasi")  # another region's manager, at their own host
    assert intruder.get(f"/dashboard/reports/{job.id}", headers={"HX-Request": "true"}).status_code == 404
    link = download_link(own_page[own_page.index(f'id="job-{job.id}"'):])
    assert intruder.get(link).status_code == 404
    assert intruder.post(f"/dashboard/reports/{job.id}/retry").status_code == 404
    assert f"job-{job.id}" not in intruder.get("/dashboard/reports").get_data(as_text=True)
    outsider = client_for(region_client, "intake_officer", region["slug"])  # may not request reports
    assert outsider.get(link).status_code == 403


def test_requested_reports_say_who_asked(app, region, region_client):
    client = client_for(region_client, "manager", region["slug"])
    response = client.post("/dashboard/reports", data={"kind": "monthly", "month": "2025-04", "format": "xlsx"})
    assert response.status_code == 302
    drain(app)
    with app.app_context():
        name = db.session.scalar(select(User.name).where(User.email == f"manager@{region['slug']}.demo"))
    assert f"Diminta oleh {name}" in client.get("/dashboard/reports").get_data(as_text=True)


def test_cli_runs_the_dispatcher_without_redis(app, region):
    _choose(app, region, {("monthly", "xlsx")})
    result = app.test_cli_runner().invoke(args=["reports", "run-scheduled", "--date", "2025-11-01"])
    assert result.exit_code == 0 and "scheduled reports made:" in result.output, result.output
    again = app.test_cli_runner().invoke(args=["reports", "run-scheduled", "--date", "2025-11-01"])
    assert "scheduled reports made: 0" in again.output
    drain(app)
    [job] = _jobs(app, region, "monthly:xlsx:2025-10")
    assert job.status == "done"
    bad = app.test_cli_runner().invoke(args=["reports", "run-scheduled", "--date", "1-11-2025"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


# --- the settings page -----------------------------------------------------------------------------------------

def test_the_manager_sets_the_schedule_and_the_signer(app, region, region_client):
    client = client_for(region_client, "manager", region["slug"])
    page = client.get("/dashboard/reports/settings")
    assert page.status_code == 200 and "Laporan terjadwal" in page.get_data(as_text=True)
    saved = client.post("/dashboard/reports/settings/schedule", data={"reports": ["monthly:pdf", "yearly:xlsx"]})
    assert saved.status_code == 302
    signer = client.post("/dashboard/reports/settings/signer", data={
        "signer": "official", "name": "Dra. Kepala Dinas", "title": "Kepala Dinas Sosial",
        "nip": "1970 0101 2000 0310 01", "place": "Uji"})
    assert signer.status_code == 302
    with app.app_context(), _in_region(app, region):
        assert scheduled_reports() == {("monthly", "pdf"), ("yearly", "xlsx")}
        row = db.session.scalar(select(ReportSettings))
        assert (row.signer_name, row.signer_nip, row.sign_place) == ("Dra. Kepala Dinas", "197001012000031001", "Uji")
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"config.report_schedule.update", "config.report_signer.update"} <= actions
    reports_page = client.get("/dashboard/reports").get_data(as_text=True)
    assert "Dibuat otomatis setiap awal bulan" in reports_page and "Atur jadwal dan penanda tangan" in reports_page


def test_a_wrong_nip_or_another_regions_member_is_refused(app, region, region_client):
    client = client_for(region_client, "manager", region["slug"])
    wrong = client.post("/dashboard/reports/settings/signer", data={"signer": "official", "name": "X", "nip": "12345"})
    assert wrong.status_code == 422 and "NIP terdiri dari 18 angka" in wrong.get_data(as_text=True)
    with app.app_context():
        bekasi = db.session.scalar(select(Tenant).where(Tenant.slug == "bekasi"))
        with tenant_context(bekasi):
            stranger = db.session.scalars(select(Membership)).first().id
    refused = client.post("/dashboard/reports/settings/signer", data={"signer": str(stranger)})
    assert refused.status_code == 422 and "Pilih anggota staf daerah ini" in refused.get_data(as_text=True)
    with app.app_context(), _in_region(app, region):
        row = db.session.scalar(select(ReportSettings))
        assert row is None or row.signer_membership_id != stranger


def test_who_may_not_configure_cannot_change_the_schedule(app, region, region_client):
    _choose(app, region, {("monthly", "pdf")})
    for role in ("monitoring_officer", "intake_officer"):  # the first may request reports, not configure
        client = client_for(region_client, role, region["slug"])
        assert client.get("/dashboard/reports/settings").status_code == 403
        assert client.post("/dashboard/reports/settings/schedule", data={"reports": []}).status_code == 403
        assert client.post("/dashboard/reports/settings/signer",
                           data={"signer": "official", "name": "Bukan Pejabat"}).status_code == 403
    monitoring = client_for(region_client, "monitoring_officer", region["slug"])
    assert "Atur jadwal dan penanda tangan" not in monitoring.get("/dashboard/reports").get_data(as_text=True)
    with app.app_context(), _in_region(app, region):
        assert scheduled_reports() == {("monthly", "pdf")}


def test_another_regions_manager_reaches_only_their_own_settings(app, region, region_client):
    _choose(app, region, {("monthly", "pdf"), ("monthly", "xlsx")})
    intruder = client_for(region_client, "manager", "bekasi")
    page = intruder.get("/dashboard/reports/settings").get_data(as_text=True)
    assert "Kota Uji Kantor" not in page and 'value="monthly:pdf" checked' not in page
    assert region_client(region["slug"]).get("/dashboard/reports/settings").status_code == 302  # no session there
    with app.app_context(), _in_region(app, region):
        assert scheduled_reports() == {("monthly", "pdf"), ("monthly", "xlsx")}


# --- one default period for the dashboard and the report form -------------------------------------------------

@pytest.mark.parametrize(("today", "month"), [
    (date(2025, 3, 1), (2025, 3)), (date(2025, 3, 31), (2025, 3)), (date(2025, 1, 1), (2025, 1)),
])
def test_default_period(today, month, app_ctx):
    from app.dashboard.periods import Period, default_period

    assert default_period(today) == Period.month(*month)


@pytest.mark.parametrize("today", [date(2025, 3, 1), date(2025, 12, 20)])
def test_dashboard_and_report_form_open_on_the_same_period(app, region, region_client, monkeypatch, today):
    from app.dashboard import periods

    monkeypatch.setattr(periods, "today", lambda: today)
    expected = periods.default_period(today)
    client = client_for(region_client, "manager", region["slug"])
    board = client.get("/dashboard/").get_data(as_text=True)
    form = client.get("/dashboard/reports").get_data(as_text=True)
    assert f'name="from" value="{expected.start.isoformat()}"' in board
    assert f'name="to" value="{expected.end.isoformat()}"' in board
    assert f'name="month" value="{expected.start.strftime("%Y-%m")}"' in form
    assert f'name="year" min="2000" max="2100" value="{expected.start.year}"' in form


def test_the_worker_runs_the_dispatcher_on_rqs_cron_every_hour(app, monkeypatch):
    from app.jobs.queue import get_queue
    from app.jobs.scheduled_reports import DISPATCH_INTERVAL, dispatch_job, register_dispatch
    from app.jobs.sla import make_cron

    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(app.config, "REDIS_URL", app.config.get("REDIS_URL") or "redis://127.0.0.1:6379/15")
    with app.app_context():
        queue = get_queue()
        jobs = {job.func: job for job in register_dispatch(make_cron(queue), queue).get_jobs()}
    assert jobs[dispatch_job].interval == DISPATCH_INTERVAL == 3600 and jobs[dispatch_job].queue_name == queue.name


def test_the_dispatcher_job_runs_in_its_own_app_context(app, region, monkeypatch):
    from app.dashboard import periods
    from app.jobs.scheduled_reports import dispatch_job

    _choose(app, region, {("monthly", "xlsx")})
    monkeypatch.setattr(periods, "today", lambda: date(2025, 8, 1))
    with app.app_context():
        made = dispatch_job()
    drain(app)
    assert made >= 1 and [j.status for j in _jobs(app, region, "monthly:xlsx:2025-07")] == ["done"]
