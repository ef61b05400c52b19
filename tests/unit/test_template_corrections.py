"""The five region templates and the blank Permensos 15/2018 structure, corrected against their
regulations (issue 12): where each service institution sits, who evaluates, which channel some
post can use, the appointing decrees, and an honest kind on every rule's citation.

The template checks need no database (the parser in a minimal Flask app with Babel); the
blank structure and the walks of a case use the seeded test database.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

from app.casework.sop import parse_sop
from app.casework.sop_checks import channel_problems, channel_users, template_posts
from app.reference.citations import KINDS, Citation
from app.tenants.template import RegionTemplate, UnitSpec, parse_template

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "tenants" / "templates"
SLUGS = ("bekasi", "cianjur", "batubara", "payakumbuh", "palembang")
PERMENSOS = "Permensos 15/2018"
#: Words that used to mark a citation's kind inside its text; the kind says it now.
OLD_MARKERS = ("disimpulkan", "kebijakan setempat")


@pytest.fixture(scope="module")
def templates() -> dict[str, RegionTemplate]:
    flask_app = Flask(__name__)
    Babel(flask_app)
    with flask_app.app_context():
        return {slug: parse_template((TEMPLATES / f"{slug}.yaml").read_text(encoding="utf-8"),
                                     source=f"{slug}.yaml") for slug in SLUGS}


def _ancestors(units: list[UnitSpec], key: str) -> list[UnitSpec]:
    by_key = {u.key: u for u in units}
    found, parent = [], by_key[key].parent
    while parent:
        found.append(by_key[parent])
        parent = by_key[parent].parent
    return found


def _unit(template: RegionTemplate, key: str) -> UnitSpec:
    return next(u for u in template.units if u.key == key)


def rules(template: RegionTemplate) -> list[tuple[str, str]]:
    """(where, stored citation) of every rule: the region's own service areas, units, posts, channels,
    stages, steps, review stages, permissions and programs (with their criteria and weights)."""
    out = [(f"service_areas.{a['key']}", a.get("legal_basis", "")) for a in getattr(template, "service_areas", [])]
    out += [(f"units.{u.key}", u.legal_basis) for u in template.units]
    out += [(f"positions.{p.key}", p.legal_basis) for p in template.positions]
    sop = template.sop
    out += [(f"sop.channels.{c['key']}", c.get("legal_basis", "")) for c in sop["channels"]]
    out += [(f"sop.states.{s['key']}", s.get("legal_basis", "")) for s in sop["states"] if not s.get("final")]
    out += [(f"sop.transitions.{t['key']}", t.get("legal_basis", "")) for t in sop["transitions"]]
    out += [(f"reviews.{kind}[{i + 1}]", stage["legal_basis"])
            for kind, chain in template.review_chains.items() for i, stage in enumerate(chain)]
    out += [(f"permissions.{cap}", rule["legal_basis"]) for cap, rule in template.permissions.items()]
    for program in template.programs or []:
        out.append((f"programs.{program['code']}", program.get("legal_basis", "")))
        for part in ("criteria", "ranking"):
            out += [(f"programs.{program['code']}.{part}[{i + 1}]", row.get("legal_basis", ""))
                    for i, row in enumerate(program.get(part) or [])]
    return out


def kind_counts(template: RegionTemplate) -> Counter:
    return Counter(Citation.parse(stored).kind for _where, stored in rules(template))


# --- every rule says what kind of basis it has --------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_every_rule_has_a_readable_kind_and_no_old_marker(templates, slug):
    template = templates[slug]
    for where, stored in rules(template):
        citation = Citation.parse(stored)
        assert citation.kind in KINDS, where
        assert citation.text or citation.kind == "local", where  # only local policy may leave the text empty
        assert not any(marker in citation.text.lower() for marker in OLD_MARKERS), (where, citation.text)
        assert citation.regulation in ("", PERMENSOS), (where, citation.regulation)
    counts = kind_counts(template)
    print(f"{slug}: " + ", ".join(f"{kind} {counts[kind]}" for kind in KINDS))
    assert counts["stated"] + counts["inferred"] + counts["local"] == len(rules(template))


@pytest.mark.parametrize("slug", ["cianjur", "batubara", "payakumbuh", "palembang"])
def test_regions_with_a_procedure_state_most_of_it(templates, slug):
    counts = kind_counts(templates[slug])
    assert counts["stated"] > counts["inferred"] > 0


def test_bekasi_perwal_has_no_procedure_so_no_step_of_its_sop_is_stated(templates):
    bekasi = templates["bekasi"]
    sop_rules = [(w, Citation.parse(s)) for w, s in rules(bekasi) if w.startswith("sop.")]
    assert sop_rules and all(c.kind in ("inferred", "local") for _w, c in sop_rules)
    national = {w for w, c in sop_rules if c.regulation == PERMENSOS}
    assert {"sop.channels.home_visit", "sop.transitions.approve_field_record",
            "sop.transitions.forward_to_back_office", "sop.transitions.inform"} <= national
    # Its structure is stated (Pasal 4), its review deciders inferred, member changes local policy.
    assert Citation.parse(_unit(bekasi, "ketua").legal_basis).kind == "stated"
    assert Citation.parse(bekasi.review_chains["need"][-1]["legal_basis"]).kind == "inferred"
    assert Citation.parse(bekasi.review_chains["member_changed"][0]["legal_basis"]).kind == "local"


def test_a_decider_the_article_only_lets_recommend_is_inferred(templates):
    payakumbuh = templates["payakumbuh"].review_chains
    decide = Citation.parse(payakumbuh["new_household"][0]["legal_basis"])
    assert (decide.kind, decide.text) == ("inferred", "Pasal 7 ayat (3) huruf e angka b; Pasal 5 huruf d dan huruf i")
    assert Citation.parse(payakumbuh["need"][1]["legal_basis"]).kind == "stated"  # "merekomendasikan": stated


# --- Batu Bara ------------------------------------------------------------------------------------


def test_batubara_secretariat_is_under_the_dinas_sosial_not_the_coordination_team(templates):
    batubara = templates["batubara"]
    secretariat = _unit(batubara, "sekretariat_teknis")
    dinas = _unit(batubara, secretariat.parent)
    assert (dinas.name, dinas.kind) == ("Dinas Sosial Kabupaten Batu Bara", "leadership")
    assert Citation.parse(dinas.legal_basis).text.startswith("Pasal 7 ayat (3)")
    assert "coordination_team" not in {u.kind for u in _ancestors(batubara.units, "sekretariat_teknis")}


def test_batubara_puskesos_is_not_under_the_coordination_team(templates):
    batubara = templates["batubara"]
    (puskesos,) = [u for u in batubara.units if u.kind == "welfare_center"]
    assert "coordination_team" not in {u.kind for u in _ancestors(batubara.units, puskesos.key)}
    team_keys = {u.key for u in batubara.units if u.kind == "coordination_team"}
    under_team = {u.kind for u in batubara.units if u.parent in team_keys}
    assert not under_team & {"secretariat", "welfare_center"}


def test_batubara_coordination_team_posts_carry_the_bupatis_decree(templates):
    team = [p for p in templates["batubara"].positions if p.unit == "tkpkd"]
    assert len(team) == 7 and {p.decree.authority for p in team} == {"Bupati Batu Bara"}  # Pasal 10 ayat (3)


# --- Bappeda evaluates (Batu Bara Pasal 20 ayat (1); Palembang Pasal 26 (3), 27 (1), 28 (2)) ---------


@pytest.mark.parametrize("slug, articles", [
    ("batubara", ["Pasal 20 ayat (1)"]),
    ("palembang", ["Pasal 26 ayat (3)", "Pasal 27 ayat (1)", "Pasal 28 ayat (2)"]),
])
def test_bappedas_evaluation_is_a_post(templates, slug, articles):
    template = templates[slug]
    (unit,) = [u for u in template.units if "Perencanaan Pembangunan Daerah" in u.name]
    assert unit.kind in ("leadership", "coordination_team")
    posts = [p for p in template.positions if p.unit == unit.key]
    assert [p.role for p in posts] in (["monitoring_officer"], ["coordination_member"])
    citation = Citation.parse(posts[0].legal_basis)
    assert citation.kind == "inferred"  # the regulation names the body and its task, not a post
    assert all(article in citation.text for article in articles)
    assert all(article in unit.legal_basis for article in articles)  # the body itself is stated


# --- Palembang --------------------------------------------------------------------------------------


def test_palembang_puskesos_is_its_own_unit_set_by_the_lurah(templates):
    palembang = templates["palembang"]
    (puskesos,) = [u for u in palembang.units if u.kind == "welfare_center"]
    assert "dinas_sosial" not in {u.key for u in _ancestors(palembang.units, puskesos.key)}
    assert puskesos.parent is None
    assert "ayat (7)" in puskesos.legal_basis  # Pasal 8 ayat (7): dibentuk dan ditetapkan oleh Lurah
    posts = {p.role: p for p in palembang.positions if p.unit == puskesos.key}
    assert set(posts) == {"welfare_center_coordinator", "intake_officer", "case_officer"}
    coordinator = posts["welfare_center_coordinator"].decree
    assert (coordinator.authority, coordinator.number, coordinator.date) == ("Lurah", "", None)
    assert {p.decree.authority for p in posts.values()} == {"Lurah"}


def test_palembang_secretariat_and_supervisors_are_set_by_the_kepala_dinas(templates):
    decrees = {p.key: p.decree.authority for p in templates["palembang"].positions}
    assert {decrees[k] for k in ("manajer", "petugas_fo", "petugas_bo", "supervisor")} == {
        "Kepala Dinas Sosial Kota Palembang"}  # Pasal 8 ayat (6)
    assert decrees["fasilitator"] == "Lurah"  # Pasal 8 ayat (7)
    assert decrees["walikota"] == ""  # no article appoints the patron


@pytest.mark.parametrize("slug, authority, keys", [
    ("bekasi", "Wali Kota Bekasi", ["manager", "fo_pengaduan", "bo_kesehatan", "supervisor", "fasilitator"]),
    ("cianjur", "Bupati Cianjur", ["penanggung_jawab", "kepala_sekretariat", "kasi_data_pelaporan", "petugas_bo"]),
    ("payakumbuh", "Walikota Payakumbuh", ["kepala_upt", "kasubag_tu", "manajer", "front_office", "fasilitator"]),
])
def test_decrees_where_the_regulation_names_the_appointing_authority(templates, slug, authority, keys):
    decrees = {p.key: p.decree for p in templates[slug].positions}
    assert all(decrees[k].authority == authority and not decrees[k].number and decrees[k].date is None
               for k in keys)


# --- Cianjur: the Puskesos channel (Pasal 7 ayat (1), printed "Puskesmas") ---------------------------


def test_cianjur_puskesos_channel_role_is_held_by_a_puskesos_post(templates):
    cianjur = templates["cianjur"]
    channel = next(c for c in cianjur.sop["channels"] if c["key"] == "welfare_center")
    roles = channel["role"] if isinstance(channel["role"], list) else [channel["role"]]
    centers = {u.key for u in cianjur.units if u.kind == "welfare_center"}
    holders = [p for p in cianjur.positions if p.unit in centers and p.role in roles]
    assert holders and all(p.area == "village" for p in holders)
    assert Citation.parse(holders[0].legal_basis).text.startswith("Pasal 7 ayat (1)")
    assert Citation.parse(channel["legal_basis"]).text.startswith("Pasal 7 ayat (1)")


@pytest.mark.parametrize("slug", SLUGS)
def test_every_channel_of_every_region_is_usable_by_some_post(templates, slug):
    template = templates[slug]
    sop = parse_sop(template.sop, unit_keys=[u.key for u in template.units if u.kind == "back_office"])
    posts = template_posts(template.units, template.positions)
    assert channel_problems(sop, posts) == []
    assert all(channel_users(sop, posts).values())


def test_cianjur_puskesos_officer_records_through_the_puskesos_channel(region):
    from tests.factories import make_case

    region("cianjur")
    case = make_case("cianjur", channel="welfare_center", by="intake_officer-2@cianjur.demo")
    assert (case.channel, case.state) == ("welfare_center", "registered")


# --- the blank Permensos 15/2018 structure ------------------------------------------------------------


def test_blank_structure_has_a_team_the_secretariat_under_the_dinas_and_a_full_puskesos(app_ctx):
    from app.platform.wizard import build_template
    from tests.helpers.platform import blank_data

    blank = build_template(blank_data())
    kinds = {u.kind for u in blank.units}
    assert {"coordination_team", "secretariat", "welfare_center"} <= kinds
    secretariat = next(u for u in blank.units if u.kind == "secretariat")
    dinas = _unit(blank, secretariat.parent)
    assert dinas.kind == "leadership" and dinas.name.startswith("Dinas Sosial ")
    (puskesos,) = [u for u in blank.units if u.kind == "welfare_center"]
    assert puskesos.parent is None  # formed in the village: not under the secretariat
    roles = {p.role for p in blank.positions if p.unit == puskesos.key}
    assert roles == {"welfare_center_coordinator", "intake_officer", "case_officer"}
    assert all(p.area == "village" for p in blank.positions if p.unit == puskesos.key)
    head = next(p for p in blank.positions if p.unit == dinas.key)
    assert head.role == "unit_head" and Citation.parse(head.legal_basis).kind == "inferred"


def test_blank_structure_puskesos_posts_take_every_step_until_the_referral_approval(app_ctx):
    from app.platform.wizard import build_template
    from tests.helpers.platform import blank_data

    blank = build_template(blank_data())
    sop = parse_sop(blank.sop, unit_keys=[u.key for u in blank.units if u.kind == "back_office"])
    centers = {u.key for u in blank.units if u.kind == "welfare_center"}
    puskesos_roles = {p.role for p in blank.positions if p.unit in centers}
    state = sop.channels["welfare_center"].entry
    seen = []
    while state != "referral_approval":
        seen.append(state)
        steps = [t for t in sop.transitions_from(state) if set(t.roles) & puskesos_roles]
        assert steps, f"a Puskesos case waits on others at {state}"
        state = next((t.target for t in steps if t.kind == "request_referral"), steps[0].target)
    assert seen == ["registered", "analysis"]
    assert {t.kind for t in sop.transitions_from("analysis") if set(t.roles) & puskesos_roles} >= {
        "handle", "request_referral"}


def test_blank_structure_without_puskesos_still_validates_and_keeps_the_secretariat(app_ctx):
    from app.platform.wizard import build_template
    from tests.helpers.platform import blank_data

    blank = build_template(blank_data(puskesos=""))
    assert not [u for u in blank.units if u.kind == "welfare_center"]
    assert {"intake_officer", "case_officer"} <= {p.role for p in blank.positions}
    assert all(p.unit != "puskesos" for p in blank.positions)


def test_a_case_recorded_at_a_puskesos_of_a_new_region_is_taken_by_puskesos_posts(app):
    from app.casework.staffing import Staffing
    from app.casework.steps import allowed_steps
    from app.extensions import db
    from app.tenancy.context import tenant_context
    from tests.factories import make_case, member, tenant
    from tests.helpers.org import step
    from tests.helpers.platform import make_region

    _id, slug = make_region(app, accounts=True)
    with app.app_context(), tenant_context(tenant(slug)):
        _u, puskesos_fo = member(f"intake_officer-2@{slug}.demo")
        _u, puskesos_bo = member(f"case_officer-2@{slug}.demo")
        assert {puskesos_fo.position.unit.kind, puskesos_bo.position.unit.kind} == {"welfare_center"}
        case = make_case(slug, channel="welfare_center", by=f"intake_officer-2@{slug}.demo")
        assert [t.key for t in allowed_steps(case, puskesos_fo)] == ["forward_to_back_office"]
        step(case, "forward_to_back_office", puskesos_fo)
        assert case.state == "analysis"
        assert puskesos_bo.id in {m.id for m in Staffing.now().takers(case)}
        assert {"handle", "request_referral"} <= {t.key for t in allowed_steps(case, puskesos_bo)}
        db.session.rollback()
