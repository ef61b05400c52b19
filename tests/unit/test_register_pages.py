"""The register pages over HTTP: who may see and import, refused files, the masked lookups (exact and by
name), the preview with confirm and discard, the history and the comparison."""
import re

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from app.permissions import DEFAULTS, Capability
from tests.helpers.regions import in_region
from tests.helpers.register import FIXTURES, extract_csv, first_codes, member_row, pending_id, register_csv, upload
from tests.helpers.register import upload_and_confirm as confirmed


def _import_in_owner_region():
    from app.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == "manager@bekasi.demo"))
    batch = RegisterImport(filename="bekasi.csv", row_count=0, imported_by=user.id, status="discarded")
    db.session.add(batch)
    db.session.flush()
    return {"import_id": batch.id}


CROSS_TENANT = {
    "register.import_preview": ("GET", _import_in_owner_region),
    "register.import_confirm": ("POST", _import_in_owner_region),
    "register.import_discard": ("POST", _import_in_owner_region),
}


def current_count(app, slug) -> int:
    from app.citizens.register import in_current

    return in_region(app, slug, lambda: db.session.scalar(
        select(func.count()).select_from(RegisterEntry).where(in_current(RegisterEntry))))


def role_without(capability: Capability) -> str:
    return next(role for role in ("facilitator", "case_officer", "monitoring_officer", "supervisor")
                if role not in DEFAULTS[capability])


# --- who may do what -----------------------------------------------------------------------


def test_a_role_without_the_capability_may_not_see_the_register(staff):
    client = staff(role_without(Capability.SEARCH_REGISTER), "cianjur")
    for path in ("/register/", "/register/search", "/register/history", "/register/compare"):
        assert client.get(path).status_code == 403, path


def test_intake_officer_may_search_but_not_import(app, staff):
    client = staff("intake_officer", "cianjur")
    page = client.get("/register/")
    assert page.status_code == 200 and 'action="/register/import"' not in page.get_data(as_text=True)
    assert client.get("/register/search").status_code == 200
    assert upload(client, register_csv(3)).status_code == 403
    assert client.get("/register/history").status_code == 403


def test_page_names_the_register_in_the_regions_own_words(staff):
    page = staff("unit_head", "payakumbuh").get("/register/").get_data(as_text=True)
    assert "Daftar Penerima Manfaat SLRT" in page


# --- importing: preview, confirm, discard ----------------------------------------------------


def test_an_upload_is_previewed_and_becomes_current_only_when_confirmed(app, staff):
    client = staff("data_officer", "cianjur")
    before = current_count(app, "cianjur")
    assert upload(client, register_csv(100, year="61")).status_code == 302
    assert current_count(app, "cianjur") == before  # staged, not yet the register
    page = client.get("/register/").get_data(as_text=True)
    assert "100 baris diperiksa" in page and "Pratinjau menunggu konfirmasi" in page
    import_id = pending_id(client)
    preview = client.get(f"/register/imports/{import_id}/preview").get_data(as_text=True)
    assert re.search(r'id="changes-households">.*?<td>25</td>\s*<td class="added">25</td>', preview, re.S)
    assert re.search(r'id="changes-members">.*?<td>100</td>\s*<td class="added">100</td>', preview, re.S)
    assert client.post(f"/register/imports/{import_id}/confirm").status_code == 302
    assert current_count(app, "cianjur") == 100
    page = client.get("/register/").get_data(as_text=True)
    assert 'class="register-size">100<' in page and 'class="register-households">25<' in page
    assert "Pratinjau menunggu konfirmasi" not in page
    events = in_region(app, "cianjur", lambda: db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == import_id)).all())
    assert {"register.import", "register.confirm"} <= set(events)


def test_discarding_a_preview_leaves_the_register(app, staff):
    client = staff("data_officer", "cianjur")
    confirmed(client, register_csv(8, year="62"))
    assert upload(client, register_csv(12, year="63")).status_code == 302
    import_id = pending_id(client)
    assert client.post(f"/register/imports/{import_id}/discard").status_code == 302
    assert current_count(app, "cianjur") == 8 and pending_id(client) is None
    assert client.post(f"/register/imports/{import_id}/confirm").status_code == 409


def test_confirming_needs_the_form_token(app, staff):
    client = staff("data_officer", "cianjur")
    assert upload(client, register_csv(4, year="64")).status_code == 302
    import_id = pending_id(client)
    app.config["WTF_CSRF_ENABLED"], before = True, app.config.get("WTF_CSRF_ENABLED")
    try:
        assert client.post(f"/register/imports/{import_id}/confirm").status_code in (302, 400)
    finally:
        app.config["WTF_CSRF_ENABLED"] = before
    assert pending_id(client) == import_id  # not confirmed without the token
    client.post(f"/register/imports/{import_id}/discard")


def test_broken_file_is_422_with_each_problem_and_imports_nothing(app, staff):
    client = staff("data_officer", "cianjur")
    confirmed(client, (FIXTURES / "register_comma.csv").read_bytes())
    response = upload(client, (FIXTURES / "register_broken.csv").read_bytes(), "rusak.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-problems"' in page and 'aria-invalid="true"' in page
    for expected in ("baris 3: nik", "baris 4: nik", "baris 5: kode_wilayah", "baris 6: nama", "baris 7: nik"):
        assert expected in page
    assert current_count(app, "cianjur") == 3


def test_wrong_header_is_refused_naming_the_columns(app, staff):
    response = upload(staff("data_officer", "cianjur"), (FIXTURES / "register_bad_header.csv").read_bytes())
    assert response.status_code == 422 and "kolom nik, no_kk tidak ada" in response.get_data(as_text=True)


def test_history_lists_each_import_and_compare_shows_both(app, staff):
    client = staff("manager", "cianjur")
    district, village = first_codes(app, "cianjur")
    digits = district.replace(".", "")

    def household(n: int, decile: str, programs: str) -> list[dict]:
        kk = f"{digits}55{n:08d}"
        return [member_row(kk, f"{digits}0101{70 + n:02d}{i:04d}", f"Warga {n}-{i}", village, desil=decile,
                           program_keluarga=programs) for i in range(2)]
    confirmed(client, extract_csv(household(1, "3", "BPNT") + household(2, "1", "")), "pertama.csv")
    confirmed(client, extract_csv(household(1, "2", "PKH,BPNT") + household(3, "4", "")), "kedua.csv")
    history = client.get("/register/history").get_data(as_text=True)
    assert history.index("kedua.csv") < history.index("pertama.csv") and "Berlaku" in history
    compare = client.get("/register/compare").get_data(as_text=True)
    assert "pertama.csv" in compare and "kedua.csv" in compare
    assert re.search(r'id="changes-households">.*?<td>2</td>\s*<td class="added">1</td>\s*'
                     r'<td class="changed">1</td>\s*<td>0</td>\s*<td class="gone">1</td>', compare, re.S)
    assert "Pindah ke desil lebih miskin: <strong>1</strong>" in compare
    assert re.search(r'id="program-pkh">.*?\+1 / −0', compare, re.S)


def test_sample_file_is_the_full_layout_and_imports(app, staff):
    client = staff("data_officer", "bekasi")
    response = client.get("/register/sample.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("no_kk,kode_wilayah,alamat,desil,kondisi_rumah,program_keluarga,nik,nama,hubungan")
    assert "Kepala keluarga" in lines[1]
    assert upload(client, response.get_data(), "contoh.csv").status_code == 302
    import_id = pending_id(client)
    assert import_id and client.post(f"/register/imports/{import_id}/discard").status_code == 302


# --- looking people up -----------------------------------------------------------------------


def test_exact_lookup_shows_masked_nik_only(app, staff):
    client = staff("manager", "cianjur")
    confirmed(client, (FIXTURES / "register_comma.csv").read_bytes())
    nik, kk = "3203014101700001", "3203019900000101"
    page = client.get(f"/register/?q={nik}").get_data(as_text=True)
    assert "Siti Aminah" in page and "320301••••••0001" in page and nik not in page
    household = client.get(f"/register/?q={kk}", headers={"HX-Request": "true", "HX-Target": "register-search"})
    fragment = household.get_data(as_text=True)
    assert "<html" not in fragment and "Siti Aminah" in fragment and "Budi Santoso" in fragment
    assert nik not in fragment and "3203010203700002" not in fragment
    assert "Siti Aminah" not in client.get("/register/?q=320301").get_data(as_text=True)


def test_search_by_name_in_a_village_is_masked_paged_and_audited(app, staff):
    client = staff("data_officer", "cianjur")
    district, village = first_codes(app, "cianjur")
    digits = district.replace(".", "")
    rows = [member_row(f"{digits}44{n // 3:08d}", f"{digits}0101{75:02d}{n:04d}", f"Cucu Sumarni {n:02d}", village)
            for n in range(25)]
    confirmed(client, extract_csv(rows))
    page = client.get(f"/register/search?name=sumarni&area={village}").get_data(as_text=True)
    assert "25 orang ditemukan" in page and "Cucu Sumarni 00" in page and "Cucu Sumarni 24" not in page
    assert f"{digits}0101750000" not in page and f"{digits}••••••0000" in page
    second = client.get(f"/register/search?name=sumarni&area={district}&page=2",
                        headers={"HX-Request": "true", "HX-Target": "name-results"}).get_data(as_text=True)
    assert "<html" not in second and "Cucu Sumarni 24" in second and "Cucu Sumarni 00" not in second
    events = in_region(app, "cianjur", lambda: db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "register.search")
        .order_by(AuditEvent.at.desc()).limit(2)).all())
    assert {(e.get("name"), e.get("found")) for e in events} == {("sumarni", 25)}


def test_search_by_name_needs_a_name_and_an_area_of_this_region(app, staff):
    client = staff("data_officer", "cianjur")
    short = client.get("/register/search?name=ab&area=32.03.01")
    assert short.status_code == 422 and "3 sampai 100 huruf" in short.get_data(as_text=True)
    elsewhere = client.get("/register/search?name=siti&area=32.75.01")
    assert elsewhere.status_code == 422 and "dari daftar" in elsewhere.get_data(as_text=True)
