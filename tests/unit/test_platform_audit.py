"""The audit trail across regions: merged, filtered, paginated, exported; auditors are audited."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.platform.models import PlatformAuditEvent
from app.tenancy.models import Tenant
from tests.helpers.platform import region_event, rows_of, unique_slug

NIK = "3275014501900001"


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


def _platform_events(app, actor: str, n: int) -> None:
    with app.app_context():
        base = datetime.now(UTC)
        for i in range(n):
            db.session.add(PlatformAuditEvent(actor=actor, action="uji.platform", ip="10.0.0.8",
                                              at=base - timedelta(seconds=i), detail={"i": i}))
        db.session.commit()


def test_merges_region_and_platform_events_newest_first(app, admin):
    actor = f"{unique_slug('aktor')}@uji.id"
    region_event(app, "palembang", actor, action="uji.daerah")
    _platform_events(app, actor, 1)
    page = admin.get(f"/console/audit?actor={actor}").get_data(as_text=True)
    assert "2 kejadian" in page and "Kota Palembang" in page and "Konsol nasional" in page
    assert page.index("uji.platform") < page.index("uji.daerah") and "10.0.0.7" in page


def test_filters_by_region_action_and_dates(app, admin):
    actor = f"{unique_slug('aktor')}@uji.id"
    region_event(app, "bekasi", actor, action="case.open", at=datetime(2024, 5, 10, 3, tzinfo=UTC))
    region_event(app, "cianjur", actor, action="case.step", at=datetime(2024, 6, 10, 3, tzinfo=UTC))
    with app.app_context():
        cianjur = db.session.scalar(select(Tenant.id).where(Tenant.slug == "cianjur"))
    page = rows_of(admin.get(f"/console/audit?actor={actor}&region={cianjur}"))
    assert "Langkah kasus dilakukan" in page and "Pengaduan dicatat" not in page
    page = rows_of(admin.get(f"/console/audit?actor={actor}&action=case.open"))
    assert "Pengaduan dicatat" in page and "Langkah kasus dilakukan" not in page
    page = rows_of(admin.get(f"/console/audit?actor={actor}&start=2024-06-01&end=2024-06-30"))
    assert "Langkah kasus dilakukan" in page and "Pengaduan dicatat" not in page
    page = admin.get(f"/console/audit?actor={actor}&region=platform").get_data(as_text=True)
    assert "Tidak ada kejadian yang cocok." in page


def test_paginates(app, admin):
    actor = f"{unique_slug('banyak')}@uji.id"
    _platform_events(app, actor, 55)
    first = admin.get(f"/console/audit?actor={actor}").get_data(as_text=True)
    assert "55 kejadian" in first and "Halaman 1 dari 2" in first and first.count("uji.platform") == 50
    second = admin.get(f"/console/audit?actor={actor}&page=2").get_data(as_text=True)
    assert second.count("uji.platform") == 5


def test_a_long_trail_is_counted_up_to_a_cap(app, admin, monkeypatch):
    """Counting a million events on every page took 170 ms: the count stops past the cap and says so;
    the last page within it still opens, and the CSV has every event."""
    from app.platform import audit

    actor = f"{unique_slug('panjang')}@uji.id"
    _platform_events(app, actor, 12)
    region_event(app, "bekasi", actor, action="uji.daerah")
    monkeypatch.setattr(audit, "COUNT_CAP", 7)
    monkeypatch.setattr("app.blueprints.platform.trail.COUNT_CAP", 7)
    monkeypatch.setattr(audit, "PAGE_SIZE", 5)
    with app.app_context():
        assert audit.count_events(audit.AuditFilters(actor=actor), cap=7) == 8
        assert audit.count_events(audit.AuditFilters(actor=actor), cap=20) == 13
    page = admin.get(f"/console/audit?actor={actor}").get_data(as_text=True)
    assert "Lebih dari 7 kejadian" in page and "Halaman 1 dari 2" in page
    second = admin.get(f"/console/audit?actor={actor}&page=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in second and second.count("uji.platform") + second.count("uji.daerah") == 5
    exported = admin.get(f"/console/audit.csv?actor={actor}").get_data(as_text=True)
    assert len(exported.strip().splitlines()) == 1 + 13  # the header and every event


def test_htmx_filter_answers_with_the_list_only(admin):
    response = admin.get("/console/audit?action=region.suspend",
                         headers={"HX-Request": "true", "HX-Target": "audit-list"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page and "kejadian" in page


def test_bad_filters_are_422_and_show_no_events(admin):
    response = admin.get("/console/audit?start=kemarin&end=2024-01-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tanggal tidak sah" in page and "<table class=\"audit-table\"" not in page
    assert admin.get("/console/audit?start=2024-02-01&end=2024-01-01").status_code == 422
    assert admin.get("/console/audit?region=bukan-id").status_code == 422


def test_csv_export_uses_the_same_filters_and_masks_niks(app, admin):
    actor = f"{unique_slug('csv')}@uji.id"
    region_event(app, "payakumbuh", actor, nik=NIK, note=f"NIK {NIK} diperiksa")
    _platform_events(app, actor, 2)
    response = admin.get(f"/console/audit.csv?actor={actor}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["waktu", "daerah", "pelaku", "tindakan"] and len(rows) == 4
    assert {r[1] for r in rows[1:]} == {"Kota Payakumbuh", "Konsol nasional"}
    assert NIK not in body and "327501••••••0001" in body
    assert NIK not in admin.get(f"/console/audit?actor={actor}").get_data(as_text=True)


def test_csv_streams_in_batches(app):
    from app.platform.audit import AuditFilters, iter_events

    actor = f"{unique_slug('batch')}@uji.id"
    _platform_events(app, actor, 7)
    with app.app_context():
        ids = [e.id for e in iter_events(AuditFilters(actor=actor), batch=3)]
    assert len(ids) == len(set(ids)) == 7


def test_every_auditor_view_and_download_is_recorded(app, auditor, admin):
    def actions(since=frozenset()):
        """The auditor's events (id, action, object), without those seen before (no row order assumed)."""
        with app.app_context():
            rows = db.session.execute(select(PlatformAuditEvent.id, PlatformAuditEvent.action,
                                             PlatformAuditEvent.object_id)
                                      .where(PlatformAuditEvent.actor == "auditor@platform.demo"))
            return {row.id: (row.action, row.object_id) for row in rows if row.id not in since}

    before = frozenset(actions())
    for path in ("/console/", "/console/compare", "/console/audit?action=case.open",
                 "/console/audit.csv?action=case.step"):
        assert auditor.get(path).status_code == 200
    recorded = list(actions(before).values())
    assert sorted(recorded) == sorted([("auditor.view", "platform.console"), ("auditor.view", "platform.compare"),
                                       ("auditor.view", "platform.audit"), ("auditor.download", "platform.audit_csv")])
    assert auditor.get("/console/users").status_code == 403
    # a refusal is recorded too
    assert sorted(actions(before).values()) == sorted([*recorded, ("access.refused", "platform.users")])
    admin.get("/console/compare")
    with app.app_context():
        assert not db.session.scalar(select(PlatformAuditEvent).where(PlatformAuditEvent.actor == "admin@platform.demo",
                                                                      PlatformAuditEvent.action == "auditor.view"))


def test_platform_audit_log_is_append_only(app):
    _platform_events(app, "tetap@uji.id", 1)
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(update(PlatformAuditEvent).where(PlatformAuditEvent.actor == "tetap@uji.id")
                               .values(action="diubah"))
            db.session.flush()
        db.session.rollback()
