"""Every channel of an SOP can be used by some post, and the places nobody covers are visible.

Channels: publishing (the manager's draft, a template, the activation checklist) is refused
while a channel has no post in service that may record through it. Coverage: where a step or
channel is left to posts working per area, the districts / villages no active holder covers
are listed on the org chart and staff pages, and publishing warns about them.
"""
from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from app.accounts.demo import seed_region_accounts
from app.accounts.models import Membership
from app.casework.sop import parse_sop
from app.casework.sop_checks import (
    Post,
    channel_problems,
    channel_vacancies,
    coverage,
    posts_in_service,
)
from app.casework.sop_drafts import check_definition
from app.casework.sop_store import current_version
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.org.vocabulary import SERVICE_AREAS
from app.platform.readiness import region_readiness
from app.platform.wizard import build_template
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant, utcnow
from app.tenants.onboarding import onboard_region
from app.tenants.template import TemplateError, parse_template
from tests.conftest import DEMO_PASSWORD
from tests.helpers.org import new_member
from tests.helpers.platform import blank_data

PUSKESOS_LABEL = "Datang ke Puskesos desa (uji)"


def _definition(welfare_roles=("intake_officer",)) -> dict:
    return {
        "states": [{"key": "registered", "label": "Terdaftar"}, {"key": "closed", "label": "Selesai", "final": True}],
        "transitions": [{"key": "close", "label": "Tutup", "from": "registered", "to": "closed",
                         "role": "intake_officer", "legal_basis": "Pasal 1"}],
        "channels": [{"key": "walk_in", "label": "Datang ke sekretariat", "entry": "registered",
                      "role": "intake_officer"},
                     {"key": "welfare_center", "label": PUSKESOS_LABEL, "entry": "registered",
                      "role": list(welfare_roles)}],
        "routing": {area: "bo" for area in SERVICE_AREAS},
    }


FRONT_DESK = Post("fo", "Petugas Loket Sekretariat", "intake_officer", at_welfare_center=False, holders=1)


# --- the channel check ------------------------------------------------------------------

def test_a_channel_no_post_may_use_is_refused_naming_it_and_the_posts(app_ctx):
    sop = parse_sop(_definition())
    problems = channel_problems(sop, [FRONT_DESK])
    assert len(problems) == 1
    problem = problems[0]
    assert problem.startswith("sop.channels (welfare_center): ")
    assert f"Jalur \u201c{PUSKESOS_LABEL}\u201d tidak dapat dipakai" in problem
    assert "Petugas Loket Sekretariat" in problem and "Puskesos" in problem


def test_a_channel_is_usable_once_a_post_may_use_it(app_ctx):
    sop = parse_sop(_definition())
    at_puskesos = Post("pfo", "Petugas Front Office Puskesos", "intake_officer", at_welfare_center=True)
    assert channel_problems(sop, [FRONT_DESK, at_puskesos]) == []
    # ... and a post that exists but nobody holds is a warning, not a refusal
    assert [w for w in channel_vacancies(sop, [FRONT_DESK, at_puskesos]) if PUSKESOS_LABEL in w]
    held = Post("pfo", "Petugas Front Office Puskesos", "intake_officer", at_welfare_center=True, holders=2)
    assert channel_vacancies(sop, [FRONT_DESK, held]) == []


def test_a_role_nobody_holds_is_named_by_its_label(app_ctx):
    sop = parse_sop(_definition(welfare_roles=("welfare_center_coordinator",)))
    problems = channel_problems(sop, [FRONT_DESK])
    assert problems and "tidak ada jabatan Koordinator Puskesos" in problems[0]


def test_a_puskesos_post_records_through_the_puskesos_channel_not_walk_in(app_ctx):
    sop = parse_sop(_definition())
    at_puskesos = Post("pfo", "Petugas Puskesos", "intake_officer", at_welfare_center=True)
    problems = channel_problems(sop, [at_puskesos])
    assert len(problems) == 1 and problems[0].startswith("sop.channels (walk_in): ")
    assert "Petugas Puskesos bekerja di Puskesos" in problems[0]


def test_a_template_whose_channel_no_post_can_use_is_refused(app):
    with app.app_context():
        text = (app.config["TEMPLATES_DIR"] / "batubara.yaml").read_text()
        data = yaml.safe_load(text)
        for channel in data["sop"]["channels"]:
            if channel["key"] == "welfare_center":
                channel["role"] = "intake_officer"
                channel["label"] = PUSKESOS_LABEL
        puskesos_units = {u["key"] for u in data["units"] if u["kind"] == "welfare_center"}
        for position in data["positions"]:
            if position["unit"] in puskesos_units and position["role"] == "intake_officer":
                position["unit"] = next(u["key"] for u in data["units"] if u["kind"] == "front_office")
                position.pop("area", None)
        with pytest.raises(TemplateError) as refused:
            parse_template(yaml.safe_dump(data, allow_unicode=True), source="uji.yaml")
        assert f"sop.channels (welfare_center): Jalur \u201c{PUSKESOS_LABEL}\u201d" in str(refused.value)


@pytest.mark.parametrize("slug", ["bekasi", "cianjur", "batubara", "payakumbuh", "palembang"])
def test_every_shipped_template_has_usable_channels(app, slug):
    from app.tenants.template import load_template_file

    with app.app_context():
        load_template_file(app.config["TEMPLATES_DIR"] / f"{slug}.yaml")  # raises TemplateError otherwise


# --- a throwaway region in a regency of two districts -------------------------------------

def _two_district_region(app) -> tuple[Tenant, str, str]:
    """A fresh region (blank structure, one demo account per post) whose regency has two districts;
    returns (tenant, the demo district, the other district)."""
    with app.app_context():
        taken = set(db.session.scalars(select(Tenant.region_code)))
        pairs = select(District.regency_code).group_by(District.regency_code).having(func.count() == 2)
        code = next(c for c in db.session.scalars(pairs.order_by(District.regency_code)) if c not in taken)
        tenant = onboard_region(build_template(blank_data(code)))
        seed_region_accounts(tenant, DEMO_PASSWORD)
        db.session.commit()
        with tenant_context(tenant):
            demo = db.session.scalar(select(Membership).join(Position, Position.id == Membership.position_id)
                                     .where(Position.role == "supervisor"))
            area = demo.areas[0].district_code
        other = next(d for d in db.session.scalars(select(District.code).where(District.regency_code == code))
                     if d != area)
        db.session.expunge(tenant)
        return tenant, area, other


@pytest.fixture(scope="module")
def two_districts(app):
    return _two_district_region(app)


def _gap(gaps, who):
    found = [g for g in gaps if g.layer.who == who and not g.layer.channel]
    return found[0] if found else None


def _villages(district):
    return db.session.scalar(select(func.count()).select_from(Village).where(Village.district_code == district))


def test_coverage_lists_the_district_and_villages_nobody_covers(app, two_districts):
    tenant, covered, other = two_districts
    with app.app_context(), tenant_context(tenant):
        sop = current_version().sop
        supervisor = db.session.scalars(select(Position.title).where(Position.role == "supervisor")).first()
        facilitator = db.session.scalars(select(Position.title).where(Position.role == "facilitator")).first()
        gaps = coverage(sop)
        by_district = _gap(gaps, supervisor)
        assert by_district is not None and by_district.total == 2 and by_district.count == 1
        assert [d.code for d in by_district.districts] == [other]
        by_village = _gap(gaps, facilitator)
        total = _villages(covered) + _villages(other)
        assert by_village.total == total and by_village.count == total - 1  # the demo facilitator has one village
        assert {d.code for d in by_village.districts} == {covered, other}
        assert "kecamatan tanpa" in by_district.summary()

        # a facilitator for the whole other district; a second supervisor there
        new_member("facilitator", areas=[(other, None)])
        new_member("supervisor", areas=[(other, None)])
        gaps = coverage(sop)
        assert _gap(gaps, supervisor) is None
        by_village = _gap(gaps, facilitator)
        assert by_village.count == _villages(covered) - 1 and [d.code for d in by_village.districts] == [covered]
        assert by_village.districts[0].villages_total == _villages(covered)

        # an inactive member covers nothing; an active one with no area covers the whole region
        lost = new_member("facilitator", areas=[(covered, None)])
        lost.active = False
        db.session.flush()
        assert _gap(coverage(sop), facilitator).count == _villages(covered) - 1
        new_member("facilitator")
        assert _gap(coverage(sop), facilitator) is None
        db.session.rollback()


def test_coverage_of_one_district(app, two_districts):
    tenant, _covered, other = two_districts
    with app.app_context(), tenant_context(tenant):
        facilitator = db.session.scalars(select(Position.title).where(Position.role == "facilitator")).first()
        gaps = coverage(current_version().sop, district_code=other)
        assert [d.code for d in _gap(gaps, facilitator).districts] == [other]


# --- pages: the panel, the full list, isolation, the warning at publish --------------------

def _manager(region_client, tenant):
    client = region_client(tenant.slug)
    client.login(f"manager@{tenant.slug}.demo")
    return client


def test_org_and_staff_pages_show_the_uncovered_places(app, region_client, two_districts):
    tenant, _covered, other = two_districts
    with app.app_context():
        name = db.session.get(District, other).name
    client = _manager(region_client, tenant)
    for path in ("/settings/org/", "/settings/staff/", "/org/"):
        page = client.get(path).get_data(as_text=True)
        assert 'id="coverage"' in page and "Wilayah belum tercakup" in page and name in page, path
    full = client.get("/settings/org/coverage").get_data(as_text=True)
    assert "1 dari 2 kecamatan belum tercakup" in full and f"/settings/org/coverage/{other}" in full
    one = client.get(f"/settings/org/coverage/{other}")
    assert one.status_code == 200 and name in one.get_data(as_text=True)


def test_another_regions_district_is_not_found(app, staff, two_districts):
    _tenant, _covered, other = two_districts
    client = staff("manager", "cianjur")
    assert client.get(f"/settings/org/coverage/{other}").status_code == 404
    assert client.get("/settings/org/coverage/99.99.99").status_code == 404
    assert staff("facilitator", "cianjur").get("/settings/org/coverage").status_code == 403


def test_the_console_shows_the_same_panel(app, admin, two_districts):
    tenant, _covered, other = two_districts
    with app.app_context():
        name = db.session.get(District, other).name
    for part in ("chart", "staff"):
        page = admin.get(f"/console/regions/{tenant.id}/{part}").get_data(as_text=True)
        assert "Wilayah belum tercakup" in page and name in page, part


def test_publishing_warns_about_uncovered_places_but_goes_ahead(app, region_client, two_districts):
    tenant, _covered, _other = two_districts
    client = _manager(region_client, tenant)
    client.post("/settings/sop/draft/start")
    draft = client.get("/settings/sop/draft").get_data(as_text=True)
    assert 'id="publish-warnings"' in draft and "kecamatan tanpa" in draft
    published = client.post("/settings/sop/draft/publish", data={
        "regulation": "Perbup Uji 2/2026", "note": "Uji peringatan wilayah", "confirm": "y"})
    assert published.status_code == 302
    page = client.get(published.headers["Location"]).get_data(as_text=True)
    assert "diterbitkan" in page and "kecamatan tanpa" in page
    with app.app_context(), tenant_context(tenant):
        assert current_version().regulation == "Perbup Uji 2/2026"


def _retire_puskesos_posts():
    """Retire every post that may record through the Puskesos channel (Puskesos units, coordinators)."""
    puskesos = select(OrgUnit.id).where(OrgUnit.kind == "welfare_center")
    for position in db.session.scalars(select(Position).where(
            (Position.unit_id.in_(puskesos)) | (Position.role == "welfare_center_coordinator"))):
        position.retired_at = utcnow()
    db.session.flush()


def test_a_retired_post_does_not_make_a_channel_usable(app, region_client):
    tenant, _covered, _other = _two_district_region(app)
    with app.app_context(), tenant_context(tenant):
        definition = current_version().definition
        label = next(c["label"] for c in definition["channels"] if c["key"] == "welfare_center")
        assert not [p for p in check_definition(definition) if "sop.channels" in p]
        _retire_puskesos_posts()
        assert all(p.id for p in posts_in_service())
        problems = [p for p in check_definition(definition) if p.startswith("sop.channels (welfare_center)")]
        assert problems and f"Jalur \u201c{label}\u201d tidak dapat dipakai" in problems[0]
        db.session.commit()
        readiness = {c.key: c for c in region_readiness(db.session.get(Tenant, tenant.id)).checks}
        assert any(label in p for p in readiness["channels"].problems)

    client = _manager(region_client, tenant)
    client.post("/settings/sop/draft/start")
    draft = client.get("/settings/sop/draft").get_data(as_text=True)
    assert f"Jalur \u201c{label}\u201d tidak dapat dipakai" in draft
    refused = client.post("/settings/sop/draft/publish", data={
        "regulation": "Perbup Uji 3/2026", "note": "Uji jalur", "confirm": "y"})
    assert refused.status_code == 422 and f"Jalur \u201c{label}\u201d" in refused.get_data(as_text=True)
    with app.app_context(), tenant_context(tenant):
        assert current_version().regulation != "Perbup Uji 3/2026"


def test_staff_see_the_panel_on_the_org_chart_without_the_settings_link(staff):
    page = staff("facilitator", "cianjur").get("/org/").get_data(as_text=True)
    assert "Wilayah belum tercakup" in page and "/settings/org/coverage" not in page
    assert "/settings/org/coverage" in staff("manager", "cianjur").get("/org/").get_data(as_text=True)
