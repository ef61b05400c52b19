"""The five region templates: each parses, is complete enough to run an SLRT, and
carries the facts of its regulation; the validator refuses broken templates with a
message naming the file and the entry.

Only the template parser is used, inside a minimal Flask app with Babel (gettext needs
an app context), so these tests need no database.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask_babel import Babel

from app.org.vocabulary import SERVICE_AREAS
from app.reference.citations import Citation
from app.tenants.template import RegionTemplate, TemplateError, parse_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "app" / "tenants" / "templates"
REGENCIES = Path("/work/shared/data/wilayah/regencies.csv")

EXPECTED = {
    # slug: (code, kind)
    "bekasi": ("32.75", "kota"),
    "cianjur": ("32.03", "kabupaten"),
    "batubara": ("12.19", "kabupaten"),
    "payakumbuh": ("13.76", "kota"),
    "palembang": ("16.71", "kota"),
}


@pytest.fixture(scope="module")
def known_regions() -> dict[str, str]:
    if not REGENCIES.exists():
        pytest.skip(f"official region list not found: {REGENCIES}")
    with REGENCIES.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh)}


@pytest.fixture()
def babel_ctx():
    """A minimal app context: enough for flask_babel.gettext in the validator."""
    flask_app = Flask(__name__)
    Babel(flask_app)
    with flask_app.app_context():
        yield flask_app


@pytest.fixture()
def load(babel_ctx, known_regions):
    def _load(slug: str) -> RegionTemplate:
        path = TEMPLATES / f"{slug}.yaml"
        return parse_template(path.read_text(encoding="utf-8"), source=path.name, known_regions=known_regions)

    return _load


# --- every template -------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_template_parses_with_region_facts(load, slug):
    tpl = load(slug)
    code, kind = EXPECTED[slug]
    assert tpl.slug == slug == Path(tpl.source).stem
    assert tpl.code == code
    assert tpl.kind == kind
    assert tpl.service_name
    assert tpl.regulation_title.startswith("Peraturan ")
    assert tpl.regulation_short
    assert tpl.terminology.get("welfare_register")
    assert tpl.terminology.get("secretariat")
    assert tpl.sop["regulation"] == tpl.regulation_short


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_template_has_the_posts_an_slrt_needs(load, slug):
    tpl = load(slug)
    roles = [p.role for p in tpl.positions]
    assert roles.count("manager") == 1
    assert "intake_officer" in roles
    assert "case_officer" in roles
    assert any(p.role == "supervisor" and p.area == "district" for p in tpl.positions)
    assert any(p.role == "facilitator" and p.area == "village" for p in tpl.positions)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_back_office_covers_every_service_area(load, slug):
    tpl = load(slug)
    covered = {area for u in tpl.units if u.kind == "back_office" for area in u.service_areas}
    assert set(SERVICE_AREAS) <= covered, f"not handled by any back office: {set(SERVICE_AREAS) - covered}"


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_every_post_cites_an_article(load, slug):
    tpl = load(slug)
    for p in tpl.positions:
        assert p.legal_basis.strip(), p.key
        assert Citation.parse(p.legal_basis).text.startswith("Pasal"), (p.key, p.legal_basis)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_welfare_center_staff_work_per_village(load, slug):
    tpl = load(slug)
    units = {u.key: u for u in tpl.units}
    for p in tpl.positions:
        if units[p.unit].kind == "welfare_center":
            assert p.area == "village", p.key


# --- spot facts from the regulations --------------------------------------------------


def test_payakumbuh_kepala_upt_heads_the_unit(load):
    tpl = load("payakumbuh")
    assert any(p.title == "Kepala UPT" and p.role == "unit_head" for p in tpl.positions)
    assert tpl.service_name == "UPT-PSPK"
    assert tpl.terminology["welfare_register"] == "Daftar Penerima Manfaat SLRT"


def test_cianjur_manager_title_and_office(load):
    tpl = load("cianjur")
    (manager,) = [p for p in tpl.positions if p.role == "manager"]
    assert manager.title == "Kepala Sekretariat (Manajer) SLRT Kabupaten"
    assert manager.ex_officio == "Kepala Bidang Pemberdayaan Sosial"
    assert "(Paragraf 2)" in manager.legal_basis


def test_bekasi_ketua_is_kepala_dinas_sosial(load):
    tpl = load("bekasi")
    (ketua,) = [p for p in tpl.positions if p.title == "Ketua SLRT"]
    assert ketua.role == "unit_head"
    assert ketua.ex_officio == "Kepala Dinas Sosial Kota Bekasi"
    front = {u.name for u in tpl.units if u.kind == "front_office" and u.parent == "front_office"}
    assert front == {"Seksi Pengaduan", "Seksi Pengelolaan Data", "Seksi Pemantauan dan Evaluasi"}


def test_batubara_perjuangan_and_coordination_team(load):
    tpl = load("batubara")
    assert "Perjuangan" in tpl.service_name
    (manager,) = [p for p in tpl.positions if p.role == "manager"]
    assert manager.ex_officio == "Sekretaris Dinas Sosial"
    assert manager.legal_basis.startswith("Pasal 11 ayat (1)")
    teams = [u for u in tpl.units if u.kind == "coordination_team"]
    assert teams
    team_keys = {u.key for u in teams}
    pendamping = [
        p for p in tpl.positions
        if p.unit in team_keys and p.role == "coordination_member" and p.title.startswith("Pendamping Daerah")
    ]
    assert len(pendamping) == 6
    assert len({p.ex_officio for p in pendamping}) == 6  # six different offices


@pytest.mark.parametrize("slug", ["palembang", "batubara"])
def test_puskesos_with_coordinator(load, slug):
    tpl = load(slug)
    centers = {u.key for u in tpl.units if u.kind == "welfare_center"}
    assert centers
    assert any(p.unit in centers and p.role == "welfare_center_coordinator" for p in tpl.positions)


# --- the SOP section (the state machine itself is tested in test_sop.py) --------------


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_sop_routes_each_area_to_the_back_office_that_handles_it(load, slug):
    tpl = load(slug)
    units = {u.key: u for u in tpl.units}
    routing = tpl.sop["routing"]
    assert set(routing) == set(SERVICE_AREAS)
    for area, unit_key in routing.items():
        unit = units[unit_key]
        assert unit.kind == "back_office", (area, unit_key)
        assert area in unit.service_areas, (area, unit_key)


def test_sop_routes_to_sections_where_the_regulation_has_them(load):
    bekasi = load("bekasi").sop["routing"]
    assert bekasi["pendidikan"] == "bo_pendidikan"
    assert bekasi["kesehatan"] == "bo_kesehatan"
    assert bekasi["sosial"] == bekasi["ekonomi_usaha"] == "bo_sosial_ekonomi"
    cianjur = load("cianjur").sop["routing"]
    assert cianjur["pendidikan"] == "seksi_pendidikan"
    assert cianjur["kesehatan"] == "seksi_kesehatan"
    assert cianjur["sosial"] == cianjur["ekonomi_usaha"] == "seksi_sosial_ekonomi"
    for slug in ("batubara", "payakumbuh", "palembang"):
        assert set(load(slug).sop["routing"].values()) == {"back_office"}


def _cites_an_article(stored: str) -> bool:
    """An article of the region's regulation, or of the national rule it applies (Bekasi's SOP)."""
    citation = Citation.parse(stored)
    return citation.text.startswith("Pasal") or (citation.regulation == "Permensos 15/2018" and bool(citation.text))


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_sop_cites_articles_everywhere(load, slug):
    sop = load(slug).sop
    for section in ("channels", "transitions"):
        for item in sop[section]:
            assert _cites_an_article(str(item.get("legal_basis", ""))), (section, item["key"])
    for state in sop["states"]:
        if not state.get("final"):
            assert _cites_an_article(str(state.get("legal_basis", ""))), state["key"]


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_sop_slas_are_declared_local_policy(slug):
    text = (TEMPLATES / f"{slug}.yaml").read_text(encoding="utf-8")
    leading_comment = text.split("\nformat:", 1)[0]
    assert "SLAs (sla_hours) are local working policy, not from the regulation" in " ".join(
        line.lstrip("# ").strip() for line in leading_comment.splitlines())


@pytest.mark.parametrize("slug,expected", [
    ("bekasi", {"walk_in", "home_visit"}),                         # Puskesos only defined (Pasal 1 angka 13)
    ("cianjur", {"walk_in", "welfare_center", "home_visit"}),      # Pasal 7 ayat (1)
    ("batubara", {"walk_in", "welfare_center", "home_visit", "klink"}),  # Pasal 16, 17 (1); KLINK Pasal 1 angka 32
    ("payakumbuh", {"walk_in", "home_visit"}),                     # PUSKESOS "dapat dibentuk"
    ("palembang", {"walk_in", "welfare_center", "home_visit"}),    # Pasal 20 huruf a
])
def test_sop_channels_per_regulation(load, slug, expected):
    assert {c["key"] for c in load(slug).sop["channels"]} == expected


def test_payakumbuh_sop_in_its_own_words(load):
    sop = load("payakumbuh").sop
    labels = " ".join(s["label"] for s in sop["states"]) + " ".join(t["label"] for t in sop["transitions"])
    assert "Daftar Penerima Manfaat" in labels
    assert "Kepala UPT" in labels


# --- the validator refuses broken templates -------------------------------------------


@pytest.fixture()
def bekasi_data() -> dict:
    return yaml.safe_load((TEMPLATES / "bekasi.yaml").read_text(encoding="utf-8"))


def _refused(data: dict, known_regions, source: str = "broken.yaml") -> TemplateError:
    with pytest.raises(TemplateError) as info:
        parse_template(yaml.safe_dump(data, allow_unicode=True), source=source, known_regions=known_regions)
    err = info.value
    assert err.source == source
    assert str(err).startswith(f"{source}: ")
    return err


def test_refuses_unknown_role(babel_ctx, known_regions, bekasi_data):
    bekasi_data["positions"][1]["role"] = "emperor"
    key = bekasi_data["positions"][1]["key"]
    err = _refused(bekasi_data, known_regions)
    assert f"positions[2] ({key})" in str(err)
    assert "emperor" in str(err)


def test_refuses_duplicate_unit_key(babel_ctx, known_regions, bekasi_data):
    dup = dict(bekasi_data["units"][2])
    bekasi_data["units"].append(dup)
    n = len(bekasi_data["units"])
    err = _refused(bekasi_data, known_regions)
    assert f"units[{n}] ({dup['key']})" in str(err)


def test_refuses_missing_parent(babel_ctx, known_regions, bekasi_data):
    bekasi_data["units"][3]["parent"] = "no_such_unit"
    key = bekasi_data["units"][3]["key"]
    err = _refused(bekasi_data, known_regions)
    assert f"units[4] ({key})" in str(err)
    assert "no_such_unit" in str(err)


def test_refuses_region_code_not_in_official_list(babel_ctx, known_regions, bekasi_data):
    assert "32.99" not in known_regions
    bekasi_data["region"]["code"] = "32.99"
    err = _refused(bekasi_data, known_regions)
    assert "region.code" in str(err)
    assert "32.99" in str(err)


def test_reports_every_problem_at_once(babel_ctx, known_regions, bekasi_data):
    bekasi_data["positions"][0]["role"] = "emperor"
    bekasi_data["units"][1]["parent"] = "nowhere"
    err = _refused(bekasi_data, known_regions)
    assert len(err.problems) >= 2


def test_refuses_missing_sop(babel_ctx, known_regions, bekasi_data):
    del bekasi_data["sop"]
    err = _refused(bekasi_data, known_regions)
    assert any(p.startswith("sop: ") for p in err.problems)


def test_refuses_broken_sop_naming_the_entry(babel_ctx, known_regions, bekasi_data):
    step = next(t for t in bekasi_data["sop"]["transitions"] if t["key"] == "approve_referral")
    step["kind"] = "teleport"
    bekasi_data["sop"]["routing"]["kesehatan"] = "no_such_unit"
    err = _refused(bekasi_data, known_regions)
    assert "sop.transitions" in str(err) and "(approve_referral)" in str(err) and "teleport" in str(err)
    assert "sop.routing.kesehatan" in str(err)


def test_refuses_sop_step_no_post_can_take(babel_ctx, known_regions, bekasi_data):
    bekasi_data["positions"] = [p for p in bekasi_data["positions"] if p["role"] != "manager"]
    err = _refused(bekasi_data, known_regions)
    assert "(approve_referral)" in str(err) and "manager" in str(err)


# --- review chains (`reviews:`) -----------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_reviews_name_every_kind_and_cite_an_article(load, slug):
    from app.reviews.vocabulary import ReviewedKind

    template = load(slug)
    assert sorted(template.review_chains) == sorted(k.value for k in ReviewedKind)
    held = {p.role for p in template.positions}
    for chain in template.review_chains.values():
        assert chain[-1]["action"] == "decide"
        assert all(s["legal_basis"] and set(s["roles"]) <= held for s in chain)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_reviews_inferred_chains_are_said_to_be_inferred(slug):
    text = (TEMPLATES / f"{slug}.yaml").read_text(encoding="utf-8")
    comments = text.split("\nreviews:")[0].rsplit("\n\n", 1)[-1]
    assert "INFERRED" in comments


def test_reviews_payakumbuh_manager_decides_additions(load):
    chains = load("payakumbuh").review_chains
    assert [(s["action"], s["roles"]) for s in chains["new_household"]] == [("decide", ["manager"])]
    assert [s["action"] for s in chains["need"]] == ["review", "recommend", "decide"]


def test_refuses_review_role_no_post_holds(babel_ctx, known_regions, bekasi_data):
    bekasi_data["reviews"]["need"][0]["roles"] = ["welfare_center_coordinator"]
    err = _refused(bekasi_data, known_regions)
    assert "reviews.need[1]" in str(err) and "welfare_center_coordinator" in str(err)


def test_refuses_review_chain_that_does_not_end_deciding(babel_ctx, known_regions, bekasi_data):
    bekasi_data["reviews"]["new_household"] = bekasi_data["reviews"]["new_household"][:1]
    err = _refused(bekasi_data, known_regions)
    assert "reviews.new_household[1]" in str(err) and "decide" in str(err)


def test_refuses_program_with_unknown_level_naming_the_entry(babel_ctx, known_regions, bekasi_data):
    bekasi_data["programs"] = [{"code": "BEASISWA_UJI", "name": "Beasiswa", "level": "cosmic",
                                "legal_basis": "Pasal 1"}]
    err = _refused(bekasi_data, known_regions)
    assert "programs[1] (BEASISWA_UJI)" in str(err) and "cosmic" in str(err)


# --- permissions outside the SOP (`permissions:`) ----------------------------------------------


def test_permissions_fix_what_the_regulations_say(load):
    cianjur = load("cianjur").permissions
    kasi_data = next(p for p in load("cianjur").positions if p.key == "kasi_data_pelaporan")
    assert kasi_data.role == "data_officer" and kasi_data.title == "Kepala Seksi Data dan Pelaporan"
    for capability in ("see_dashboard", "request_reports"):
        assert "data_officer" in cianjur[capability]["roles"]
        citation = Citation.parse(cianjur[capability]["legal_basis"])
        assert citation.text.startswith("Pasal 2 ayat (1) huruf d (Paragraf 2)")
        assert citation.kind == "inferred"  # the regulation lists no tasks for the post
    payakumbuh = load("payakumbuh").permissions
    assert all("admin_staff" in payakumbuh[c]["roles"] for c in ("see_dashboard", "request_reports"))
    assert payakumbuh["request_reports"]["legal_basis"] == "Pasal 7 ayat (2) huruf d"
    assert "Pasal 7 ayat (2) huruf b dan huruf d" in payakumbuh["see_dashboard"]["legal_basis"]
    for slug, article in (("batubara", "Pasal 13 huruf e"), ("palembang", "Pasal 15 huruf e")):
        rule = load(slug).permissions["search_register"]
        assert "case_officer" in rule["roles"] and Citation.parse(rule["legal_basis"]).text.startswith(article)
    assert load("bekasi").permissions == {}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_permissions_only_add_to_the_defaults(load, slug):
    from app.permissions import DEFAULTS, Capability

    for capability, rule in load(slug).permissions.items():
        assert set(rule["roles"]) >= DEFAULTS[Capability(capability)], capability
        assert Citation.parse(rule["legal_basis"]).text.startswith("Pasal"), capability


def test_refuses_unknown_capability_or_role_naming_the_entry(babel_ctx, known_regions, bekasi_data):
    bekasi_data["permissions"] = {
        "fly": {"roles": ["manager"], "legal_basis": "Pasal 1"},
        "see_dashboard": {"roles": ["manager", "emperor"], "legal_basis": "Pasal 2"},
        "reveal_nik": {"roles": ["manager"]},
        "configure": {"roles": ["welfare_center_coordinator"], "legal_basis": "Pasal 3"},
    }
    err = _refused(bekasi_data, known_regions)
    assert "permissions.fly: hak akses 'fly' tidak dikenal" in str(err)
    assert "permissions.see_dashboard: peran 'emperor' tidak dikenal" in str(err)
    assert "permissions.reveal_nik: dasar hukum (legal_basis) wajib diisi" in str(err)
    assert "permissions.configure: tidak ada jabatan dengan peran yang disebut" in str(err)


def test_a_valid_permissions_section_keeps_roles_in_canonical_order(load, babel_ctx, known_regions, bekasi_data):
    bekasi_data["permissions"] = {"reveal_nik": {"roles": ["supervisor", "manager", "manager"],
                                                 "legal_basis": "Pasal 4  ayat (1)"}}
    parsed = parse_template(yaml.safe_dump(bekasi_data, allow_unicode=True), source="ok.yaml",
                            known_regions=known_regions)
    assert parsed.permissions == {"reveal_nik": {"roles": ["manager", "supervisor"], "legal_basis": "Pasal 4 ayat (1)"}}
