"""Review chains as region data: the defaults, each region's chains as its regulation says,
the `reviews:` and `programs:` template sections (refused with entry names), export/import
round trips, and the managers' settings page."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.org.vocabulary import ROLES
from app.programs.models import Program
from app.reference.citations import Citation, for_yaml, normalise
from app.reviews.chains import DEFAULT_CHAINS, chain_for, check_chains
from app.reviews.vocabulary import ReviewedKind
from app.tenancy.context import tenant_context
from app.tenants.export import export_region, to_yaml
from app.tenants.importer import apply_import, prepare_import
from app.tenants.template import TemplateError, parse_template
from tests.factories import member, tenant
from tests.helpers.regions import in_region, read_in_region

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "app" / "tenants" / "templates"
STARTING_POINT = ROOT / "app" / "tenants" / "starting_points" / "permensos_15_2018.yaml"
REGIONS = ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"]
KINDS = [k.value for k in ReviewedKind]

# No route of this page takes an id (the kind is a query or form value, the same in every region).
CROSS_TENANT: dict = {}


def _shape(chain):
    return [(s["action"], s["roles"]) for s in chain]


def _template_data(slug: str) -> dict:
    return yaml.safe_load((TEMPLATES / f"{slug}.yaml").read_text(encoding="utf-8"))


# --- the defaults ----------------------------------------------------------------------


def test_every_kind_has_a_default_chain_whose_last_stage_decides(app_ctx):
    assert sorted(DEFAULT_CHAINS) == sorted(KINDS)
    for kind, chain in DEFAULT_CHAINS.items():
        chains, problems = check_chains({kind: chain}, None)
        assert problems == [] and chains[kind] == chain
        assert chain[-1]["action"] == "decide" and all(s["legal_basis"] for s in chain)
    assert _shape(DEFAULT_CHAINS["need"]) == [("review", ["supervisor"]), ("decide", ["manager"])]
    assert _shape(DEFAULT_CHAINS["new_household"]) == [("review", ["supervisor"]), ("decide", ["manager"])]
    assert _shape(DEFAULT_CHAINS["member_changed"]) == [("decide", ["supervisor"])]
    assert Citation.parse(DEFAULT_CHAINS["member_born"][0]["legal_basis"]).kind == "local"
    assert Citation.parse(DEFAULT_CHAINS["need"][0]["legal_basis"]).regulation == "Permensos 15/2018"


def test_the_blank_permensos_structure_carries_the_defaults(app_ctx):
    data = yaml.safe_load(STARTING_POINT.read_text(encoding="utf-8"))
    assert normalise(data) == []  # citations as they are stored
    chains, problems = check_chains(data["reviews"], {p["role"] for p in data["positions"]})
    assert problems == [] and chains == DEFAULT_CHAINS


def test_chain_for_is_the_regions_own_else_the_default_and_a_copy(app_ctx):
    from types import SimpleNamespace

    region = SimpleNamespace(review_chains={"need": [{"action": "decide", "roles": ["manager"],
                                                      "legal_basis": "Pasal 1"}]})
    own = chain_for("need", region)
    assert _shape(own) == [("decide", ["manager"])]
    own[0]["roles"].append("supervisor")
    assert region.review_chains["need"][0]["roles"] == ["manager"]
    assert chain_for("participation", region) == DEFAULT_CHAINS["participation"]
    with tenant_context(tenant("payakumbuh")):
        assert _shape(chain_for("new_household")) == [("decide", ["manager"])]


# --- each region as its regulation says -------------------------------------------------


@pytest.mark.parametrize("slug", REGIONS)
def test_every_region_names_every_kind_with_roles_its_posts_hold(app_ctx, slug):
    region = tenant(slug)
    assert sorted(region.review_chains) == sorted(KINDS)
    held = {p["role"] for p in _template_data(slug)["positions"]}
    for kind, chain in region.review_chains.items():
        assert chain[-1]["action"] == "decide", kind
        assert all(set(s["roles"]) <= held and s["legal_basis"].strip() for s in chain), kind


def test_payakumbuh_manager_decides_new_households_and_the_head_decides_needs(app_ctx):
    chains = tenant("payakumbuh").review_chains
    assert _shape(chains["new_household"]) == [("decide", ["manager"])]
    assert "Pasal 7 ayat (3) huruf e angka b" in chains["new_household"][0]["legal_basis"]
    assert _shape(chains["need"]) == [("review", ["supervisor"]), ("recommend", ["manager"]), ("decide", ["unit_head"])]
    assert "Pasal 7 ayat (4) (pertama) huruf c" in chains["need"][0]["legal_basis"]
    assert "Pasal 7 ayat (3) huruf e angka c" in chains["need"][1]["legal_basis"]
    for kind in ("member_changed", "member_born", "member_deceased", "member_moved", "no_longer_poor"):
        assert _shape(chains[kind]) == [("review", ["supervisor"]), ("decide", ["manager"])]
        assert "Pasal 7 ayat (4) (pertama) huruf b" in chains[kind][0]["legal_basis"]


def test_palembang_supervisor_reviews_needs_additions_and_decides_profile_changes(app_ctx):
    chains = tenant("palembang").review_chains
    assert chains["need"][0] == {"action": "review", "roles": ["supervisor"],
                                 "legal_basis": "Pasal 12 huruf d; Pasal 13 huruf e; Pasal 3 huruf c"}
    assert "Pasal 12 huruf b" in chains["new_household"][0]["legal_basis"]
    assert _shape(chains["member_changed"]) == [("decide", ["supervisor"])]
    assert "Pasal 12 huruf c" in chains["member_changed"][0]["legal_basis"]


def test_batubara_cianjur_bekasi_cite_their_articles(app_ctx):
    batubara = tenant("batubara").review_chains
    assert batubara["new_household"][0]["legal_basis"].startswith("Pasal 14 huruf b")
    assert batubara["need"][0]["legal_basis"].startswith("Pasal 14 huruf d")
    assert "Tugas SLRT" in tenant("cianjur").review_chains["need"][0]["legal_basis"]
    bekasi = tenant("bekasi").review_chains  # Perwal 57/2019 names no reviewer: none is stated
    assert {Citation.parse(s["legal_basis"]).kind for chain in bekasi.values() for s in chain} == {"inferred", "local"}


# --- invalid sections are refused with entry names ---------------------------------------


def _refused(data: dict) -> list[str]:
    with pytest.raises(TemplateError) as info:
        parse_template(yaml.safe_dump(data, allow_unicode=True), source="uji.yaml")
    return info.value.problems


def test_invalid_reviews_section_is_refused_naming_each_entry(app_ctx):
    data = _template_data("payakumbuh")
    data["reviews"] = {
        "pension": [{"action": "decide", "roles": ["manager"], "legal_basis": "Pasal 1"}],
        "need": [],
        "participation": [{"action": "review", "roles": ["supervisor"], "legal_basis": "Pasal 2"}],
        "member_born": [{"action": "approve", "roles": ["manager"], "legal_basis": "Pasal 3"},
                        {"action": "decide", "roles": ["data_officer", "emperor"], "legal_basis": ""}],
    }
    problems = _refused(data)
    text = "\n".join(problems)
    assert "reviews.pension: jenis data 'pension' tidak dikenal" in text
    assert "reviews.need: rantai tidak boleh kosong" in text
    assert "reviews.participation[1]: tahap terakhir harus memutuskan" in text
    assert "reviews.member_born[1]: tindakan 'approve' tidak dikenal" in text
    assert "reviews.member_born[2]: tidak ada jabatan dengan peran data_officer" in text
    assert "reviews.member_born[2]: peran 'emperor' tidak dikenal" in text
    assert "reviews.member_born[2]: dasar hukum (legal_basis) wajib diisi" in text


def test_deciding_before_the_last_stage_is_refused(app_ctx):
    data = _template_data("palembang")
    data["reviews"]["need"] = [{"action": "decide", "roles": ["manager"], "legal_basis": "Pasal 11"},
                               {"action": "decide", "roles": ["manager"], "legal_basis": "Pasal 11"}]
    assert any(p.startswith("reviews.need[1]: hanya tahap terakhir") for p in _refused(data))


REGIONAL_PROGRAM = {
    "code": "SANTUNAN_LANSIA_UJI", "name": "Santunan Lanjut Usia (uji)", "level": "regional",
    "partner": "Dinas Sosial Kota Palembang", "description": "Santunan bulanan untuk lansia miskin.",
    "legal_basis": "Perwal uji Pasal 1",
    "criteria": [{"attribute": "decile", "op": "le", "value": 3, "legal_basis": "Perwal uji Pasal 2"}],
    "ranking": [{"attribute": "decile", "op": "le", "value": 1, "points": 10, "legal_basis": "Perwal uji Pasal 3"}],
}


def test_invalid_programs_section_is_refused_naming_each_entry(app_ctx):
    data = _template_data("palembang")
    bad_criteria = dict(REGIONAL_PROGRAM, criteria=[{"attribute": "zodiac", "op": "eq", "value": "leo",
                                                     "legal_basis": "x"}])
    data["programs"] = [bad_criteria, dict(REGIONAL_PROGRAM, partner="Lembaga Tak Ada", level="galactic"),
                        dict(REGIONAL_PROGRAM, code="lower case")]
    text = "\n".join(_refused(data))
    assert "programs[1] (SANTUNAN_LANSIA_UJI).criteria[1]:" in text and "zodiac" in text
    assert "programs[2] (SANTUNAN_LANSIA_UJI): program 'SANTUNAN_LANSIA_UJI' muncul lebih dari sekali" in text
    assert "lembaga 'Lembaga Tak Ada' tidak ada di daftar partners" in text
    assert "tingkat 'galactic' tidak dikenal" in text
    assert "programs[3] (lower case): kode 'lower case'" in text


def test_a_valid_programs_section_parses(app_ctx):
    data = _template_data("palembang")
    data["programs"] = [REGIONAL_PROGRAM]
    template = parse_template(yaml.safe_dump(data, allow_unicode=True), source="uji.yaml")
    assert template.programs[0]["code"] == "SANTUNAN_LANSIA_UJI" and template.programs[0]["active"] is True
    assert template.programs[0]["ranking"][0]["points"] == 10
    assert parse_template((TEMPLATES / "palembang.yaml").read_text(), source="p.yaml").programs is None


# --- export and import ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", REGIONS)
def test_export_carries_the_chains_and_the_catalogue(app_ctx, slug):
    region = tenant(slug)
    with tenant_context(region):
        data = yaml.safe_load(to_yaml(export_region(region)))
    assert data["reviews"] == for_yaml(region.review_chains)  # citations with a kind written as mappings
    codes = [p["code"] for p in data["programs"]]
    assert {"PKH", "BPNT"} <= set(codes) and len(codes) == len(set(codes))


def test_round_trip_with_own_chain_and_regional_program_is_exact(app, restore_region):
    restore_region("palembang")

    def change():
        region = tenant("palembang")
        data = yaml.safe_load(to_yaml(export_region(region)))
        data["reviews"]["need"] = [{"action": "review", "roles": ["supervisor"], "legal_basis": "Pasal 12 huruf d"},
                                   {"action": "recommend", "roles": ["manager"], "legal_basis": "Pasal 11 huruf c"},
                                   {"action": "decide", "roles": ["unit_head"], "legal_basis": "Pasal 8 ayat (6)"}]
        data["programs"].append(REGIONAL_PROGRAM)
        plan = prepare_import(region, to_yaml(data), "uji.yaml")
        words = [str(c) for c in plan.changes]
        assert any("Kebutuhan program" in w and "Merekomendasikan" in w for w in words)
        assert any(w.startswith("Ditambah program") and "Santunan Lanjut Usia (uji)" in w for w in words)
        apply_import(region, plan, member("manager@palembang.demo")[0])

    in_region(app, "palembang", change)

    def round_trip():
        region = tenant("palembang")
        first = to_yaml(export_region(region))
        plan = prepare_import(region, first, "lagi.yaml")
        assert plan.empty and plan.changes == []
        apply_import(region, plan, member("manager@palembang.demo")[0])
        assert to_yaml(export_region(region)) == first
        program = db.session.scalar(select(Program).where(Program.code == "SANTUNAN_LANSIA_UJI"))
        assert program.criteria == REGIONAL_PROGRAM["criteria"] and program.partner_id is not None
        assert _shape(region.review_chains["need"])[2] == ("decide", ["unit_head"])

    in_region(app, "palembang", round_trip)
    # restore_region puts the chains back; a program the saved file does not list stays, so remove ours.
    in_region(app, "palembang", lambda: db.session.delete(
        db.session.scalar(select(Program).where(Program.code == "SANTUNAN_LANSIA_UJI"))))


def test_a_file_without_programs_leaves_the_catalogue_and_without_reviews_returns_to_defaults(app, restore_region):
    restore_region("bekasi")

    def change():
        region = tenant("bekasi")
        data = yaml.safe_load(to_yaml(export_region(region)))
        del data["programs"], data["reviews"]
        before = db.session.scalars(select(Program.code).order_by(Program.code)).all()
        plan = prepare_import(region, to_yaml(data), "lama.yaml")
        assert {c.section for c in plan.changes} == {"review"}
        apply_import(region, plan, member("manager@bekasi.demo")[0])
        assert region.review_chains == {} and chain_for("need", region) == DEFAULT_CHAINS["need"]
        assert db.session.scalars(select(Program.code).order_by(Program.code)).all() == before

    in_region(app, "bekasi", change)


# --- the settings page -----------------------------------------------------------------------


def test_settings_page_shows_each_kind_with_its_legal_basis(staff):
    page = staff("manager", "palembang").get("/settings/reviews").get_data(as_text=True)
    for kind in ReviewedKind:
        assert str(kind.label) in page
    assert "Pasal 12 huruf d; Pasal 13 huruf e; Pasal 3 huruf c" in page and "aturan daerah" in page
    index = staff("manager", "palembang").get("/settings/procedure").get_data(as_text=True)
    assert "/settings/reviews" in index


@pytest.mark.parametrize("role", ["facilitator", "supervisor", "intake_officer"])
def test_settings_page_is_refused_to_non_managers(staff, role):
    client = staff(role, "palembang")
    assert client.get("/settings/reviews").status_code == 403
    assert client.get("/settings/reviews?kind=need").status_code == 403
    form = {"kind": "need", "op": "save", "stages-0-action": "decide", "stages-0-roles": "manager",
            "stages-0-legal_basis": "Pasal 1"}
    assert client.post("/settings/reviews", data=form).status_code == 403
    assert client.post("/settings/reviews/reset", data={"kind": "need"}).status_code == 403


def test_unknown_kind_is_not_found(staff):
    client = staff("manager", "cianjur")
    assert client.get("/settings/reviews?kind=pension").status_code == 404
    assert client.post("/settings/reviews", data={"kind": "pension"}).status_code == 404


def test_manager_edits_a_chain_audited_and_in_the_history(app, staff, restore_region):
    restore_region("payakumbuh")
    client = staff("manager", "payakumbuh")
    form = client.get("/settings/reviews?kind=participation").get_data(as_text=True)
    assert 'name="stages-0-roles"' in form and 'value="unit_head"' in form and 'value="data_officer"' not in form
    # Enter in a field saves: the first submit button of the form is "save", not "remove stage 1".
    assert form.index('name="op" value="save"') < form.index('name="op" value="remove-0"')
    response = client.post("/settings/reviews", data={
        "kind": "participation", "op": "save",
        "stages-0-action": "review", "stages-0-roles": ["supervisor"], "stages-0-legal_basis": "Pasal 7 ayat (4)",
        "stages-1-action": "decide", "stages-1-roles": ["manager", "unit_head"],
        "stages-1-legal_basis": "Pasal 7 ayat (1) huruf e"})
    assert response.status_code == 302
    chain = read_in_region(app, "payakumbuh", lambda: tenant("payakumbuh").review_chains["participation"])
    assert chain[1] == {"action": "decide", "roles": ["manager", "unit_head"],
                        "legal_basis": "Pasal 7 ayat (1) huruf e"}
    event = read_in_region(app, "payakumbuh", lambda: db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "config.reviews.update")
        .order_by(AuditEvent.at.desc())).first())
    assert event.detail["name"] == "Kepesertaan program" and "Pasal 7 ayat (1) huruf e" in event.detail["after"]
    history = client.get("/settings/history").get_data(as_text=True)
    assert "Kepesertaan program" in history and "Pasal 7 ayat (1) huruf e" in history
    reset = client.post("/settings/reviews/reset", data={"kind": "participation"})
    assert reset.status_code == 302
    assert read_in_region(app, "payakumbuh", lambda: chain_for("participation", tenant("payakumbuh"))) \
        == DEFAULT_CHAINS["participation"]


def test_field_errors_keep_what_was_typed_and_write_nothing(app, staff):
    client = staff("manager", "payakumbuh")
    before = read_in_region(app, "payakumbuh", lambda: dict(tenant("payakumbuh").review_chains))
    response = client.post("/settings/reviews", data={
        "kind": "need", "op": "save",
        "stages-0-action": "decide", "stages-0-roles": ["data_officer"], "stages-0-legal_basis": "Pasal ketik-ketik",
        "stages-1-action": "review", "stages-1-roles": [], "stages-1-legal_basis": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "hanya tahap terakhir yang boleh memutuskan" in page
    assert "tidak ada jabatan dengan peran data_officer" in page
    assert "tahap terakhir harus memutuskan" in page and "wajib diisi" in page
    assert 'value="Pasal ketik-ketik"' in page and 'aria-invalid="true"' in page
    assert read_in_region(app, "payakumbuh", lambda: dict(tenant("payakumbuh").review_chains)) == before


def test_adding_and_removing_a_stage_redraws_the_form_without_saving(app, staff):
    client = staff("manager", "cianjur")
    before = read_in_region(app, "cianjur", lambda: dict(tenant("cianjur").review_chains))
    typed = {"kind": "need", "stages-0-action": "review", "stages-0-roles": ["supervisor"],
             "stages-0-legal_basis": "Tugas e", "stages-1-action": "decide", "stages-1-roles": ["manager"],
             "stages-1-legal_basis": "Pasal 2"}
    added = client.post("/settings/reviews", data={**typed, "op": "add"}).get_data(as_text=True)
    assert 'name="stages-2-action"' in added and 'value="Tugas e"' in added
    removed = client.post("/settings/reviews", data={**typed, "op": "remove-0"}).get_data(as_text=True)
    assert 'name="stages-1-action"' not in removed and 'value="Pasal 2"' in removed
    assert read_in_region(app, "cianjur", lambda: dict(tenant("cianjur").review_chains)) == before


def test_every_role_offered_is_a_known_role(staff):
    page = staff("manager", "bekasi").get("/settings/reviews?kind=need").get_data(as_text=True)
    offered = {chunk.split('"')[0] for chunk in page.split('name="stages-0-roles" type="checkbox" value="')[1:]}
    assert offered and offered <= set(ROLES) and "welfare_center_coordinator" not in offered
