"""The comparison across regions: figures per region for a period (read from the rollups, as the
regions' own dashboards), a period picker, sorting, searching, pages, views that fit a screen,
and Excel / CSV exports that are formula-safe and audited."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.dashboard.national import national_summary
from app.dashboard.periods import Period
from app.extensions import db
from app.platform import comparison as comparison_module
from app.platform.comparison import Query, comparison
from app.platform.models import PlatformAuditEvent
from app.tenancy.models import Tenant
from tests.helpers.platform import make_region
from tests.helpers.reports import SLUG, build_known_data

FEBRUARY = Period.month(2025, 2)
FEB = "period=month&month=2025-02"


@pytest.fixture(autouse=True)
def known(app):
    build_known_data(app)


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


@pytest.fixture()
def admin(region_client):
    client = region_client(None)
    client.login("admin@platform.demo")
    return client


def _ours(app) -> Tenant:
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        db.session.expunge(tenant)
        return tenant


def _actions(app) -> list[PlatformAuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(PlatformAuditEvent).order_by(PlatformAuditEvent.at)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def test_figures_per_region_for_the_period_come_from_the_rollups(app):
    tenant = _ours(app)
    with app.test_request_context():
        (row,) = national_summary(FEBRUARY, only=tenant.id)
        (past,) = national_summary(Period.month(2020, 1), only=tenant.id)
    assert (row.received, row.closed, row.referrals, row.prelist) == (5, 3, 4, 3)
    assert row.by_level == {"regency": 1, "province": 2, "central": 1}
    assert row.by_outcome == {"served": 1, "not_served": 1}
    assert row.sla_steps > 0 and row.sla_share is not None
    assert row.response_median("regency") is not None and row.response_median() is not None
    assert (past.received, past.closed, past.close_median_hours, past.sla_share) == (0, 0, None, None)
    assert past.overdue == row.overdue  # overdue is "now", whatever the period


def test_page_shows_every_view_and_never_a_nik(app, auditor):
    tenant = _ours(app)
    from app.casework.models import Case
    from app.tenancy.context import tenant_context
    with app.app_context(), tenant_context(db.session.get(Tenant, tenant.id)):
        niks = [c.citizen.nik for c in db.session.scalars(select(Case)) if c.citizen is not None]
    assert niks
    for view in ("summary", "referrals", "response"):
        response = auditor.get(f"/console/compare?{FEB}&view={view}&q={SLUG}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and tenant.name in page and "Jumlah" in page
        assert f'/console/regions/{tenant.id}/figures?period=month&amp;month=2025-02' in page
        for nik in niks:
            assert nik not in page and nik[:6] + "••••••" not in page
    assert "Langkah tepat waktu" in auditor.get(f"/console/compare?{FEB}").get_data(as_text=True)
    assert "Dilayani / diterima program" in auditor.get(f"/console/compare?{FEB}&view=referrals").get_data(
        as_text=True)


def test_default_is_the_month_the_region_dashboard_opens_on(app, auditor):
    from app.dashboard.periods import default_period

    page = auditor.get("/console/compare").get_data(as_text=True)
    with app.test_request_context():
        month = default_period().start.strftime("%Y-%m")
    assert f'name="month" value="{month}"' in page


@pytest.mark.parametrize("args, start, end", [
    ("period=month&month=2025-02", "2025-02-01", "2025-02-28"),
    ("period=quarter&quarter=2025-Q1", "2025-01-01", "2025-03-31"),
    ("period=year&year=2025", "2025-01-01", "2025-12-31"),
    ("period=custom&start=2025-02-03&end=2025-02-20", "2025-02-03", "2025-02-20"),
    ("start=2025-02-03&end=2025-02-20", "2025-02-03", "2025-02-20"),  # older links: a range
])
def test_period_picker_kinds(auditor, args, start, end):
    response = auditor.get(f"/console/compare?{args}", headers={"HX-Request": "true", "HX-Target": "comparison"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    xlsx = auditor.get(f"/console/compare.xlsx?{args}")
    assert f"perbandingan-daerah-{start}-{end}.xlsx" in xlsx.headers["Content-Disposition"]


@pytest.mark.parametrize("args, message", [
    ("start=2026-13-01", "Tanggal tidak sah"),
    ("start=2026-03-01&end=2026-02-01", "Tanggal akhir sebelum tanggal awal."),
    ("period=month&month=2026-13", "Pilih bulan"),
    ("period=quarter&quarter=2026-Q5", "Pilih triwulan dari daftar."),
    ("period=year&year=1900", "Tanggal harus antara tahun"),
])
def test_bad_period_is_422(auditor, args, message):
    response = auditor.get(f"/console/compare?{args}")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert auditor.get(f"/console/trends?{args}").status_code == 422


def test_sorting_by_any_column_and_missing_values_last(app, monkeypatch):
    with app.test_request_context():
        rows = comparison(FEBRUARY, Query(sort="received", descending=True))[0].items
        assert rows[0].received == max(r.received for r in rows) and rows[0].slug == SLUG
        up = comparison(FEBRUARY, Query(sort="close_median"))[0].items
        medians = [r.close_median_hours for r in up]
        present = [m for m in medians if m is not None]
        assert present == sorted(present) and medians[:len(present)] == present  # regions without one last
        names = [r.region.casefold() for r in comparison(FEBRUARY, Query(sort="region", descending=True))[0].items]
        assert names == sorted(names, reverse=True)
        for column in comparison_module.all_columns():  # every column sorts
            comparison(FEBRUARY, Query(sort=column.key, descending=True))


def test_sort_links_and_unknown_sort_or_view_fall_back(auditor):
    page = auditor.get(f"/console/compare?{FEB}&sort=received&dir=desc").get_data(as_text=True)
    header = page.split('aria-sort="descending"', 1)[1].split("</th>", 1)[0]
    assert "sort=received" in header and "dir=desc" not in header  # again: reversed
    assert "sort=closed&amp;dir=desc" in page  # a number starts largest first
    fallback = auditor.get(f"/console/compare?{FEB}&sort=__class__&view=nope&page=x")
    assert fallback.status_code == 200 and 'aria-sort="ascending"' in fallback.get_data(as_text=True)


def test_pages_of_fifty_and_search_by_name_or_code(app, auditor, monkeypatch):
    monkeypatch.setattr(comparison_module, "PER_PAGE", 2)
    with app.test_request_context():
        page, total = comparison(FEBRUARY, Query(page=2))
        every = comparison(FEBRUARY, Query(page=1))[0].total
        assert len(page.items) == 2 and page.page == 2 and page.pages == (every + 1) // 2
        assert total.received == sum(r.received for r in national_summary(FEBRUARY))
        last = comparison(FEBRUARY, Query(page=999))[0]
        assert last.page == last.pages  # past the end: the last page
    tenant = _ours(app)
    for q in ("uji laporan", "UJI-LAP", tenant.region_code):
        html = auditor.get(f"/console/compare?{FEB}&q={q}").get_data(as_text=True)
        assert tenant.name in html and "Kota Bekasi" not in html
    html = auditor.get(f"/console/compare?{FEB}&q=%25").get_data(as_text=True)  # a LIKE wildcard is text
    assert "Tidak ada daerah yang cocok" in html
    paged = auditor.get(f"/console/compare?{FEB}").get_data(as_text=True)
    assert 'class="pagination"' in paged and "page=2" in paged


def test_exports_hold_every_region_and_column_and_are_audited(app, auditor, admin):
    tenant = _ours(app)
    before = {e.id for e in _actions(app)}
    response = auditor.get(f"/console/compare.xlsx?{FEB}&sort=received&dir=desc")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Daerah")
    body = rows[rows.index(header) + 1:]
    assert body[0][0] == tenant.name and body[-1][0] == "Jumlah"
    assert {"Dilayani / diterima program", "Langkah tepat waktu (%)", "Median sampai selesai (jam)"} <= set(header)
    ours = body[0]
    assert ours[header.index("Diterima")] == 5 and isinstance(ours[header.index("Langkah tepat waktu (%)")], int)
    with app.app_context():
        count = db.session.query(Tenant).count()
    assert len(body) == count + 1
    text = auditor.get(f"/console/compare.csv?{FEB}&q={SLUG}").get_data(as_text=True)
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "Daerah" and table[1][0] == tenant.name and table[-1][0] == "Jumlah"
    admin.get(f"/console/compare.csv?{FEB}")
    new = [e for e in _actions(app) if e.id not in before]
    exports = [e for e in new if e.action == "compare.export"]
    assert [(e.actor, e.detail["format"]) for e in exports] == [
        ("auditor@platform.demo", "xlsx"), ("auditor@platform.demo", "csv"), ("admin@platform.demo", "csv")]
    assert exports[0].detail["period"] == {"period": "month", "month": "2025-02"}
    assert exports[1].detail["search"] == SLUG
    downloads = [e for e in new if e.action == "auditor.download"]
    assert {e.object_id for e in downloads} == {"platform.compare_xlsx", "platform.compare_csv"}
    assert any("sort=received" in e.detail["path"] for e in downloads)


def test_exports_are_formula_safe(app, auditor):
    tid, slug = make_region(app)
    evil = '=HYPERLINK("http://evil.test","klik")'
    with app.app_context():
        db.session.get(Tenant, tid).name = evil
        db.session.commit()
    try:
        text = auditor.get(f"/console/compare.csv?{FEB}&q={slug}").get_data(as_text=True)
        assert list(csv.reader(io.StringIO(text)))[1][0] == "'" + evil
        sheet = load_workbook(io.BytesIO(auditor.get(f"/console/compare.xlsx?{FEB}&q={slug}").data)).active
        names = [r[0] for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], str)]
        assert "'" + evil in names and evil not in names
        cell = next(c for row in sheet.iter_rows() for c in row if c.value == "'" + evil)
        assert cell.data_type != "f"
        # a search for a formula is text in the file's facts too
        sheet = load_workbook(io.BytesIO(auditor.get(f"/console/compare.xlsx?{FEB}&q=-1%2B1").data)).active
        assert all(not (isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")) and c.value != "-")
                   for row in sheet.iter_rows() for c in row)
    finally:
        with app.app_context():
            db.session.get(Tenant, tid).name = f"Uji {slug}"
            db.session.commit()


def test_trends_for_all_regions_chart_per_figure_and_table(app, auditor):
    response = auditor.get("/console/trends?period=quarter&quarter=2025-Q1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('class="chart trend-chart"') == 7 and '<table class="trend-table">' in page
    for month in ("Januari 2025", "Februari 2025", "Maret 2025"):
        assert month in page
    one_month = auditor.get(f"/console/trends?{FEB}").get_data(as_text=True)
    assert "dua belas bulan" in one_month and "Maret 2024" in one_month
    fragment = auditor.get(f"/console/trends?{FEB}", headers={"HX-Request": "true", "HX-Target": "trends"})
    assert "<html" not in fragment.get_data(as_text=True)


def test_trend_months_add_up_to_the_period(app):
    from app.dashboard.trends import trend

    with app.test_request_context():
        quarter = trend(Period(FEBRUARY.start.replace(day=10), Period.month(2025, 3).end))
        rows = national_summary(Period(FEBRUARY.start.replace(day=10), Period.month(2025, 3).end))
    received = next(f for f in quarter.figures if f.key == "received")
    assert len(quarter.months) == 2 and quarter.months[0].start.day == 10
    assert sum(received.values) == sum(r.received for r in rows)
