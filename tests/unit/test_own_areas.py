"""A region's own service areas and channels: declared in the template, mapped to the built-in ones,
counted under them nationally, managed in the browser; partner levels from the village up."""
from __future__ import annotations

import uuid

import pytest
import yaml
from sqlalchemy import select

from app.casework.models import Case, Partner
from app.dashboard.national_areas import breakdown_tables, received_by_area, received_by_channel
from app.dashboard.periods import Period
from app.dashboard.periods import today as local_today
from app.extensions import db
from app.org.models import OrgUnit
from app.org.service_areas import area_label, national_area, service_areas
from app.tenancy.context import tenant_context
from app.tenants.template import TemplateError, parse_template
from tests.factories import make_case, tenant
from tests.helpers.platform import make_region

BATUBARA = "app/tenants/templates/batubara.yaml"


def _batubara() -> dict:
    with open(BATUBARA, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _problems(data: dict) -> list[str]:
    with pytest.raises(TemplateError) as err:
        parse_template(yaml.safe_dump(data, allow_unicode=True), source="uji.yaml")
    return err.value.problems


# --- the template ------------------------------------------------------------------------------

def test_batubara_declares_klink_as_its_own_channel_and_area(app_ctx):
    template = parse_template(yaml.safe_dump(_batubara(), allow_unicode=True), source="batubara.yaml")
    assert template.service_areas == [{"key": "kekerasan_perempuan_anak",
                                       "label": "Kasus kekerasan terhadap perempuan dan anak",
                                       "maps_to": "sosial", "legal_basis": "inferred: Pasal 1 angka 32"}]
    klink = next(c for c in template.sop["channels"] if c["key"] == "klink")
    assert klink["maps_to"] == "walk_in" and klink["legal_basis"].startswith("inferred: Pasal 1 angka 32")


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d["service_areas"].append({"key": "sosial", "label": "Sosial lain", "maps_to": "sosial",
                                          "legal_basis": "Pasal 1"}),
     "service_areas[2] (sosial): kunci 'sosial' sudah dipakai bidang layanan bawaan; pilih kunci lain"),
    (lambda d: d["service_areas"][0].pop("maps_to"),
     "service_areas[1] (kekerasan_perempuan_anak): 'maps_to' wajib diisi: bidang bawaan tempat bidang ini "
     "dihitung dalam angka nasional (pilihan: pendidikan, kesehatan, kependudukan, sosial, ekonomi_usaha, "
     "pelayanan_dasar_lainnya)"),
    (lambda d: d["service_areas"][0].update(maps_to="astrologi"),
     "service_areas[1] (kekerasan_perempuan_anak): 'maps_to' 'astrologi' bukan bidang bawaan (pilihan: "
     "pendidikan, kesehatan, kependudukan, sosial, ekonomi_usaha, pelayanan_dasar_lainnya)"),
    (lambda d: d["service_areas"][0].update(label=""),
     "service_areas[1] (kekerasan_perempuan_anak): 'label' wajib diisi (nama bidang dalam sebutan daerah)"),
    (lambda d: d["service_areas"].append(dict(d["service_areas"][0])),
     "service_areas[2] (kekerasan_perempuan_anak): bidang layanan 'kekerasan_perempuan_anak' muncul lebih dari "
     "sekali"),
    (lambda d: d["service_areas"][0].update(key="Kekerasan Anak"),
     "service_areas[1] (Kekerasan Anak): kunci 'Kekerasan Anak' hanya boleh huruf kecil, angka dan garis bawah "
     "(paling banyak 40)"),
    (lambda d: next(c for c in d["sop"]["channels"] if c["key"] == "klink").pop("maps_to"),
     "sop.channels[4] (klink): jalur 'klink' bukan jalur bawaan (walk_in, welfare_center, home_visit): sebagai "
     "jalur milik daerah wajib memakai 'maps_to', jalur bawaan tempat ia dihitung dalam angka nasional"),
    (lambda d: next(c for c in d["sop"]["channels"] if c["key"] == "klink").update(maps_to="pos"),
     "sop.channels[4] (klink): 'maps_to' 'pos' bukan jalur bawaan (pilihan: walk_in, welfare_center, home_visit)"),
    (lambda d: d["sop"]["channels"][0].update(maps_to="home_visit"),
     "sop.channels[1] (walk_in): jalur bawaan tidak memakai 'maps_to'"),
    (lambda d: d["sop"]["routing"].update(astrologi="back_office"),
     "sop.routing: bidang layanan 'astrologi' tidak dikenal"),
])
def test_a_wrong_own_area_or_channel_is_refused_in_indonesian_at_its_entry(app_ctx, change, problem):
    data = _batubara()
    change(data)
    assert problem in _problems(data)


def _back_office(data: dict) -> tuple[int, dict]:
    return next((i, u) for i, u in enumerate(data["units"], 1) if u["key"] == "back_office")


def test_a_unit_may_name_only_listed_areas(app_ctx):
    data = _batubara()
    n, unit = _back_office(data)
    unit["service_areas"] = ["sosial", "astrologi"]
    expected = (f"units[{n}] (back_office): bidang layanan 'astrologi' tidak dikenal (pilihan: pendidikan, "
                "kesehatan, kependudukan, sosial, ekonomi_usaha, pelayanan_dasar_lainnya, kekerasan_perempuan_anak)")
    assert expected in _problems(data)


def test_own_areas_may_be_routed_handled_and_referred(app_ctx):
    data = _batubara()
    data["sop"]["routing"]["kekerasan_perempuan_anak"] = "back_office"
    _back_office(data)[1]["service_areas"].append("kekerasan_perempuan_anak")
    data["partners"][0]["service_areas"] = ["kekerasan_perempuan_anak"]
    data["partners"][0]["level"] = "village"
    template = parse_template(yaml.safe_dump(data, allow_unicode=True), source="uji.yaml")
    assert template.sop["routing"]["kekerasan_perempuan_anak"] == "back_office"
    assert template.partners[0]["level"] == "village"


def test_an_own_area_the_file_does_not_declare_cannot_be_routed(app_ctx):
    data = _batubara()
    data.pop("service_areas")
    data["sop"]["routing"]["kekerasan_perempuan_anak"] = "back_office"
    assert "sop.routing: bidang layanan 'kekerasan_perempuan_anak' tidak dikenal" in _problems(data)


@pytest.mark.parametrize("level", ["village", "district"])
def test_partner_levels_from_the_village_up_are_accepted(app_ctx, level):
    data = _batubara()
    data["partners"].append({"name": "Pemerintah Desa Uji", "level": level, "kind": "opd"})
    template = parse_template(yaml.safe_dump(data, allow_unicode=True), source="uji.yaml")
    assert template.partners[-1]["level"] == level


# --- the seeded region, national figures -------------------------------------------------------

def test_the_seeded_region_has_its_own_area_and_channel(app_ctx):
    region = tenant("batubara")
    with tenant_context(region):
        assert service_areas()["kekerasan_perempuan_anak"] == "Kasus kekerasan terhadap perempuan dan anak"
        assert national_area("kekerasan_perempuan_anak") == "sosial" and national_area("kesehatan") == "kesehatan"
        assert area_label("kekerasan_perempuan_anak") == "Kasus kekerasan terhadap perempuan dan anak"
        from app.casework.sop_store import current_version

        assert current_version().sop.channels["klink"].national == "walk_in"


def test_a_case_with_an_own_area_and_channel_counts_under_the_built_in_ones_nationally(app):
    with app.app_context():
        region = tenant("batubara")
        today = local_today()  # the region's date (WIB): after 17:00 UTC it is tomorrow's
        period = Period(today, today)
        with tenant_context(None):
            before_area = received_by_area(period, only=region.id).get(region.id, {})
            before_channel = received_by_channel(period, only=region.id).get(region.id, {})
        with tenant_context(region):
            case = make_case("batubara", channel="klink", service_area="kekerasan_perempuan_anak")
            back_office = db.session.scalar(select(OrgUnit).where(OrgUnit.key == "back_office"))
            assert case.unit_id == back_office.id  # routed where its built-in area (sosial) goes
            assert case.channel == "klink" and case.service_area == "kekerasan_perempuan_anak"
            db.session.commit()
        with tenant_context(None):
            after_area = received_by_area(period, only=region.id)[region.id]
            after_channel = received_by_channel(period, only=region.id)[region.id]
        assert after_area.get("sosial", 0) == before_area.get("sosial", 0) + 1
        assert "kekerasan_perempuan_anak" not in after_area
        assert after_channel.get("walk_in", 0) == before_channel.get("walk_in", 0) + 1
        assert "klink" not in after_channel
        with tenant_context(None):
            from app.dashboard.national import national_summary

            rows = [r for r in national_summary(period) if r.tenant_id == region.id]
            areas, channels = breakdown_tables(rows, period)
        assert areas.columns[4] == "Sosial" and areas.rows[0][4] == after_area["sosial"]
        assert channels.rows[-1][0] == "Nasional"


def test_the_regions_own_dashboard_shows_its_own_area_by_name(app):
    with app.app_context():
        region = tenant("batubara")
        with tenant_context(region):
            make_case("batubara", channel="klink", service_area="kekerasan_perempuan_anak")
            from app.dashboard.figures import figures

            today = local_today()  # the region's date (WIB): after 17:00 UTC it is tomorrow's
            figs = figures(region, Period(today, today))
            by_area = {row[0]: row[1] for row in figs.table("by_area").rows}
            by_channel = {row[0]: row[1] for row in figs.table("by_channel").rows}
            db.session.rollback()
        assert by_area.get("Kasus kekerasan terhadap perempuan dan anak", 0) >= 1
        assert any(name.startswith("Konsultasi di KLINK") for name in by_channel)


def test_the_intake_form_offers_the_regions_own_area(staff):
    page = staff("intake_officer", "batubara").get("/intake/").get_data(as_text=True)
    assert "Kasus kekerasan terhadap perempuan dan anak" in page and 'value="kekerasan_perempuan_anak"' in page
    other = staff("intake_officer", "bekasi").get("/intake/").get_data(as_text=True)
    assert "kekerasan_perempuan_anak" not in other


# --- export and import -------------------------------------------------------------------------

def test_export_and_import_carry_the_own_area_and_channel(app_ctx):
    from app.tenants.export import export_region, to_yaml
    from app.tenants.importer import prepare_import

    region = tenant("batubara")
    with tenant_context(region):
        text = to_yaml(export_region(region))
        assert "kekerasan_perempuan_anak" in text and "maps_to: walk_in" in text
        plan = prepare_import(region, text, "batubara-export.yaml")
        assert plan.empty, [str(c) for c in plan.changes]
        data = yaml.safe_load(text)
        data["service_areas"][0]["label"] = "Kekerasan terhadap perempuan dan anak"
        changed = prepare_import(region, yaml.safe_dump(data, allow_unicode=True), "uji.yaml")
        assert any(c.section == "service_area" and c.action == "changed" for c in changed.changes)


# --- the settings page -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scratch(app):
    """A throwaway region with one demo account per post."""
    _tid, slug = make_region(app, accounts=True)
    return slug


def _own(app, slug):
    with app.app_context():
        return list(tenant(slug).own_service_areas)


def test_manager_adds_renames_and_removes_an_own_area(app, staff, scratch):
    client = staff("manager", scratch)
    key = f"uji_{uuid.uuid4().hex[:6]}"
    page = client.get("/settings/service-areas")
    assert page.status_code == 200 and "Bidang bawaan" in page.get_data(as_text=True)
    added = client.post("/settings/service-areas", data={
        "new-area-key": key, "new-area-label": "Perlindungan Anak Uji", "new-area-maps_to": "sosial",
        "new-area-legal_basis": "Pasal 3 huruf a"})
    assert added.status_code == 302
    assert {"key": key, "label": "Perlindungan Anak Uji", "maps_to": "sosial",
            "legal_basis": "Pasal 3 huruf a"} in _own(app, scratch)
    renamed = client.post(f"/settings/service-areas/{key}", data={
        f"area-{key}-label": "Perlindungan Anak", f"area-{key}-maps_to": "sosial",
        f"area-{key}-legal_basis": "Pasal 3 huruf a"})
    assert renamed.status_code == 302
    assert next(a for a in _own(app, scratch) if a["key"] == key)["label"] == "Perlindungan Anak"
    assert client.post(f"/settings/service-areas/{key}/remove").status_code == 302
    assert all(a["key"] != key for a in _own(app, scratch))  # never used: deleted
    history = client.get("/settings/history").get_data(as_text=True)
    assert "Bidang layanan daerah ditambahkan" in history and "Bidang layanan daerah dihapus" in history


def test_a_key_of_a_built_in_area_and_a_missing_mapping_are_refused_at_the_fields(app, staff, scratch):
    client = staff("manager", scratch)
    response = client.post("/settings/service-areas", data={
        "new-area-key": "kesehatan", "new-area-label": "", "new-area-maps_to": "", "new-area-legal_basis": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nama bidang wajib diisi." in page
    response = client.post("/settings/service-areas", data={
        "new-area-key": "kesehatan", "new-area-label": "Kesehatan Jiwa", "new-area-maps_to": "",
        "new-area-legal_basis": "Pasal 2"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kunci &#39;kesehatan&#39; sudah dipakai bidang layanan bawaan; pilih kunci lain." in page
    assert "Pilih bidang bawaan tempat bidang ini dihitung dalam angka nasional." in page


def test_an_own_area_open_cases_use_cannot_be_removed_and_a_used_one_is_retired(app, staff, scratch):
    client = staff("manager", scratch)
    key = f"uji_{uuid.uuid4().hex[:6]}"
    client.post("/settings/service-areas", data={
        "new-area-key": key, "new-area-label": f"Bidang {key}", "new-area-maps_to": "ekonomi_usaha",
        "new-area-legal_basis": "Pasal 4"})
    with app.app_context():
        region = tenant(scratch)
        with tenant_context(region):
            case = make_case(scratch, service_area=key)
            case_id = case.id
            db.session.commit()
    refused = client.post(f"/settings/service-areas/{key}/remove")
    assert refused.status_code == 409
    assert "1 kasus terbuka masih di bidang ini" in refused.get_data(as_text=True)
    with app.app_context(), tenant_context(tenant(scratch)):
        from app.tenancy.models import utcnow

        db.session.scalar(select(Case).where(Case.id == case_id)).closed_at = utcnow()
        db.session.commit()
    assert client.post(f"/settings/service-areas/{key}/remove").status_code == 302
    kept = next(a for a in _own(app, scratch) if a["key"] == key)
    assert kept["retired"] is True  # a closed case still carries it: kept for its label and mapping
    with app.app_context(), tenant_context(tenant(scratch)):
        assert key not in service_areas() and national_area(key) == "ekonomi_usaha"
        assert area_label(key) == f"Bidang {key}"


def test_another_regions_area_is_404_and_staff_without_the_capability_get_403(app, staff, scratch,
                                                                                region_client):
    key = "kekerasan_perempuan_anak"  # Batu Bara's own
    manager = staff("manager", scratch)
    assert manager.post(f"/settings/service-areas/{key}", data={
        f"area-{key}-label": "Dibajak", f"area-{key}-maps_to": "sosial",
        f"area-{key}-legal_basis": "x"}).status_code == 404
    assert manager.post(f"/settings/service-areas/{key}/remove").status_code == 404
    assert manager.post("/settings/service-areas/sosial/remove").status_code == 404  # built-in
    with app.app_context():
        assert tenant("batubara").own_service_areas[0]["label"] == "Kasus kekerasan terhadap perempuan dan anak"
    officer = staff("intake_officer", "batubara")
    assert officer.get("/settings/service-areas").status_code == 403
    assert officer.post(f"/settings/service-areas/{key}/remove").status_code == 403
    anonymous = region_client("batubara").get("/settings/service-areas")
    assert anonymous.status_code in (302, 401)


# --- partners ----------------------------------------------------------------------------------

def test_partner_level_village_round_trips_through_the_form_list_and_export(app, staff, scratch):
    client = staff("manager", scratch)
    name = f"Pemerintah Desa Uji {uuid.uuid4().hex[:6]}"
    assert client.post("/settings/partners/new", data={"name": name, "level": "village", "kind": "opd",
                                                       "contact": "", "service_areas": ["sosial"]}).status_code == 302
    with app.app_context(), tenant_context(tenant(scratch)):
        partner = db.session.scalar(select(Partner).where(Partner.name == name))
        assert partner.level == "village"
        from app.tenants.export import export_region

        exported = export_region(tenant(scratch))
        assert {"name": name, "level": "village", "kind": "opd", "service_areas": ["sosial"]} in exported["partners"]
    listing = client.get("/settings/partners/").get_data(as_text=True)
    assert "Desa/Kelurahan" in listing
    form = client.get("/settings/partners/new").get_data(as_text=True)
    assert 'value="district"' in form and "Kecamatan" in form
    assert '<option selected value="regency">' in form or 'value="regency" selected' in form
