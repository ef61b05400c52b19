"""The dashboard page: who may see it, what it shows, filters, htmx fragments, the nav link."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.dashboard.charts import bar_chart
from app.dashboard.queries import Table
from app.extensions import db
from app.tenancy.models import Tenant
from tests.conftest import DEMO_PASSWORD
from tests.helpers.reports import SLUG, build_known_data


@pytest.fixture(scope="module")
def known(app):
    return build_known_data(app)


def manager(region_client):
    client = region_client(SLUG)
    client.login(f"manager@{SLUG}.demo", DEMO_PASSWORD)
    return client


FEB = "/dashboard/?from=2025-02-01&to=2025-02-28"


def headline(page: str) -> dict[str, str]:
    """Headline figures by label."""
    return {label: value for value, label in
            re.findall(r'stat-value">([^<]+)</p><p class="stat-label">([^<]+)<', page)}


def board(client, url: str) -> str:
    """The dashboard as a browser ends up showing it: the first response with every part's fragment in place."""
    page = client.get(url).get_data(as_text=True)
    for part_url in re.findall(r'hx-get="(/dashboard/section\?[^"]+)"', page):
        fragment = client.get(part_url.replace("&amp;", "&"), headers={"HX-Request": "true"})
        assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
        start = page.index(f'hx-get="{part_url}"')
        start, end = page.rindex("<div", 0, start), page.index("</div>", start) + len("</div>")
        page = page[:start] + fragment.get_data(as_text=True) + page[end:]
    return page


def test_manager_sees_the_four_parts_and_casework(known, region_client):
    page = board(manager(region_client), FEB)
    for title in ("a. Ringkasan usulan penambahan data penerima manfaat", "b. Akses program pusat dan daerah",
                  "c. Komplementaritas dan irisan program", "d. Informasi dan analisis kesenjangan layanan sosial",
                  "Rujukan ke program", "Kinerja layanan dan rujukan"):
        assert title in page
    assert "Februari 2025" in page and "<svg" in page and "Lihat tabel" in page
    stats = headline(page)
    assert stats["Pengaduan diterima"] == "5" and stats["Rujukan diajukan"] == "4"
    assert stats["Rumah tangga penerima program"] == "3"
    assert stats["Penerima 3 program atau lebih"] == "1"
    for figure in ("access_levels", "access_districts", "access_programs", "overlap_counts", "overlap_matrix",
                   "overlap_pairs", "overlap_combos", "referral_levels", "referral_overlap_levels"):
        assert f'id="fig-{figure}"' in page, figure
    access = page.split('id="access"')[1].split('id="overlap"')[0]
    assert "Bantuan Daerah Uji" in access and "Keadaan saat ini" in access
    referrals = page.split('id="referrals"')[1].split('id="casework"')[0]
    assert "bukan program yang diterima rumah tangga" in referrals
    assert 'class="gap"' in page  # the not-served complaint is flagged as a gap
    assert "style=" not in page.split("<main")[1]  # CSP: presentation attributes only


def test_district_filter_and_htmx_fragment(known, region_client):
    client = manager(region_client)
    d2_code, d2_name = known["d2"]
    full = client.get(f"{FEB}&district={d2_code}").get_data(as_text=True)
    assert f"Kecamatan {d2_name}" in full
    assert headline(full)["Pengaduan diterima"] == "2"
    assert headline(full)["Rumah tangga penerima program"] == "1"  # the regional program's household
    fragment = client.get(f"{FEB}&district={d2_code}", headers={"HX-Request": "true", "HX-Target": "dashboard-body"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and 'name="district"' in body
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_bad_filters_fall_back_with_a_message(known, region_client):
    client = manager(region_client)
    page = client.get("/dashboard/?from=2025-03-01&to=2025-02-01&district=99.99").get_data(as_text=True)
    assert "Tanggal akhir sebelum tanggal awal." in page and "Kecamatan tidak dikenal" in page
    assert client.get("/dashboard/?from=kemarin").status_code == 200


@pytest.mark.parametrize("role, slug, allowed", [
    ("manager", "bekasi", True), ("unit_head", "bekasi", True), ("monitoring_officer", "bekasi", True),
    ("patron", "bekasi", True), ("coordination_member", "palembang", True),
    ("intake_officer", "bekasi", False), ("case_officer", "cianjur", False), ("supervisor", "palembang", False),
])
def test_who_may_see_the_dashboard(staff, role, slug, allowed):
    client = staff(role, slug)
    assert client.get("/dashboard/").status_code == (200 if allowed else 403)
    home = client.get("/home").get_data(as_text=True)
    assert ('href="/dashboard/"' in home) == allowed


def test_reports_page_is_for_the_secretariat_only(staff):
    assert staff("manager", "bekasi").get("/dashboard/reports").status_code == 200
    assert staff("patron", "bekasi").get("/dashboard/reports").status_code == 403
    assert 'href="/dashboard/reports"' not in staff("patron", "bekasi").get("/dashboard/").get_data(as_text=True)


def test_apex_and_anonymous(region_client):
    assert region_client(None).get("/dashboard/").status_code == 404
    assert region_client("bekasi").get("/dashboard/").status_code == 302


def test_empty_period_says_so(staff):
    page = board(staff("manager", "payakumbuh"), "/dashboard/?from=2001-01-01&to=2001-01-31")
    assert "Belum ada data untuk periode ini." in page


def test_chart_escapes_labels_and_draws_one_bar_per_row():
    table = Table("t", "Judul <b>", ["Nama", "Jumlah"], [["<script>alert(1)</script>", 3], ["Dinas & Co", 5]])
    svg = str(bar_chart(table))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Dinas &amp; Co" in svg
    assert svg.count("<rect") == 2 and "style=" not in svg
    assert bar_chart(Table("e", "Kosong", ["Nama", "Jumlah"], [])) == ""
    stacked = Table("programs", "x", ["Tingkat", "A", "B"], [["Pusat", 1, 2]], chart_columns=(1, 2))
    assert str(bar_chart(stacked)).count("<rect") == 2 + 2  # two segments and two legend keys


def test_a_long_chart_keeps_the_largest_rows(app):
    rows = [[f"Kecamatan {i}", i] for i in range(1, 41)]
    with app.app_context():
        svg = str(bar_chart(Table("prelist_like", "Banyak", ["Nama", "Jumlah"], rows)))
    assert svg.count("<rect") == 25 and "Kecamatan 40" in svg and ">Kecamatan 15<" not in svg
    assert "25 baris terbesar" in svg


def test_region_of_the_test_data_exists(app, known):
    with app.app_context():
        assert db.session.scalar(select(Tenant).where(Tenant.slug == SLUG)) is not None


def test_the_first_response_is_the_headline_and_the_parts_come_when_asked(known, region_client):
    """The first response carries no tables (at 10 million cases it stays small); each part is a fragment
    with the same filters, and its figures are those the report builds."""
    client = manager(region_client)
    d2_code, _name = known["d2"]
    first = client.get(f"{FEB}&district={d2_code}").get_data(as_text=True)
    assert "<table" not in first and 'id="fig-' not in first
    parts = re.findall(r'hx-get="/dashboard/section\?part=([a-z]+)&amp;([^"]+)"', first)
    assert [key for key, _args in parts] == ["prelist", "access", "overlap", "gaps", "referrals", "casework"]
    assert all(f"district={d2_code}" in args and "from=2025-02-01" in args for _key, args in parts)
    year = client.get("/dashboard/?from=2025-01-01&to=2025-12-31").get_data(as_text=True)
    assert "part=monthly" in year  # a period of more than one month has the monthly part
    fragment = client.get(f"/dashboard/section?part=casework&from=2025-02-01&to=2025-02-28&district={d2_code}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="fig-by_area"' in fragment and "<html" not in fragment
    # Without JavaScript the part's link opens it as a page of its own, with the way back.
    page = client.get("/dashboard/section?part=access&from=2025-02-01&to=2025-02-28").get_data(as_text=True)
    assert "<html" in page and 'id="fig-access_levels"' in page and "Kembali ke dasbor" in page
    assert client.get("/dashboard/section?part=nothing").status_code == 404
    assert client.get(f"{FEB.replace('/dashboard/?', '/dashboard/section?part=monthly&')}").status_code == 404


def test_the_headline_reads_what_the_parts_add_up_to(known, app):
    """The first paint's own reads give the totals every part computes for the report."""
    from app.dashboard.board import first_paint
    from app.dashboard.figures import figures
    from app.dashboard.periods import Period
    from app.tenancy.context import tenant_context

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        with tenant_context(tenant):
            for district in ("", known["d2"][0]):
                period = Period.from_args("2025-01-01", "2025-03-31", Period.year(2025))[0]
                assert first_paint(tenant, period, district).headline == figures(tenant, period, district).headline


def test_only_the_dashboards_readers_get_its_parts(staff):
    assert staff("intake_officer", "bekasi").get("/dashboard/section?part=casework").status_code == 403
    assert staff("manager", "bekasi").get("/dashboard/section?part=casework").status_code == 200
