"""Citations through the application: the step on a case page, export and import, copying a region.

Each test works on a throwaway region onboarded from the blank structure (`make_region`), so the
five shipped regions stay as their templates made them.
"""
from __future__ import annotations

import copy
import re

import yaml
from sqlalchemy import select

from app.casework.models import Case
from app.casework.sop_store import current_version, publish_version
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.platform.wizard import build_template
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.tenants.export import export_region, to_yaml
from app.tenants.importer import prepare_import
from app.tenants.template import parse_template
from tests.helpers.casework import new_case
from tests.helpers.platform import blank_data, make_region
from tests.helpers.regions import in_region

INFERRED = "inferred: Pasal uji 9 huruf c"
FOREIGN = "stated@Permensos 15/2018: Pasal 4 ayat (1)"
LOCAL = "local: "
OWN = "Pasal uji 2"


def _recite(app, slug: str, unit_basis: str = INFERRED, post_basis: str = FOREIGN, step_basis: str = INFERRED):
    """Give the region's first unit, first post and every SOP step these citations; publish the SOP."""
    def change():
        db.session.scalars(select(OrgUnit).order_by(OrgUnit.sort_order)).first().legal_basis = unit_basis
        posts = db.session.scalars(select(Position).order_by(Position.sort_order)).all()
        posts[0].legal_basis, posts[1].legal_basis = post_basis, OWN
        version = current_version()
        definition = copy.deepcopy(version.definition)
        for step in definition["transitions"]:
            step["legal_basis"] = step_basis
        definition["channels"][0]["legal_basis"] = LOCAL
        publish_version(definition, version.regulation, note="kutipan uji")
    in_region(app, slug, change)


def _region(slug: str) -> Tenant:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def test_the_step_says_inferred_and_the_regions_regulation_is_not_glued_to_it(app, staff):
    _id, slug = make_region(app, accounts=True)
    _recite(app, slug)
    case = new_case(app, slug)
    with app.app_context(), tenant_context(_region(slug)):
        opened = db.session.scalar(select(Case).where(Case.id == case["id"]))
        role = sorted(opened.sop_version.sop.transitions_from(opened.state)[0].roles)[0]
    page = staff(role, slug).get(f"/cases/{case['id']}").get_data(as_text=True)
    bases = re.findall(r'<p class="legal-basis">(.*?)</p>', page, re.DOTALL)
    assert bases, "the case page shows the step's legal basis"
    assert all("Pasal uji 9 huruf c" in b and "citation-inferred" in b and ">disimpulkan<" in b for b in bases)
    assert not any("Perbup Uji 1/2026" in b for b in bases)
    assert "Perbup Uji 1/2026" in page.split('class="case-grid"')[0]  # named once, in the header


def test_export_writes_kinds_as_mappings_and_import_gives_the_same_strings(app, app_ctx):
    _id, slug = make_region(app)
    _recite(app, slug)
    region = _region(slug)
    with tenant_context(region):
        text = to_yaml(export_region(region))
        loaded = yaml.safe_load(text)
        assert loaded["units"][0]["legal_basis"] == {"text": "Pasal uji 9 huruf c", "kind": "inferred"}
        assert loaded["positions"][0]["legal_basis"] == {"text": "Pasal 4 ayat (1)", "kind": "stated",
                                                         "regulation": "Permensos 15/2018"}
        assert loaded["sop"]["channels"][0]["legal_basis"] == {"text": "", "kind": "local"}
        assert loaded["positions"][1]["legal_basis"] == OWN  # stated and the region's own: a string as before
        parsed = parse_template(text, source=f"{slug}.yaml")
        assert parsed.units[0].legal_basis == INFERRED
        assert [p.legal_basis for p in parsed.positions[:2]] == [FOREIGN, OWN]
        assert {t["legal_basis"] for t in parsed.sop["transitions"]} == {INFERRED}
        assert parsed.sop["channels"][0]["legal_basis"].strip() == LOCAL.strip()
        assert export_region(region)["units"][0]["legal_basis"] == INFERRED  # stored shape kept for the importer
        plan = prepare_import(region, text, f"{slug}.yaml")
        assert plan.empty and plan.changes == []


def test_a_copied_region_cites_the_source_regulation(app, app_ctx):
    _id, slug = make_region(app)
    _recite(app, slug, unit_basis="Pasal 5 ayat (2)", post_basis=FOREIGN, step_basis=INFERRED)
    source = _region(slug)
    source.regulation_short = "Perbup Asal 7/2025"
    with tenant_context(source):
        second = db.session.scalars(select(OrgUnit).order_by(OrgUnit.sort_order)).all()[1]
        second.legal_basis = f"Pasal 6 tentang SLRT {source.name}"
        db.session.flush()  # inside the region (row-level security on PostgreSQL)
    template = build_template(blank_data(start="copy", copy_from=str(source.id), regulation_short="Perwal Baru 2/2027"))
    assert template.units[0].legal_basis == "stated@Perbup Asal 7/2025: Pasal 5 ayat (2)"
    assert template.units[1].legal_basis == f"stated@Perbup Asal 7/2025: Pasal 6 tentang SLRT {source.name}"
    assert template.positions[0].legal_basis == FOREIGN  # already named its regulation
    assert template.positions[1].legal_basis == "stated@Perbup Asal 7/2025: Pasal uji 2"
    assert {t["legal_basis"] for t in template.sop["transitions"]} == {
        "inferred@Perbup Asal 7/2025: Pasal uji 9 huruf c"}
    assert template.sop["channels"][0]["legal_basis"].strip() == LOCAL.strip()  # no article: nothing to attribute
    assert all(p.legal_basis.startswith(("stated@", "inferred@", "local")) for p in template.positions)
    assert template.sop["regulation"] == "Perwal Baru 2/2027"
    db.session.rollback()


def test_the_wizard_keeps_citations_the_blank_structure_gives_a_regulation(app_ctx, tmp_path, monkeypatch):
    from app.platform import starting_points

    mapping = yaml.safe_load(starting_points.STARTING_POINT.read_text(encoding="utf-8"))
    mapping["units"][0]["legal_basis"] = {"text": "Pasal 11", "kind": "inferred", "regulation": "Permensos 15/2018"}
    mapping["positions"][0]["legal_basis"] = "stated@Permensos 15/2018: Pasal 12 huruf a"
    blank = tmp_path / "blank.yaml"
    blank.write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(starting_points, "STARTING_POINT", blank)
    template = build_template(blank_data())
    assert template.units[0].legal_basis == "inferred@Permensos 15/2018: Pasal 11"
    assert template.positions[0].legal_basis == "stated@Permensos 15/2018: Pasal 12 huruf a"
