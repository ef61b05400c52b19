"""The comparison's program view: per region, households in the register, receiving any program,
coverage per national program and households receiving two programs or more, read from the
program rollups (as the region's own dashboard) in grouped statements; sortable, exported with
every national program, the other views unchanged.

Two regions of our own (the test database is shared), with households and participation made
by hand, so every figure is known exactly.
"""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from app.accounts.models import Membership
from app.dashboard.national_programs import program_figures
from app.dashboard.periods import Period
from app.dashboard.program_access import Receipts
from app.dashboard.program_rollups import rebuild_program_rollups
from app.extensions import db
from app.platform import comparison as comparison_module
from app.platform.comparison import Query, columns, comparison
from app.programs.models import Participation, Program
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from tests.helpers.households import Member, add_household, region_village, unique_kk
from tests.helpers.platform import make_region

FEB = "period=month&month=2025-02"
CHAIN = [{"action": "decide", "roles": ["manager"], "legal_basis": "Uji"}]


def _participate(kk: str, code: str, village, status: str = "approved", ended: date | None = None) -> None:
    creator = db.session.scalars(select(Membership.user_id).where(Membership.active.is_(True))).first()
    db.session.add(Participation(
        program_id=db.session.scalar(select(Program.id).where(Program.code == code)), source="field_visit",
        kk_number=kk, district_code=village.district_code, village_code=village.code, status=status,
        chain=list(CHAIN), stage=0 if status == "pending" else 1, ended_at=ended, created_by=creator))
    db.session.flush()


def _region_a() -> None:
    village = region_village(0)
    both = add_household([Member("Kepala A1"), Member("Anak A1", "child")], village=village,
                         programs=["pkh", "bpnt"])
    add_household([Member("Kepala A2", programs=["pbi_jk"])], village=village)
    add_household([Member("Kepala A3")], village=village)  # in the register, receives nothing
    _participate(both.kk_number, "PKH", village)  # flagged and recorded: still one recipient
    _participate(unique_kk(village.code), "PIP", village)  # known from participation only


def _region_b() -> None:
    village = region_village(0)
    add_household([Member("Kepala B1"), Member("Anak B1", "child", programs=["pip"])], village=village,
                  programs=["pkh"])
    second = add_household([Member("Kepala B2")], village=village, programs=["pkh"])
    _participate(second.kk_number, "BPNT", village, ended=date(2025, 1, 1))  # ended: not received
    _participate(unique_kk(village.code), "BPNT", village, status="pending")  # pending: not known


@pytest.fixture(scope="module")
def regions(app):
    """Two fresh regions with known participation: {"a": (id, slug), "b": (id, slug)}."""
    out = {}
    for key, build in (("a", _region_a), ("b", _region_b)):
        tid, slug = make_region(app, accounts=True)
        with app.app_context():
            tenant = db.session.get(Tenant, tid)
            with tenant_context(tenant):
                build()
                rebuild_program_rollups(tid)
                db.session.commit()
        out[key] = (tid, slug)
    return out


@pytest.fixture()
def auditor(region_client):
    client = region_client(None)
    client.login("auditor@platform.demo")
    return client


EXPECTED = {
    "a": dict(known=4, registered=3, receiving=3, multi=1, by_code={"PKH": 1, "BPNT": 1, "PBI_JK": 1, "PIP": 1}),
    "b": dict(known=2, registered=2, receiving=2, multi=1, by_code={"PKH": 2, "PIP": 1}),
}


def test_figures_per_region_from_hand_made_participation(app, regions):
    ids = {key: tid for key, (tid, _slug) in regions.items()}
    with app.app_context():
        figures = program_figures(ids.values())
        for key, tid in ids.items():
            got = figures[tid]
            assert dict(known=got.known, registered=got.registered, receiving=got.receiving, multi=got.multi,
                        by_code=dict(got.by_code)) == EXPECTED[key]
        assert figures[ids["a"]].coverage("PKH") == 0.25 and figures[ids["b"]].coverage("PKH") == 1.0
        assert figures[ids["a"]].coverage("BLT_DD") == 0.0


def test_console_agrees_with_the_regions_own_dashboard(app, regions):
    with app.app_context():
        everyone = program_figures()  # every region at once
        for tid, _slug in regions.values():
            with tenant_context(db.session.get(Tenant, tid)):
                receipts = Receipts.read()
            own, got = receipts.totals(), everyone[tid]
            assert (got.known, got.registered, got.receiving, got.multi) == (
                own["households"], own["households_registered"], own["households_receiving"],
                receipts.sizes.get(2, 0) + receipts.sizes.get(3, 0))
            assert dict(got.by_code) == own["recipients_by_program"]


def test_two_grouped_statements_whatever_the_number_of_regions(app, regions):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            program_figures()
            few = len(statements)
            program_figures([tid for tid, _slug in regions.values()])
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert few <= 2 and len(statements) - few <= 2


def test_program_view_page_search_sort_and_no_new_columns_elsewhere(app, regions, auditor):
    tid_a, slug_a = regions["a"]
    tid_b, _slug_b = regions["b"]
    page = auditor.get(f"/console/compare?{FEB}&view=program&q={slug_a}").get_data(as_text=True)
    assert "Cakupan dan irisan program" in page and "RT di register" in page and "RT 2+ program" in page
    for code in ("PKH", "BPNT", "PBI\u2011JK", "PIP"):  # a non-breaking hyphen: the header keeps one line
        assert f">{code}</a>" in page or f">{code} <span" in page
    assert "BLT\u2011DD</a>" not in page and "BLT-DD</a>" not in page  # the seventh: in the exports only
    assert "25%" in page and "PKH = Program Keluarga Harapan" in page
    summary = auditor.get(f"/console/compare?{FEB}&q={slug_a}").get_data(as_text=True)
    assert "RT di register" not in summary and "PKH = " not in summary
    assert [c.key for c in columns()["summary"]] == ["received", "closed", "overdue", "sla", "close_median",
                                                    "referrals", "response_median", "prelist"]
    assert len(columns()["program"]) <= 10
    with app.test_request_context():
        page, _total = comparison(Period.month(2025, 2), Query(sort="prog_cov_PKH", descending=True, view="program"))
        every = comparison_module.national_summary(Period.month(2025, 2))
        comparison_module.attach_programs(every)
        ranked = comparison_module.sort_rows(every, "prog_cov_PKH", True)
    shares = [comparison_module.programs_of(r).coverage("PKH") for r in ranked]
    present = [s for s in shares if s is not None]
    assert present == sorted(present, reverse=True) and shares[:len(present)] == present  # none last
    ids = [r.tenant_id for r in ranked]
    assert ids.index(tid_b) < ids.index(tid_a)
    assert [r.tenant_id for r in page.items] == ids[:len(page.items)]
    sorted_page = auditor.get(f"/console/compare?{FEB}&view=program&sort=prog_cov_PKH&dir=desc")
    assert sorted_page.status_code == 200 and 'aria-sort="descending"' in sorted_page.get_data(as_text=True)


def test_exports_hold_every_national_program(app, regions, auditor):
    _tid, slug = regions["a"]
    text = auditor.get(f"/console/compare.csv?{FEB}&q={slug}").get_data(as_text=True)
    header, ours, total = list(csv.reader(io.StringIO(text)))
    for label in ("RT di register", "RT menerima program", "RT 2+ program", "RT dikenal", "PKH (%)",
                  "BLT-DD (%)", "RT penerima PKH", "RT penerima BLT-DD"):
        assert label in header
    assert len(header) == len(set(header))
    values = dict(zip(header, ours, strict=True))
    assert (values["RT dikenal"], values["RT di register"], values["RT menerima program"]) == ("4", "3", "3")
    assert (values["PKH (%)"], values["RT penerima PBI-JK"], values["RT 2+ program"]) == ("25", "1", "1")
    assert total[0] == "Jumlah" and total[header.index("RT dikenal")] == "4"
    sheet = load_workbook(io.BytesIO(auditor.get(f"/console/compare.xlsx?{FEB}&q={slug}").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "Daerah")
    row = rows[rows.index(head) + 1]
    assert row[head.index("PKH (%)")] == 25 and row[head.index("RT penerima PIP")] == 1


def test_totals_add_up_over_the_regions_the_search_matched(app, regions, monkeypatch):
    ids = [tid for tid, _slug in regions.values()]
    with app.test_request_context():
        page, total = comparison(Period.month(2025, 2), Query(view="program"))
        figures = program_figures()
        known = sum(f.known for f in figures.values())
    got = comparison_module.programs_of(total)
    assert got.known == known and got.by_code["PKH"] >= 3
    assert all(tid in figures for tid in ids) and page.total >= 2


def test_region_figures_page_shows_its_program_coverage_without_personal_data(app, regions, auditor):
    tid, _slug = regions["a"]
    with app.app_context(), tenant_context(db.session.get(Tenant, tid)):
        from app.citizens.models import RegisterEntry, RegisterHousehold

        niks = list(db.session.scalars(select(RegisterEntry.nik)))
        kks = list(db.session.scalars(select(RegisterHousehold.kk_number)))
    page = auditor.get(f"/console/regions/{tid}/figures?{FEB}").get_data(as_text=True)
    section = page.split('id="program-heading"', 1)[1].split("</section>", 1)[0]
    assert "Menerima 2 program atau lebih" in section and ">25%<" in section and ">PBI-JK<" in section
    assert niks and kks
    for secret in (*niks, *kks, "Kepala A1"):
        assert secret not in page
