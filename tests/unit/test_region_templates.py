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
    assert tpl.sop == {}


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
        assert p.legal_basis.startswith("Pasal"), (p.key, p.legal_basis)


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
