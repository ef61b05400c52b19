"""The ranking pages: who may open them, another region's ranking is never found, the table masks KK and
NIK, the decision needs its decree (errors in Indonesian at the field), a decided ranking is read-only,
and the exports (PDF, Excel without formula injection) are audited."""
from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.programs.models import Ranking, RankingEntry
from app.programs.vocabulary import RankingStatus
from app.tenancy.context import tenant_in_context
from tests.factories import member
from tests.helpers.households import Member, add_household
from tests.helpers.ranking import rank, ranking_program
from tests.helpers.regions import in_region, read_in_region
from tests.helpers.reports import drain

SLUG = "payakumbuh"


def _owned_ranking() -> dict:
    """A computed ranking of the region in context (for the cross-region cases)."""
    program = ranking_program()
    add_household([Member("Kepala Lintas Daerah")], decile=1)
    user, _membership = member(f"manager@{tenant_in_context().slug}.demo")
    ranking = Ranking(program_id=program.id, weights=list(program.ranking), created_by=user.id)
    db.session.add(ranking)
    db.session.flush()
    return {"ranking_id": ranking.id}


def _program_values() -> dict:
    return {"program_id": ranking_program().id}


CROSS_TENANT = {
    "programs.program_rankings": ("GET", _program_values),
    "programs.new_ranking": ("POST", _program_values),
    "programs.ranking": ("GET", _owned_ranking),
    "programs.ranking_ticks": ("POST", _owned_ranking),
    "programs.ranking_decide": ("POST", _owned_ranking),
    "programs.ranking_retry": ("POST", _owned_ranking),
    "programs.ranking_export": ("GET", lambda: {**_owned_ranking(), "fmt": "xlsx"}),
}


@pytest.fixture()
def ranked(app):
    """A computed draft ranking in Payakumbuh with three households of ours, one named like a formula."""
    def build():
        # Households of exactly six qualify: ours, not the many others the test session leaves in the region.
        program = ranking_program(criteria=[{"attribute": "member_count", "op": "eq", "value": 6,
                                             "legal_basis": "Perwal uji Pasal 2"}])
        tag = uuid.uuid4().hex[:6]
        names = [f"=HYPERLINK(\"http://x/{tag}\")", f"Kepala Kedua {tag}", f"Kepala Ketiga {tag}"]

        def children() -> list[Member]:  # new ones each time: add_household gives each its NIK
            return [Member(f"Anak {n} {tag}", relation_to_head="child", birth_date=date(2012, 1, 1)) for n in range(5)]

        households = [add_household([Member(name, birth_date=date(1950 + i, 1, 1)), *children()], decile=1 + i)
                      for i, name in enumerate(names)]
        ranking = rank(program, f"manager@{SLUG}.demo", quota=1)
        heads = {h.kk_number: n for h, n in zip(households, names, strict=True)}
        return {"id": str(ranking.id), "program_id": str(program.id), "kks": list(heads), "heads": heads, "tag": tag}

    return in_region(app, SLUG, build)


def _url(ranked, suffix=""):
    return f"/programs/rankings/{ranked['id']}{suffix}"


@pytest.mark.parametrize("role", ["facilitator", "intake_officer", "supervisor", "case_officer"])
def test_roles_without_rank_candidates_get_403(staff, ranked, role):
    client = staff(role, SLUG)
    for method, path in [("GET", "/programs/rankings"), ("GET", f"/programs/{ranked['program_id']}/rankings"),
                         ("POST", f"/programs/{ranked['program_id']}/rankings"), ("GET", _url(ranked)),
                         ("POST", _url(ranked, "/decide")), ("POST", _url(ranked, "/ticks")),
                         ("GET", _url(ranked, "/export.pdf"))]:
        response = client.get(path) if method == "GET" else client.post(path)
        assert response.status_code == 403, f"{role} {method} {path}"


def test_another_regions_manager_never_finds_the_ranking(staff, ranked):
    intruder = staff("manager", "bekasi")
    for path in (_url(ranked), _url(ranked, "/export.xlsx"), f"/programs/{ranked['program_id']}/rankings"):
        assert intruder.get(path).status_code == 404
    assert intruder.post(_url(ranked, "/decide"), data={"decree_number": "1", "decree_date": "2026-01-01",
                                                        "basis": "quota", "quota": "1"}).status_code == 404


def test_a_made_up_ranking_is_not_found(staff):
    assert staff("manager", SLUG).get(f"/programs/rankings/{uuid.uuid4()}").status_code == 404


def test_the_head_ranks_from_the_program_page(app, staff, ranked):
    client = staff("unit_head", SLUG)
    page = client.get(f"/programs/{ranked['program_id']}/rankings").get_data(as_text=True)
    assert "Bobot penilaian" in page and "Desil kesejahteraan paling tinggi 2" in page
    assert "desil kesejahteraan lebih rendah" in page  # the tie-break rule
    response = client.post(f"/programs/{ranked['program_id']}/rankings", data={"district": "", "quota": "2"})
    assert response.status_code == 302
    drain(app)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Daftar calon" in page and f"Kepala Kedua {ranked['tag']}" in page


def test_new_ranking_input_errors_are_shown_at_the_field(staff, ranked):
    client = staff("manager", SLUG)
    response = client.post(f"/programs/{ranked['program_id']}/rankings", data={"district": "32.75.01", "quota": "dua"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kuota harus bilangan bulat." in page and 'value="dua"' in page


def test_the_table_shows_head_names_and_masks_kk_and_nik(app, staff, ranked):
    page = staff("manager", SLUG).get(_url(ranked)).get_data(as_text=True)
    kk = ranked["kks"][1]
    assert f"Kepala Kedua {ranked['tag']}" in page and kk not in page and f"{kk[:6]}••••••{kk[-4:]}" in page
    nik = read_in_region(app, SLUG, lambda: db.session.scalar(select(RankingEntry.head_nik).where(
        RankingEntry.kk_number == kk)))
    assert nik and nik not in page


def test_decision_needs_the_decree_number_and_date(staff, ranked):
    client = staff("manager", SLUG)
    response = client.post(_url(ranked, "/decide"), data={"decree_number": "", "decree_date": "", "basis": "quota",
                                                          "quota": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nomor SK wajib diisi." in page and "Tanggal SK wajib diisi." in page
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(_url(ranked, "/decide"), data={"decree_number": "400/12/SK/2026", "decree_date": future,
                                                          "basis": "quota", "quota": "999999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tanggal SK tidak boleh setelah hari ini." in page
    assert "Kuota harus antara 1 dan" in page and 'value="400/12/SK/2026"' in page


def test_ticked_rows_are_proposed_and_the_decided_ranking_is_read_only(app, staff, ranked):
    client = staff("manager", SLUG)
    third = ranked["kks"][2]
    positions = read_in_region(app, SLUG, lambda: {kk: position for kk, position in db.session.execute(select(
        RankingEntry.kk_number, RankingEntry.position).where(RankingEntry.ranking_id == uuid.UUID(ranked["id"])))})
    shown = sorted({1} | {positions[kk] for kk in ranked["kks"]})  # 1: ticked by the quota
    assert client.post(_url(ranked, "/ticks"), data={"shown": [*shown, "x"],
                                                     "ticked": [positions[third]]}).status_code == 302
    today = date.today().isoformat()
    response = client.post(_url(ranked, "/decide"), data={"decree_number": "400/7/SK/2026", "decree_date": today,
                                                          "basis": "ticked", "quota": ""})
    assert response.status_code == 302

    def facts():
        ranking = db.session.get(Ranking, (tenant_in_context().id, uuid.UUID(ranked["id"])))
        proposed = set(db.session.scalars(select(RankingEntry.kk_number).where(
            RankingEntry.ranking_id == ranking.id, RankingEntry.proposed.is_(True))))
        return ranking.status, ranking.decree_number, ranking.decree_date, proposed

    status, number, day, proposed = read_in_region(app, SLUG, facts)
    assert (status, number, day) == (RankingStatus.DECIDED, "400/7/SK/2026", date.today())
    assert proposed == {third}
    page = client.get(_url(ranked)).get_data(as_text=True)
    assert "400/7/SK/2026" in page and "Simpan keputusan" not in page and 'name="ticked"' not in page
    assert client.post(_url(ranked, "/ticks"), data={"shown": shown, "ticked": shown}).status_code == 409
    assert client.post(_url(ranked, "/decide"), data={"decree_number": "lain", "decree_date": today,
                                                      "basis": "quota", "quota": "1"}).status_code == 409
    events = read_in_region(app, SLUG, lambda: set(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == ranked["id"]))))
    assert {"ranking.compute", "ranking.computed", "ranking.tick", "ranking.decide"} <= events


def test_excel_export_masks_identifiers_neutralises_formulas_and_is_audited(app, staff, ranked):
    response = staff("manager", SLUG).get(_url(ranked, "/export.xlsx"))
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    about, sheet = book.worksheets
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    ours = [r for r in rows[1:] if ranked["tag"] in str(r[2])]
    assert len(ours) == 3
    formula_row = next(r for r in ours if str(r[2]).startswith("'"))
    assert formula_row[2] == f"'=HYPERLINK(\"http://x/{ranked['tag']}\")"
    assert not any(kk in str(rows) for kk in ranked["kks"])
    text = str([[c.value for c in row] for row in about.iter_rows()])
    assert "desil kesejahteraan lebih rendah" in text and "B1" in text
    event = read_in_region(app, SLUG, lambda: db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "ranking.export", AuditEvent.object_id == ranked["id"])).one())
    assert event.detail["format"] == "xlsx" and event.detail["rows"] >= 3


def test_pdf_export_of_the_proposed(staff, ranked):
    response = staff("manager", SLUG).get(_url(ranked, "/export.pdf?proposed=1"))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"


def test_unknown_export_format_is_not_found(staff, ranked):
    assert staff("manager", SLUG).get(_url(ranked, "/export.csv")).status_code == 404


def test_a_ranking_still_computing_shows_its_progress_and_cannot_be_used_yet(app, staff):
    def waiting():
        program = ranking_program()
        user, _membership = member(f"manager@{SLUG}.demo")
        ranking = Ranking(program_id=program.id, weights=list(program.ranking), created_by=user.id,
                          job_status="running", progress=40)
        db.session.add(ranking)
        db.session.flush()
        return str(ranking.id)

    ranking_id = in_region(app, SLUG, waiting)
    client = staff("manager", SLUG)
    path = f"/programs/rankings/{ranking_id}"
    page = client.get(path).get_data(as_text=True)
    assert "Sedang dihitung… 40%" in page and 'hx-trigger="every 2s"' in page and "Simpan keputusan" not in page
    assert client.get(f"{path}/export.xlsx").status_code == 409
    assert client.post(f"{path}/ticks", data={"shown": ["1"]}).status_code == 409
    assert client.post(f"{path}/decide", data={"decree_number": "1", "decree_date": date.today().isoformat(),
                                               "basis": "quota", "quota": "1"}).status_code == 409
    assert client.post(f"{path}/retry").status_code == 409  # only a failed one is tried again
    poll = client.get(path, headers={"HX-Request": "true", "HX-Target": "ranking-progress"})
    assert poll.status_code == 200 and 'id="ranking-progress"' in poll.get_data(as_text=True)
    assert "<html" not in poll.get_data(as_text=True)

    def finish():
        ranking = db.session.get(Ranking, (tenant_in_context().id, uuid.UUID(ranking_id)))
        ranking.job_status = "done"  # type: ignore[attr-defined]

    in_region(app, SLUG, finish)
    poll = client.get(path, headers={"HX-Request": "true", "HX-Target": "ranking-progress"})
    assert poll.headers.get("HX-Refresh") == "true"  # the table is ready: the page reloads whole
