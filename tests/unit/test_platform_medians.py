"""Medians agree everywhere: one definition (`app.dashboard.metrics.median_hours` over the
rollups' duration histograms), so the comparison across regions, the region's dashboard and
the region's report give the same number for the same period and region.

The known data set (`tests.helpers.reports`): in February 2025 three cases of "uji-laporan"
closed after 12, 36 and 108 hours. The exact middle value is 36 h; the histogram's estimate
is 38.6 h ("39 jam"). Before, the comparison took the exact median of raw timestamps and
said 36.0 while the report said 38.6.
"""
from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.dashboard.figures import figures
from app.dashboard.metrics import median_hours
from app.dashboard.national import national_summary
from app.dashboard.periods import Period, hours_text
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.helpers.reports import SLUG, build_known_data, client_for, download_link, drain, request_report

FEBRUARY = Period.month(2025, 2)
ARGS = "period=month&month=2025-02"


@pytest.fixture(autouse=True)
def known(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setitem(app.config, "RQ_QUEUE", f"slrt-test-{uuid.uuid4().hex[:8]}")
    build_known_data(app)


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


def _region(app) -> Tenant:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        db.session.expunge(tenant)
        return tenant


def test_one_definition_for_comparison_dashboard_and_report_figures(app):
    tenant = _region(app)
    with app.test_request_context():
        (row,) = national_summary(FEBRUARY, only=tenant.id)
        with tenant_context(db.session.get(Tenant, tenant.id)):
            dashboard = figures(db.session.get(Tenant, tenant.id), FEBRUARY).totals["close_median_hours"]
    assert row.closed == 3 and row.close_median_hours == dashboard
    assert row.close_median_hours == pytest.approx(median_hours({8: 1, 11: 1, 14: 1}))
    assert row.close_median_hours == pytest.approx(38.63, abs=0.01)  # not the raw 36.0


def test_same_period_same_region_same_number_on_every_page_and_file(app, auditor, region_client):
    tenant = _region(app)
    with app.test_request_context():
        (row,) = national_summary(FEBRUARY, only=tenant.id)
        text = hours_text(row.close_median_hours)
    assert text == "39 jam"
    # the comparison (searching the region keeps it on the page)
    page = auditor.get(f"/console/compare?{ARGS}&q={SLUG}").get_data(as_text=True)
    region_row = page.split(tenant.name, 1)[1].split("</tr>", 1)[0]
    assert f">{text}<" in region_row
    # the region's figures on the console
    drill = auditor.get(f"/console/regions/{tenant.id}/figures?{ARGS}").get_data(as_text=True)
    assert f'<p class="stat-value">{text}</p><p class="stat-label">Median waktu sampai selesai' in drill
    # the region's own dashboard
    manager = client_for(region_client)
    board = manager.get("/dashboard/?from=2025-02-01&to=2025-02-28").get_data(as_text=True)
    assert f'<p class="stat-value">{text}</p><p class="stat-label">Median waktu sampai selesai' in board
    # the comparison's Excel export and the region's Excel report: the same rounded number
    exported = load_workbook(io.BytesIO(auditor.get(f"/console/compare.xlsx?{ARGS}&q={SLUG}").data)).active
    header = next(r for r in exported.iter_rows(values_only=True) if r and r[0] == "Daerah")
    ours = next(r for r in exported.iter_rows(values_only=True) if r and r[0] == tenant.name)
    assert ours[header.index("Median sampai selesai (jam)")] == round(row.close_median_hours, 1) == 38.6
    request_report(manager, fmt="xlsx")
    drain(app)
    report = load_workbook(io.BytesIO(manager.get(download_link(manager.get("/dashboard/reports").get_data(
        as_text=True))).data))
    cells = [r for ws in report.worksheets for r in ws.iter_rows(values_only=True)
             if r and isinstance(r[0], str) and r[0].startswith("Median waktu sampai selesai")]
    assert cells and cells[0][1] == 38.6
