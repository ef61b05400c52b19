"""The register pages over HTTP: import by role, refused files, masked lookup, the pre-list and its review."""
import uuid
from datetime import date

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.casework.intake import CitizenData
from app.citizens.models import PrelistProposal, RegisterEntry
from app.extensions import db
from app.reference.models import District, Village
from tests.factories import make_case, make_kk, make_nik, tenant
from tests.helpers.regions import in_region
from tests.helpers.register import FIXTURES, register_csv, upload


def _proposal_in_owner_region():
    case = make_case("bekasi")
    return {"proposal_id": db.session.scalar(select(PrelistProposal.id).where(PrelistProposal.case_id == case.id))}


CROSS_TENANT = {
    "register.prelist_review": ("POST", _proposal_in_owner_region),
}


def entry_count(app, slug) -> int:
    return in_region(app, slug, lambda: db.session.scalar(select(func.count()).select_from(RegisterEntry)))


def new_proposal(app, slug: str, *, district_index: int = 0) -> dict:
    """A case (hence a proposal) for a new citizen living in the region's n-th district."""
    def build():
        region = tenant(slug)
        district = db.session.scalars(select(District).where(District.regency_code == region.region_code)
                                      .order_by(District.code)).all()[district_index]
        village = db.session.scalar(select(Village).where(Village.district_code == district.code)
                                    .order_by(Village.code))
        birth = date(1979, 6, 2)
        data = CitizenData(nik=make_nik(village.code, birth, "L"), kk_number=make_kk(village.code),
                           name=f"Usulan {uuid.uuid4().hex[:8]}", birth_date=birth, sex="L", address="Jl. Uji",
                           village_code=village.code)
        case = make_case(slug, data=data)
        proposal = db.session.scalar(select(PrelistProposal).where(PrelistProposal.case_id == case.id))
        return {"id": proposal.id, "name": data.name, "nik": data.nik, "ticket": case.ticket}
    return in_region(app, slug, build)


def proposal_status(app, slug, proposal_id) -> tuple[str, str]:
    def load():
        proposal = db.session.scalar(select(PrelistProposal).where(PrelistProposal.id == proposal_id))
        return proposal.status, proposal.note
    return in_region(app, slug, load)


# --- the register extract ---------------------------------------------------------------


def test_data_officer_imports_a_100_row_file(app, staff):
    client = staff("data_officer", "cianjur")
    response = upload(client, register_csv(100, year="61"))
    assert response.status_code == 302
    assert entry_count(app, "cianjur") == 100
    page = client.get("/register/").get_data(as_text=True)
    assert "100 baris diimpor" in page and "dtks.csv" in page and 'class="register-size">100<' in page


def test_broken_file_is_422_with_each_problem_and_imports_nothing(app, staff):
    client = staff("data_officer", "cianjur")
    assert upload(client, (FIXTURES / "register_comma.csv").read_bytes()).status_code == 302
    before = entry_count(app, "cianjur")
    response = upload(client, (FIXTURES / "register_broken.csv").read_bytes(), "rusak.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-problems"' in page and 'aria-invalid="true"' in page
    for expected in ("baris 3: nik", "baris 4: nik", "baris 5: kode_wilayah", "baris 6: nama", "baris 7: nik"):
        assert expected in page
    assert entry_count(app, "cianjur") == before == 3


def test_wrong_header_is_refused_naming_the_columns(app, staff):
    response = upload(staff("data_officer", "cianjur"), (FIXTURES / "register_bad_header.csv").read_bytes())
    assert response.status_code == 422 and "kolom nik, no_kk tidak ada" in response.get_data(as_text=True)


def test_intake_officer_may_look_but_not_import(app, staff):
    client = staff("intake_officer", "cianjur")
    page = client.get("/register/")
    assert page.status_code == 200 and 'action="/register/import"' not in page.get_data(as_text=True)
    assert upload(client, register_csv(3)).status_code == 403


def test_case_officer_may_not_see_the_register(staff):
    assert staff("case_officer", "cianjur").get("/register/").status_code == 403


def test_lookup_shows_masked_nik_only(app, staff):
    client = staff("manager", "cianjur")
    assert upload(client, (FIXTURES / "register_comma.csv").read_bytes()).status_code == 302
    nik, kk = "3203014101700001", "3203019900000101"
    page = client.get(f"/register/?q={nik}").get_data(as_text=True)
    assert "Siti Aminah" in page and "320301••••••0001" in page and nik not in page
    household = client.get(f"/register/?q={kk}", headers={"HX-Request": "true", "HX-Target": "register-search"})
    fragment = household.get_data(as_text=True)
    assert "<html" not in fragment and "Siti Aminah" in fragment and "Budi Santoso" in fragment
    assert nik not in fragment and "3203010203700002" not in fragment


def test_lookup_is_exact_only(staff):
    client = staff("manager", "cianjur")
    assert upload(client, (FIXTURES / "register_comma.csv").read_bytes()).status_code == 302
    page = client.get("/register/?q=320301").get_data(as_text=True)
    assert "Siti Aminah" not in page and "16 angka NIK atau Nomor KK" in page


def test_page_names_the_register_in_the_regions_own_words(staff):
    page = staff("unit_head", "payakumbuh").get("/register/").get_data(as_text=True)
    assert "Daftar Penerima Manfaat SLRT" in page


def test_sample_file_has_the_header_and_imports(app, staff):
    client = staff("data_officer", "bekasi")
    response = client.get("/register/sample.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "nik,no_kk,nama,kode_wilayah,alamat" and len(lines) == 4
    assert upload(client, response.get_data(), "contoh.csv").status_code == 302
    assert entry_count(app, "bekasi") == 3


def test_nav_links_follow_the_role(staff):
    links = {role: staff(role, "cianjur").get("/home").get_data(as_text=True)
             for role in ("data_officer", "intake_officer", "supervisor", "case_officer")}
    assert 'href="/register/"' in links["data_officer"] and 'href="/register/prelist"' in links["data_officer"]
    assert 'href="/register/"' in links["intake_officer"] and 'href="/register/prelist"' not in links["intake_officer"]
    assert 'href="/register/"' not in links["supervisor"] and 'href="/register/prelist"' in links["supervisor"]
    assert "/register/" not in links["case_officer"]


# --- the pre-list -----------------------------------------------------------------------


def test_prelist_shows_the_proposal_with_masked_nik_and_ticket(app, staff):
    proposal = new_proposal(app, "cianjur")
    page = staff("data_officer", "cianjur").get("/register/prelist").get_data(as_text=True)
    assert proposal["name"] in page and proposal["ticket"] in page and "Diusulkan" in page
    assert proposal["nik"] not in page and proposal["nik"][:6] + "••••••" + proposal["nik"][-4:] in page


def test_prelist_filters_by_status_with_an_htmx_fragment(app, staff):
    kept, verified = new_proposal(app, "cianjur"), new_proposal(app, "cianjur")
    client = staff("manager", "cianjur")
    assert client.post(f"/register/prelist/{verified['id']}/review", data={"decision": "verified"}).status_code == 302
    fragment = client.get("/register/prelist?status=proposed",
                          headers={"HX-Request": "true", "HX-Target": "proposal-list"}).get_data(as_text=True)
    assert "<html" not in fragment and kept["name"] in fragment and verified["name"] not in fragment
    page = client.get("/register/prelist?status=verified").get_data(as_text=True)
    assert verified["name"] in page and kept["name"] not in page


def test_supervisor_sees_and_reviews_only_own_districts(app, staff):
    mine, other = new_proposal(app, "cianjur"), new_proposal(app, "cianjur", district_index=1)
    client = staff("supervisor", "cianjur")
    page = client.get("/register/prelist").get_data(as_text=True)
    assert mine["name"] in page and other["name"] not in page
    response = client.post(f"/register/prelist/{other['id']}/review", data={"decision": "verified"})
    assert response.status_code == 403 and proposal_status(app, "cianjur", other["id"])[0] == "proposed"
    assert client.post(f"/register/prelist/{mine['id']}/review", data={"decision": "verified"}).status_code == 302


def test_rejecting_needs_a_reason(app, staff):
    proposal = new_proposal(app, "cianjur")
    client = staff("manager", "cianjur")
    url = f"/register/prelist/{proposal['id']}/review"
    response = client.post(url, data={"decision": "rejected", "note": "  "})
    assert response.status_code == 422 and "Alasan penolakan wajib diisi." in response.get_data(as_text=True)
    assert proposal_status(app, "cianjur", proposal["id"]) == ("proposed", "")
    response = client.post(url, data={"decision": "rejected", "note": "Sudah pindah domisili"})
    assert response.status_code == 302
    assert proposal_status(app, "cianjur", proposal["id"]) == ("rejected", "Sudah pindah domisili")
    events = in_region(app, "cianjur", lambda: db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "prelist.review",
                                        AuditEvent.object_id == str(proposal["id"]))).all())
    assert [e["decision"] for e in events] == ["rejected"]


def test_data_officer_may_not_review(app, staff):
    proposal = new_proposal(app, "cianjur")
    client = staff("data_officer", "cianjur")
    assert client.post(f"/register/prelist/{proposal['id']}/review", data={"decision": "verified"}).status_code == 403


def test_intake_officer_may_not_see_the_prelist(staff):
    assert staff("intake_officer", "cianjur").get("/register/prelist").status_code == 403
