"""Exporting a live region gives a template that validates and describes the same region."""
import pytest

from app.tenants.export import export_region, to_yaml
from app.tenants.template import load_template_file, parse_template
from tests.factories import tenant


@pytest.mark.parametrize("slug", ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"])
def test_export_round_trips_the_onboarding_template(app, app_ctx, slug):
    exported = parse_template(to_yaml(export_region(tenant(slug))), source=f"{slug}-export.yaml")
    original = load_template_file(app.config["TEMPLATES_DIR"] / f"{slug}.yaml")
    assert [(u.key, u.name, u.kind, u.parent, u.service_areas) for u in exported.units] == \
        [(u.key, u.name, u.kind, u.parent, u.service_areas) for u in original.units]
    assert [(p.key, p.title, p.role, p.area, p.legal_basis) for p in exported.positions] == \
        [(p.key, p.title, p.role, p.area, p.legal_basis) for p in original.positions]
    assert exported.sop == original.sop
    assert sorted(p["name"] for p in exported.partners) == sorted(p["name"] for p in original.partners)


@pytest.mark.parametrize("slug", ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"])
def test_export_carries_review_chains_and_catalogue(app, app_ctx, slug):
    from app.tenancy.context import tenant_context

    region = tenant(slug)
    with tenant_context(region):
        exported = parse_template(to_yaml(export_region(region)), source=f"{slug}-export.yaml")
    original = load_template_file(app.config["TEMPLATES_DIR"] / f"{slug}.yaml")
    assert exported.review_chains == original.review_chains
    assert {"PKH", "BPNT", "PBI_JK", "PIP"} <= {p["code"] for p in exported.programs or []}


@pytest.mark.parametrize("slug", ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"])
def test_export_carries_the_regions_own_permissions(app, app_ctx, slug):
    from app.tenancy.context import tenant_context

    region = tenant(slug)
    with tenant_context(region):
        text = to_yaml(export_region(region))
        exported = parse_template(text, source=f"{slug}-export.yaml")
    original = load_template_file(app.config["TEMPLATES_DIR"] / f"{slug}.yaml")
    assert exported.permissions == original.permissions == region.permissions
    assert ("permissions:" in text) == bool(original.permissions)
