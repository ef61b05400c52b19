"""Starting points of a new region: the blank national structure, a copy, an upload.

Also the helpers other platform tests use to make a throwaway region (codes are taken from
the end of the official list, never 32.72 Kota Sukabumi — the browser test onboards it —
nor 32.78 Kota Tasikmalaya, used by test_onboarding).
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.platform.wizard import build_template
from app.reference.models import Regency
from app.tenancy.models import Tenant
from app.tenants.export import to_yaml
from tests.helpers.platform import blank_data, free_region_code


def test_blank_structure_is_a_valid_template_with_every_placeholder_filled(app_ctx):
    data = blank_data()
    template = build_template(data)
    assert (template.code, template.slug, template.service_name) == (data.region_code, data.slug, "SLRT Uji")
    assert "${" not in to_yaml(template.raw)
    roles = {p.role for p in template.positions}
    assert roles == {"unit_head", "manager", "intake_officer", "case_officer", "supervisor", "facilitator",
                     "welfare_center_coordinator"}
    areas = {p.role: p.area for p in template.positions}
    assert areas["supervisor"] == "district" and areas["facilitator"] == "village"
    assert template.sop["regulation"] == "Perbup Uji 1/2026"
    region = db.session.get(Regency, data.region_code)
    assert f"Dinas Sosial {region.display_name}" in {p["name"] for p in template.partners}


def test_blank_structure_cites_permensos_everywhere(app_ctx):
    """The new region has a regulation of its own: the blank structure's citations read as Permensos
    15/2018's, never as the new region's articles (only local policy names no regulation)."""
    from app.reference.citations import Citation

    template = build_template(blank_data())
    citations = [u.legal_basis for u in template.units] + [p.legal_basis for p in template.positions]
    citations += [s["legal_basis"] for s in template.sop["states"] if not s.get("final")]
    citations += [t["legal_basis"] for t in template.sop["transitions"]]
    citations += [c["legal_basis"] for c in template.sop["channels"]]
    citations += [stage["legal_basis"] for chain in template.review_chains.values() for stage in chain]
    parsed = [Citation.parse(c) for c in citations]
    assert parsed and all(c.text for c in parsed)
    assert all(c.regulation == "Permensos 15/2018" for c in parsed if c.kind != "local")
    assert {c.kind for c in parsed} == {"stated", "inferred", "local"}
    assert not any(c.regulation == template.regulation_short for c in parsed)


def test_puskesos_is_optional(app_ctx):
    template = build_template(blank_data(puskesos=""))
    assert not [u for u in template.units if u.kind == "welfare_center"]
    assert "welfare_center_coordinator" not in {p.role for p in template.positions}
    assert [c["key"] for c in template.sop["channels"]] == ["walk_in", "home_visit"]
    assert all("welfare_center_coordinator" not in (t["role"] if isinstance(t["role"], list) else [t["role"]])
               for t in template.sop["transitions"])


def test_a_copy_whose_source_region_is_not_there_is_refused_as_a_template_problem(app_ctx):
    import uuid

    import pytest

    from app.tenants.template import TemplateError

    with pytest.raises(TemplateError) as refused:
        build_template(blank_data(start="copy", copy_from=str(uuid.uuid4())))
    assert refused.value.problems == ["Pilih daerah yang strukturnya disalin."]


def test_copy_takes_the_structure_and_renames_the_region(app_ctx):
    cianjur = db.session.scalar(select(Tenant).where(Tenant.slug == "cianjur"))
    code = free_region_code(province="35")  # Jawa Timur: another province than Cianjur's
    target = db.session.get(Regency, code)
    template = build_template(blank_data(code, start="copy", copy_from=str(cianjur.id)))
    assert "Kepala Sekretariat (Manajer) SLRT Kabupaten" in {p.title for p in template.positions}
    names = {p["name"] for p in template.partners}
    assert f"Dinas Kesehatan {target.display_name}" in names
    assert "Dinas Sosial Provinsi Jawa Timur" in names
    assert not any("Cianjur" in n or "Jawa Barat" in n for n in names)
    assert template.sop["regulation"] == "Perbup Uji 1/2026"
    assert template.source == "salinan:cianjur"
