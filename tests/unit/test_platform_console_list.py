"""At national scale (514 regions) the console's pages stay small: the region list and the
comparison are paged (50 regions) and searchable, and every page is at most 50 KB.

The extra regions are bare `tenants` rows (no staff, no cases) on every free regency code,
added for one test and removed after it; their figures are zeros, so a real page is a few
digits larger per row than measured here.
"""
from __future__ import annotations

import time
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, select

from app.extensions import db
from app.reference.models import Regency
from app.tenancy.models import Tenant

NATIONAL = 514
LIMIT = 50 * 1024
PAGES = ["/console/", "/console/?page=11", "/console/?q=kota", "/console/compare",
         "/console/compare?view=referrals", "/console/compare?view=response", "/console/compare?sort=received&dir=desc",
         "/console/trends?period=year&year=2025", "/console/trends?period=custom&start=2023-03-01&end=2026-02-28",
         "/console/reports/"]


@contextmanager
def national_scale(app, total: int = NATIONAL):
    """Bare regions on free regency codes until there are `total`; removed afterwards."""
    with app.app_context():
        taken = set(db.session.scalars(select(Tenant.region_code)))
        free = [r for r in db.session.scalars(select(Regency).order_by(Regency.code)) if r.code not in taken]
        added = []
        for regency in free[:max(0, total - len(taken))]:
            tag = uuid.uuid4().hex[:10]
            added.append(Tenant(slug=f"skala-{tag}", region_code=regency.code, name=regency.name.title(),
                                kind=regency.kind, service_name="SLRT", regulation_title="Perbup Uji",
                                regulation_short="Perbup", ticket_prefix=tag.upper()))
        db.session.add_all(added)
        db.session.commit()
        ids = [t.id for t in added]
        count = len(taken) + len(ids)
    try:
        yield count
    finally:
        with app.app_context():
            db.session.execute(delete(Tenant).where(Tenant.id.in_(ids)))
            db.session.commit()


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


def test_pages_stay_under_50_kb_with_514_regions(app, auditor, capsys):
    sizes = {}
    with national_scale(app) as count:
        assert count >= NATIONAL
        for path in PAGES:
            started = time.perf_counter()
            response = auditor.get(path)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, path
            sizes[path] = (len(response.data), elapsed)
        first = auditor.get("/console/").get_data(as_text=True)
        assert _rows(first) == 50 and "Halaman 1 dari 11" in first
        assert _rows(auditor.get("/console/compare").get_data(as_text=True)) == 50
        last = auditor.get("/console/?page=11").get_data(as_text=True)
        assert _rows(last) == count - 500
    with capsys.disabled():
        print(f"\nconsole pages with {count} regions (SQLite, test client):")
        for path, (size, elapsed) in sizes.items():
            print(f"  {path:50} {size / 1024:6.1f} KB  {elapsed * 1000:6.0f} ms")
    too_big = {path: size for path, (size, _t) in sizes.items() if size > LIMIT}
    assert not too_big


def test_region_list_is_searchable_by_name_code_and_subdomain(app, auditor):
    for q in ("bekasi", "BEKASI", "32.75", "ekas"):
        page = auditor.get(f"/console/?q={q}").get_data(as_text=True)
        assert "Kota Bekasi" in page and "Kota Palembang" not in page, q
    nothing = auditor.get("/console/?q=%25%25").get_data(as_text=True)
    assert "Tidak ada daerah yang cocok." in nothing
    fragment = auditor.get("/console/?q=bekasi", headers={"HX-Request": "true", "HX-Target": "region-list"})
    assert "<html" not in fragment.get_data(as_text=True) and "Kota Bekasi" in fragment.get_data(as_text=True)
    assert "Kota Bekasi" in auditor.get("/console/?status=active&q=bek").get_data(as_text=True)
    assert "Kota Bekasi" not in auditor.get("/console/?status=suspended&q=bek").get_data(as_text=True)


def test_region_list_costs_the_same_queries_with_514_regions(app, auditor):
    def count_queries(path):
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert auditor.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT") and "set_config" not in s])

    before = {p: count_queries(p) for p in ("/console/", "/console/compare")}
    with national_scale(app):
        after = {p: count_queries(p) for p in ("/console/", "/console/compare")}
    assert after == before and after["/console/"] <= 12
