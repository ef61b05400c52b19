"""Importing a configuration file: validation, the diff, applying it, and the round trip."""
import io

import pytest
import yaml
from sqlalchemy import func, inspect, select

from app.accounts.models import Membership
from app.casework.models import Partner, SopVersion
from app.casework.sop_drafts import current_draft, start_draft
from app.casework.sop_store import current_version
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.tenants.export import export_region, to_yaml
from app.tenants.importer import ImportRefused, apply_import, prepare_import
from app.tenants.template import TemplateError
from tests.factories import make_case, member, tenant
from tests.helpers.regions import read_in_region

REGIONS = ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"]


@pytest.fixture()
def region(app_ctx):
    contexts = []

    def enter(slug):
        found = tenant(slug)
        ctx = tenant_context(found)
        ctx.__enter__()
        contexts.append(ctx)
        return found

    yield enter
    for ctx in reversed(contexts):
        ctx.__exit__(None, None, None)


def _rows(tenant_row):
    """Every column of every configuration row, to show that nothing was written."""
    def dump(model):
        columns = [c.key for c in inspect(model).column_attrs]
        return sorted(tuple(str(getattr(r, c)) for c in columns) for r in db.session.scalars(select(model)))
    return {"tenant": tuple(str(getattr(tenant_row, c.key)) for c in inspect(Tenant).column_attrs),
            "units": dump(OrgUnit), "positions": dump(Position), "partners": dump(Partner),
            "versions": dump(SopVersion)}


def _exported(region_row) -> dict:
    return yaml.safe_load(to_yaml(export_region(region_row)))


@pytest.mark.parametrize("slug", REGIONS)
def test_round_trip_export_then_import_changes_nothing(region, slug):
    region_row = region(slug)
    text = to_yaml(export_region(region_row))
    before = _rows(region_row)
    plan = prepare_import(region_row, text, f"{slug}.yaml")
    assert plan.empty and plan.changes == [] and plan.blockers == []
    user, _m = member(f"manager@{slug}.demo")
    assert apply_import(region_row, plan, user) == []
    db.session.flush()
    assert _rows(region_row) == before
    assert not db.session.dirty and not db.session.new


def test_a_file_for_another_region_is_refused(region):
    region_row = region("cianjur")
    with tenant_context(tenant("bekasi")):
        text = to_yaml(export_region(tenant("bekasi")))
    with pytest.raises(TemplateError) as err:
        prepare_import(region_row, text, "bekasi.yaml")
    assert any(p.startswith("region:") and "bukan Kabupaten Cianjur" in p for p in err.value.problems)


def test_invalid_yaml_and_invalid_content_are_reported_by_line_and_entry(region):
    region_row = region("cianjur")
    with pytest.raises(TemplateError) as err:
        prepare_import(region_row, "format: 1\nregion: [\n", "rusak.yaml")
    assert "baris" in err.value.problems[0]
    data = _exported(region_row)
    data["partners"][0]["kind"] = "alien"
    data["sop"]["transitions"][0]["legal_basis"] = ""
    with pytest.raises(TemplateError) as err:
        prepare_import(region_row, to_yaml(data), "salah.yaml")
    assert any("legal_basis" in p for p in err.value.problems)


def test_changes_are_listed_then_applied_and_open_cases_keep_their_sop(region):
    region_row = region("payakumbuh")
    open_case = make_case("payakumbuh")
    old = current_version()
    user, _m = member("manager@payakumbuh.demo")
    start_draft(user)
    data = _exported(region_row)
    data["region"]["terminology"]["welfare_register"] = "DPM SLRT"
    data["units"][0]["name"] = "Kepala UPT-PSPK Kota Payakumbuh"
    data["partners"][0]["contact"] = "0752-90000"
    data["partners"].append({"name": "Yayasan Baru", "level": "non_government", "kind": "ngo",
                             "service_areas": ["pendidikan"]})
    retired_name = data["partners"].pop(1)["name"]
    next(s for s in data["sop"]["states"] if s["key"] == "analysis")["sla_hours"] = 96
    plan = prepare_import(region_row, to_yaml(data), "ubah.yaml")
    lines = [str(c) for c in plan.changes]
    assert any("DPM SLRT" in line for line in lines)
    assert any("Kepala UPT-PSPK Kota Payakumbuh" in line for line in lines)
    assert any("Yayasan Baru" in line and line.startswith("Ditambah") for line in lines)
    assert any(retired_name in line and line.startswith("Dinonaktifkan") for line in lines)
    assert any("72 jam → 96 jam" in line for line in lines)
    assert plan.sop_changed and not plan.blockers

    apply_import(region_row, plan, user)
    assert region_row.term("welfare_register", "") == "DPM SLRT"
    assert db.session.scalar(select(Partner).where(Partner.name == retired_name)).retired_at is not None
    assert db.session.scalar(select(Partner).where(Partner.name == "Yayasan Baru")).retired_at is None
    new = current_version()
    assert new.number > old.number and new.published_by == user.id
    assert open_case.sop_version_id == old.id
    assert current_draft() is None  # a draft based on the old version is discarded
    assert prepare_import(region_row, to_yaml(data), "ubah.yaml").empty  # applying again changes nothing


def test_leaving_out_a_post_someone_holds_is_refused(region):
    region_row = region("cianjur")
    data = _exported(region_row)
    held = db.session.scalar(select(Position.key).join(Membership, Membership.position_id == Position.id)
                             .where(Membership.active.is_(True), Position.retired_at.is_(None),
                                    Position.role == "case_officer"))  # other posts hold the role too
    data["positions"] = [p for p in data["positions"] if p["key"] != held]
    plan = prepare_import(region_row, to_yaml(data), "kurang.yaml")
    assert plan.blockers and "masih dipegang" in plan.blockers[0]
    with pytest.raises(ImportRefused):
        apply_import(region_row, plan, member("manager@cianjur.demo")[0])


def test_new_unit_and_post_are_created_and_left_out_ones_retired(region):
    region_row = region("batubara")
    data = _exported(region_row)
    data["units"].append({"key": "puskesos_uji", "name": "Puskesos Uji", "kind": "welfare_center",
                          "parent": data["units"][0]["key"], "legal_basis": "Pasal 1"})
    data["positions"].append({"key": "koordinator_uji", "unit": "puskesos_uji", "title": "Koordinator Puskesos Uji",
                              "role": "welfare_center_coordinator", "legal_basis": "Pasal 1"})
    apply_import(region_row, prepare_import(region_row, to_yaml(data), "tambah.yaml"),
                 member("manager@batubara.demo")[0])
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.key == "puskesos_uji"))
    post = db.session.scalar(select(Position).where(Position.key == "koordinator_uji"))
    assert unit.parent_id is not None and post.unit_id == unit.id and post.area_level == "village"
    data["units"].pop()
    data["positions"].pop()
    apply_import(region_row, prepare_import(region_row, to_yaml(data), "kembali.yaml"),
                 member("manager@batubara.demo")[0])
    assert unit.retired_at is not None and post.retired_at is not None
    assert prepare_import(region_row, to_yaml(data), "kembali.yaml").empty


def _upload(client, text, name="konfigurasi.yaml"):
    return client.post("/settings/transfer/preview", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode()), name)})


def test_export_download_then_upload_shows_no_difference(staff):
    client = staff("manager", "palembang")
    response = client.get("/settings/transfer/export")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    assert "attachment" in response.headers["Content-Disposition"]
    preview = _upload(client, response.get_data(as_text=True))
    assert preview.status_code == 200 and "Tidak ada perbedaan" in preview.get_data(as_text=True)


def test_upload_preview_writes_nothing_and_apply_uses_the_signed_file(app, staff, restore_region):
    restore_region("palembang")
    client = staff("manager", "palembang")
    data = yaml.safe_load(client.get("/settings/transfer/export").get_data(as_text=True))
    data["region"]["service_name"] = "SLRT Palembang (uji impor)"
    preview = _upload(client, to_yaml(data))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "SLRT Palembang (uji impor)" in page and "Terapkan" in page
    assert read_in_region(app, "palembang", lambda: tenant("palembang").service_name) != "SLRT Palembang (uji impor)"
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/settings/transfer/apply", data={"token": token[:-3] + "abc"}).status_code == 400
    assert client.post("/settings/transfer/apply", data={"token": token}).status_code == 302
    assert read_in_region(app, "palembang", lambda: tenant("palembang").service_name) == "SLRT Palembang (uji impor)"
    assert "Konfigurasi diimpor dari berkas" in client.get("/settings/history?kind=import").get_data(as_text=True)
    stale = client.post("/settings/transfer/apply", data={"token": token})  # the region moved on since
    assert stale.status_code == 409


def test_upload_problems_are_shown_at_the_field(staff):
    client = staff("manager", "cianjur")
    response = _upload(client, "region: [unclosed\n", "rusak.yaml")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Berkas ditolak" in page and "YAML tidak sah" in page
    empty = client.post("/settings/transfer/preview", data={})
    assert empty.status_code == 422 and "Pilih berkas YAML." in empty.get_data(as_text=True)


def test_the_other_regions_file_is_refused_over_http(app, staff):
    def versions():
        return db.session.scalar(select(func.count()).select_from(SopVersion))

    before = read_in_region(app, "cianjur", versions)
    bekasi = staff("manager", "bekasi").get("/settings/transfer/export").get_data(as_text=True)
    response = _upload(staff("manager", "cianjur"), bekasi, "bekasi.yaml")
    assert response.status_code == 422 and "berkas ini untuk daerah 32.75" in response.get_data(as_text=True)
    assert read_in_region(app, "cianjur", versions) == before


def test_review_chains_and_programs_are_listed_then_applied(region):
    from app.programs.models import Program

    region_row = region("batubara")
    data = _exported(region_row)
    data["reviews"]["member_moved"] = [
        {"action": "review", "roles": ["supervisor"], "legal_basis": "Pasal 14 huruf c"},
        {"action": "decide", "roles": ["manager"], "legal_basis": "Pasal 11 ayat (2) huruf c"}]
    del data["reviews"]["member_born"]
    pip = next(p for p in data["programs"] if p["code"] == "PIP")
    pip["active"] = False
    plan = prepare_import(region_row, to_yaml(data), "rantai.yaml")
    lines = [str(c) for c in plan.changes]
    assert any("Anggota pindah" in line and "Pasal 11 ayat (2) huruf c" in line for line in lines)
    assert any("Anggota lahir" in line and "bawaan:" in line for line in lines)
    assert any(pip["name"] in line and "aktif: ya → tidak" in line for line in lines)
    assert not plan.sop_changed
    apply_import(region_row, plan, member("manager@batubara.demo")[0])
    assert [s["action"] for s in region_row.review_chains["member_moved"]] == ["review", "decide"]
    assert "member_born" not in region_row.review_chains
    assert db.session.scalar(select(Program).where(Program.code == "PIP")).active is False
    assert prepare_import(region_row, to_yaml(data), "rantai.yaml").empty


def test_permissions_are_listed_then_applied_and_round_trip_exactly(region):
    region_row = region("payakumbuh")
    data = _exported(region_row)
    data["permissions"]["reveal_nik"] = {"roles": ["supervisor", "manager"], "legal_basis": "Pasal 7 ayat (4) (uji)"}
    del data["permissions"]["see_dashboard"]
    plan = prepare_import(region_row, to_yaml(data), "hak.yaml")
    lines = [str(c) for c in plan.changes]
    assert any("Membuka NIK lengkap" in line and "Pasal 7 ayat (4) (uji)" in line and "bawaan:" in line
               for line in lines)
    assert any("Melihat dasbor" in line and "Kepala Sub Bagian Tata Usaha" in line for line in lines)
    assert {c.section for c in plan.changes} == {"permission"} and not plan.sop_changed
    apply_import(region_row, plan, member("manager@payakumbuh.demo")[0])
    assert region_row.permissions["reveal_nik"] == {"roles": ["manager", "supervisor"],
                                                   "legal_basis": "Pasal 7 ayat (4) (uji)"}
    assert "see_dashboard" not in region_row.permissions
    first = to_yaml(export_region(region_row))
    again = prepare_import(region_row, first, "lagi.yaml")
    assert again.empty and again.changes == []
    apply_import(region_row, again, member("manager@payakumbuh.demo")[0])
    assert to_yaml(export_region(region_row)) == first


def test_a_file_that_leaves_nobody_to_configure_is_refused(region):
    region_row = region("cianjur")
    data = _exported(region_row)
    # A new post nobody holds yet: the file is valid, but no active member could configure the region.
    data["positions"].append({"key": "pemantau_uji", "unit": data["positions"][3]["unit"], "title": "Pemantau",
                              "role": "monitoring_officer", "legal_basis": "Pasal 2"})
    data["permissions"]["configure"] = {"roles": ["monitoring_officer"], "legal_basis": "Pasal 2 ayat (3)"}
    plan = prepare_import(region_row, to_yaml(data), "kunci.yaml")
    assert any("tidak seorang pun dapat lagi mengatur daerah" in b for b in plan.blockers)
    with pytest.raises(ImportRefused):
        apply_import(region_row, plan, member("manager@cianjur.demo")[0])
    assert "configure" not in region_row.permissions


def test_a_permissions_section_naming_an_unknown_role_is_refused(region):
    region_row = region("batubara")
    data = _exported(region_row)
    data["permissions"]["search_register"]["roles"].append("chief")
    with pytest.raises(TemplateError) as info:
        prepare_import(region_row, to_yaml(data), "peran.yaml")
    assert "permissions.search_register: peran 'chief' tidak dikenal" in str(info.value)
