"""The ticket prefix as configuration: the template's `region.ticket_prefix`, the onboarding wizard's
field, and export/import."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant
from app.tenants.export import export_region, to_yaml
from app.tenants.importer import apply_import, prepare_import
from app.tenants.onboarding import onboard_region
from app.tenants.template import TemplateError, parse_template
from tests.factories import member, tenant
from tests.helpers.platform import WIZARD_URL, blank_data, make_region, unique_slug

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "tenants" / "templates"


def _template_text(**region) -> str:
    """Bekasi's template with its region block changed."""
    data = yaml.safe_load((TEMPLATES / "bekasi.yaml").read_text(encoding="utf-8"))
    data["region"].update(region)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_template_may_set_it_and_lower_case_is_read_as_capitals(app_ctx):
    assert parse_template(_template_text(ticket_prefix="bks"), "bekasi.yaml").ticket_prefix == "BKS"
    assert parse_template(_template_text(), "bekasi.yaml").ticket_prefix == ""


@pytest.mark.parametrize("bad", ["B", "BKS-01", "ABCDEFGHIJKLM", "BKS 1"])
def test_a_bad_prefix_in_a_template_is_named_at_its_entry(app_ctx, bad):
    with pytest.raises(TemplateError) as refused:
        parse_template(_template_text(ticket_prefix=bad), "bekasi.yaml")
    assert any(p.startswith("region.ticket_prefix: Awalan nomor tiket 2\u201312 karakter")
               for p in refused.value.problems), refused.value.problems


def test_onboarding_refuses_a_prefix_another_region_has(app_ctx):
    from app.platform.starting_points import build_template

    template = build_template(blank_data(ticket_prefix="PALEMBANG"))
    with pytest.raises(TemplateError) as refused:
        onboard_region(template)
    assert any(p.startswith("region.ticket_prefix: Awalan PALEMBANG sudah dipakai Kota Palembang")
               for p in refused.value.problems)
    db.session.rollback()


# --- export and import --------------------------------------------------------------------

def _region(app, slug):
    with app.app_context():
        row = tenant(slug)
        return row.id, row.ticket_prefix


def test_export_carries_it_and_a_fresh_export_imports_as_no_change(app):
    _id, slug = make_region(app)
    with app.app_context(), tenant_context(tenant(slug)):
        exported = export_region(tenant(slug))
        assert exported["region"]["ticket_prefix"] == tenant(slug).ticket_prefix
        plan = prepare_import(tenant(slug), to_yaml(exported), "sama.yaml")
        assert plan.empty and plan.template.ticket_prefix == tenant(slug).ticket_prefix


def test_import_changes_it_and_says_so(app):
    _id, slug = make_region(app, accounts=True)
    wanted = "I" + slug.replace("-", "").upper()[-10:]
    with app.app_context(), tenant_context(tenant(slug)):
        before = tenant(slug).ticket_prefix
        data = export_region(tenant(slug))
        data["region"]["ticket_prefix"] = wanted.lower()
        plan = prepare_import(tenant(slug), to_yaml(data), "baru.yaml")
        lines = [str(c) for c in plan.changes]
        assert any("awalan nomor tiket" in line and before in line and wanted in line for line in lines), lines
        apply_import(tenant(slug), plan, member(f"manager@{slug}.demo")[0])
        db.session.commit()
        assert tenant(slug).ticket_prefix == wanted
        # A file without a prefix keeps the region's.
        del data["region"]["ticket_prefix"]
        assert prepare_import(tenant(slug), to_yaml(data), "tanpa.yaml").empty


def test_import_refuses_a_prefix_another_region_has(app):
    _id, slug = make_region(app)
    with app.app_context(), tenant_context(tenant(slug)):
        data = export_region(tenant(slug))
        data["region"]["ticket_prefix"] = "CIANJUR"
        with pytest.raises(TemplateError) as refused:
            prepare_import(tenant(slug), to_yaml(data), "rampas.yaml")
        assert any(p.startswith("region.ticket_prefix: Awalan CIANJUR sudah dipakai") for p in refused.value.problems)


# --- the onboarding wizard -----------------------------------------------------------------

def _post(client, step: int, data, **extra):
    return client.post(WIZARD_URL, data={**data.hidden(), "step": str(step), **extra},
                       content_type="multipart/form-data")


def test_the_service_step_offers_the_default(admin, app_ctx):
    data = blank_data(slug="", ticket_prefix="")
    page = _post(admin, 2, data).get_data(as_text=True)
    assert 'name="ticket_prefix"' in page and 'aria-current="step">Layanan' in page
    slug = page.split('id="slug"')[1].split('value="')[1].split('"')[0]
    assert f'value="{default_for(slug)}"' in page


def default_for(slug: str) -> str:
    from app.tenants.ticket_prefix import default_prefix

    return default_prefix(slug)


@pytest.mark.parametrize("typed, message", [
    ("BEKASI", "Awalan BEKASI sudah dipakai Kota Bekasi"), ("bks-1", "2\u201312 karakter"),
    ("ABCDEFGHIJKLM", "2\u201312 karakter")])
def test_the_service_step_refuses_a_bad_or_taken_prefix_at_its_field(admin, app_ctx, typed, message):
    response = _post(admin, 3, blank_data(ticket_prefix=typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="ticket_prefix-error"' in page and message in page
    assert f'value="{typed.upper()}"' in page  # what was typed is kept


def test_the_region_is_created_with_the_chosen_prefix(app, admin):
    chosen = "W" + unique_slug("").replace("-", "").upper()[:8]
    with app.app_context():
        data = blank_data(ticket_prefix=chosen.lower(), manager_email=f"{unique_slug('m')}@uji.test")
    summary = _post(admin, 3, data).get_data(as_text=True)
    assert 'class="first-ticket"' in summary and f"{chosen}-" in summary and "-000001" in summary
    assert _post(admin, 4, data).status_code == 302
    with app.app_context():
        created = db.session.scalar(select(Tenant).where(Tenant.region_code == data.region_code))
        assert created.ticket_prefix == chosen


def test_a_region_made_without_typing_one_gets_the_default(app):
    _id, slug = make_region(app)
    with app.app_context():
        assert tenant(slug).ticket_prefix == slug.replace("-", "").upper()[:12]
