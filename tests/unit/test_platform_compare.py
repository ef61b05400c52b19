"""The cross-region comparison table: per region, for a chosen period."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.casework.models import Partner, Referral
from app.extensions import db
from app.platform.stats import comparison
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow
from tests import factories
from tests.helpers.platform import make_region


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


def _row(rows, tid):
    return next(r for r in rows if r.tenant.id == tid)


def test_figures_per_region_for_the_period(app):
    tid, slug = make_region(app, accounts=True)
    with app.app_context():
        tenant = db.session.get(Tenant, tid)
        with tenant_context(tenant):
            cases = [factories.make_case(slug) for _ in range(3)]
            cases[0].closed_at, cases[0].state = cases[0].created_at + timedelta(hours=5), "closed"
            cases[1].closed_at, cases[1].state = cases[1].created_at + timedelta(hours=9), "closed"
            cases[2].due_at = utcnow() - timedelta(hours=2)
            province = db.session.scalar(select(Partner).where(Partner.level == "province"))
            central = db.session.scalar(select(Partner).where(Partner.level == "central"))
            now = utcnow()
            db.session.add_all([
                Referral(case_id=cases[0].id, partner_id=province.id, status="completed", outcome="served",
                         requested_at=now, completed_at=now),
                Referral(case_id=cases[1].id, partner_id=central.id, status="completed", outcome="redirected",
                         requested_at=now, completed_at=now),
                Referral(case_id=cases[2].id, partner_id=central.id, requested_at=now),
            ])
            db.session.commit()
        today = date.today()
        rows, overall = comparison(today - timedelta(days=1), today + timedelta(days=1))
        row = _row(rows, tid)
        assert (row.received, row.closed, row.overdue, row.prelist) == (3, 2, 1, 3)
        assert row.by_level == {"province": 1, "central": 2} and row.referrals == 3
        assert row.by_outcome == {"served": 1, "redirected": 1}
        assert row.median_hours == pytest.approx(7.0)
        assert overall is not None
        past, _overall = comparison(date(2020, 1, 1), date(2020, 1, 31))
        assert (_row(past, tid).received, _row(past, tid).closed, _row(past, tid).median_hours) == (0, 0, None)
        assert _row(past, tid).overdue == 1  # overdue is "now", whatever the period


def test_page_defaults_to_this_month_and_never_shows_niks(app, auditor):
    tid, slug = make_region(app, accounts=True)
    with app.app_context(), tenant_context(db.session.get(Tenant, tid)):
        nik = factories.make_case(slug).citizen.nik
        db.session.commit()
    response = auditor.get("/console/compare")
    page = response.get_data(as_text=True)
    with app.test_request_context():
        from app.blueprints.platform.compare import current_month
        first, _last = current_month()
    assert response.status_code == 200 and f'value="{first.isoformat()}"' in page
    assert "Kota Bekasi" in page and "Median jam sampai selesai" in page and "Jumlah" in page
    assert nik not in page and nik[:6] + "••••••" not in page


def test_htmx_period_change_answers_with_the_table_only(auditor):
    response = auditor.get("/console/compare?start=2026-01-01&end=2026-03-31",
                           headers={"HX-Request": "true", "HX-Target": "comparison"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page and "01-01-2026" in page


def test_bad_period_is_422(auditor):
    response = auditor.get("/console/compare?start=2026-13-01")
    assert response.status_code == 422 and "Tanggal tidak sah" in response.get_data(as_text=True)
    response = auditor.get("/console/compare?start=2026-03-01&end=2026-02-01")
    assert response.status_code == 422 and "Tanggal akhir sebelum tanggal awal." in response.get_data(as_text=True)
