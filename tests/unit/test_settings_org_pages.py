"""Org chart settings pages: who may open them, in-place editing with htmx, full pages without it."""
import uuid

import pytest
from flask import url_for
from sqlalchemy import select

from app.accounts.invitations import create_invitation
from app.accounts.models import Membership, User
from app.audit.models import AuditEvent
from app.extensions import db
from app.org.models import OrgUnit, Position
from app.org.operations import create_unit
from app.org.positions import create_position
from app.org.welfare_centers import villages_without_welfare_center
from app.tenancy.context import tenant_context
from tests.factories import tenant
from tests.helpers.org import new_member, position_of, restore_chart, unit_by_key
from tests.helpers.regions import in_region


@pytest.fixture(autouse=True)
def _leave_the_chart_as_the_template_made_it(app):
    yield
    restore_chart(app)


def scratch(app, slug="palembang", parent="sekretariat_teknis", positions=0, holder=False):
    """A new unit (and posts) in `slug`; returns (unit id, [position ids])."""
    def build():
        unit = create_unit(name=f"Tim Uji {uuid.uuid4().hex[:6]}", kind="field", parent=unit_by_key(parent))
        made = [create_position(unit, title=f"Petugas {n}", role="data_officer", legal_basis="Pasal 9")
                for n in range(positions)]
        if holder:
            new_member(position=made[0], name="Pemegang Uji")
        return unit.id, [p.id for p in made]
    return in_region(app, slug, build)


def _first(model):
    return db.session.scalars(select(model).order_by(model.sort_order)).first()


def _member_id():
    return db.session.scalar(select(Membership.id).join(User, User.id == Membership.user_id)
                             .where(User.email.like("intake_officer@%")))


def _invitation():
    from app.tenancy.context import current_tenant

    inv, _link = create_invitation(f"{uuid.uuid4().hex[:8]}@uji.id", "Calon Uji",
                                   tenant=current_tenant._get_current_object(),
                                   position=position_of("intake_officer"))
    return {"invitation_id": inv.id}


def _own_district():
    from app.reference.models import District
    from app.tenancy.context import tenant_in_context

    return db.session.scalars(select(District.code).where(
        District.regency_code == tenant_in_context().region_code).order_by(District.code)).first()


def _own_area():
    """A service area of the current region's own (made once per region), by key."""
    from app.org.own_areas import add_area
    from app.org.service_areas import own_areas
    from app.tenancy.context import tenant_in_context

    region = tenant_in_context()
    key = f"uji_akses_{region.slug.replace('-', '_')}"[:40]  # each region its own: another region's is a 404
    if not any(a.key == key for a in own_areas(region, retired=True)):
        add_area(region, key=key, label="Bidang Uji Akses", maps_to="sosial", legal_basis="Pasal 1")
    return {"key": key}


#: endpoint → (method, URL values of a Bekasi object) for the cross-tenant test.
CROSS_TENANT = {
    "settings_org.unit_node": ("GET", lambda: {"unit_id": _first(OrgUnit).id}),
    "settings_org.unit_edit": ("GET", lambda: {"unit_id": _first(OrgUnit).id}),
    "settings_org.unit_retire": ("GET", lambda: {"unit_id": _first(OrgUnit).id}),
    "settings_org.position_new": ("GET", lambda: {"unit_id": _first(OrgUnit).id}),
    "settings_org.position_edit": ("GET", lambda: {"position_id": _first(Position).id}),
    "settings_org.position_retire": ("GET", lambda: {"position_id": _first(Position).id}),
    "settings_org.member": ("GET", lambda: {"membership_id": _member_id()}),
    "settings_org.member_move": ("GET", lambda: {"membership_id": _member_id()}),
    "settings_org.member_deactivate": ("GET", lambda: {"membership_id": _member_id()}),
    "settings_org.member_reactivate": ("POST", lambda: {"membership_id": _member_id()}),
    "settings_org.member_reassign": ("POST", lambda: {"membership_id": _member_id()}),
    "settings_org.member_nip": ("POST", lambda: {"membership_id": _member_id()}),
    "settings_org.invitation_revoke": ("POST", _invitation),
    "settings_org.coverage_district": ("GET", lambda: {"district_code": _own_district()}),
    "settings_org.service_area_edit": ("POST", _own_area),
    "settings_org.service_area_remove": ("POST", _own_area),
}


def _values_for(app, endpoint):
    """URL values for an object of Cianjur (the 403 test's own region)."""
    if endpoint in CROSS_TENANT:
        return in_region(app, "cianjur", CROSS_TENANT[endpoint][1])
    return {}


def settings_routes(app):
    return sorted((r.endpoint, sorted(r.methods - {"HEAD", "OPTIONS"})) for r in app.url_map.iter_rules()
                  if r.endpoint.startswith("settings_org."))


def test_every_settings_route_is_in_the_403_test(app):
    assert {e for e, _m in settings_routes(app)} == set(ACCESS_CASES)


ACCESS_CASES = {
    "settings_org.index": "GET", "settings_org.org": "GET", "settings_org.unit_new": "GET",
    "settings_org.welfare_center_new": "GET", "settings_org.staff": "GET", "settings_org.staff_invite": "GET",
    "settings_org.coverage": "GET", "settings_org.service_areas": "GET", "settings_org.service_area_new": "POST",
    **{endpoint: method for endpoint, (method, _b) in CROSS_TENANT.items()},
}


@pytest.mark.parametrize("role", ["intake_officer", "supervisor", "facilitator"])
@pytest.mark.parametrize("endpoint", sorted(ACCESS_CASES))
def test_only_managers_and_heads_reach_settings(app, staff, endpoint, role):
    values = _values_for(app, endpoint)
    with app.test_request_context():
        path = url_for(endpoint, **values)
    client = staff(role, "cianjur")
    response = client.client.open(path, method=ACCESS_CASES[endpoint], base_url=client.base_url)
    assert response.status_code == 403


def test_navigation_link_only_for_configuring_roles(staff):
    assert "Pengaturan" in staff("manager", "palembang").get("/home").get_data(as_text=True)
    assert "Pengaturan" in staff("unit_head", "payakumbuh").get("/home").get_data(as_text=True)
    assert "Pengaturan" not in staff("intake_officer", "palembang").get("/home").get_data(as_text=True)


def test_index_lists_org_and_staff(app, staff):
    page = staff("manager", "palembang").get("/settings/").get_data(as_text=True)
    assert "/settings/org/" in page and "/settings/staff/" in page
    if "settings_sop.index" in app.view_functions:
        with app.test_request_context():
            assert url_for("settings_sop.index") in page


def test_org_page_has_in_place_edit_controls_with_real_hrefs(app, staff):
    page = staff("manager", "palembang").get("/settings/org/").get_data(as_text=True)
    unit_id = in_region(app, "palembang", lambda: unit_by_key("front_office").id)
    edit = f"/settings/org/units/{unit_id}/edit"
    assert f'href="{edit}" hx-get="{edit}" hx-target="#unit-card-{unit_id}"' in page
    assert "Petugas Penerima Pengaduan di Front Office" in page and "(demo)" in page


def htmx(unit_id):
    return {"HX-Request": "true", "HX-Target": f"unit-card-{unit_id}"}


def test_inline_unit_edit_returns_a_fragment_and_validates(app, staff):
    unit_id, _ = scratch(app)
    client = staff("manager", "palembang")
    fragment = client.get(f"/settings/org/units/{unit_id}/edit", headers=htmx(unit_id)).get_data(as_text=True)
    assert "<html" not in fragment and f'id="unit-card-{unit_id}"' in fragment and 'name="name"' in fragment
    response = client.post(f"/settings/org/units/{unit_id}/edit", headers=htmx(unit_id),
                           data={"name": "Nama Diketik", "kind": "field", "parent_id": str(unit_id), "legal_basis": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "dirinya sendiri" in body and 'value="Nama Diketik"' in body
    parent = in_region(app, "palembang", lambda: unit_by_key("sekretariat_teknis").id)
    saved = client.post(f"/settings/org/units/{unit_id}/edit", headers=htmx(unit_id),
                        data={"name": "Tim Uji Disimpan", "kind": "field", "parent_id": str(parent),
                              "legal_basis": "Pasal 8"})
    assert saved.status_code == 200 and "Tim Uji Disimpan" in saved.get_data(as_text=True)
    assert "<form" not in saved.get_data(as_text=True)


def test_moving_a_unit_redraws_the_tree(app, staff):
    unit_id, _ = scratch(app)
    target = in_region(app, "palembang", lambda: unit_by_key("front_office").id)
    response = staff("manager", "palembang").post(
        f"/settings/org/units/{unit_id}/edit", headers=htmx(unit_id),
        data={"name": "Tim Pindah", "kind": "field", "parent_id": str(target), "legal_basis": ""})
    assert response.status_code == 200 and response.headers["HX-Retarget"] == "#settings-tree"
    with app.app_context(), tenant_context(tenant("palembang")):
        moved = db.session.get(OrgUnit, (tenant("palembang").id, unit_id))
        assert moved.parent_id == target
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "config.unit.move",
                                                            AuditEvent.object_id == str(unit_id))).one()
        assert event.detail["after"]["parent"] == "Front Office"


def test_without_javascript_a_saved_form_redirects(app, staff):
    unit_id, _ = scratch(app)
    client = staff("manager", "palembang")
    page = client.get(f"/settings/org/units/{unit_id}/edit").get_data(as_text=True)
    assert "<html" in page and 'name="name"' in page
    parent = in_region(app, "palembang", lambda: unit_by_key("sekretariat_teknis").id)
    response = client.post(f"/settings/org/units/{unit_id}/edit",
                           data={"name": "Tim Tanpa JS", "kind": "field", "parent_id": str(parent)})
    assert response.status_code == 302 and f"#unit-{unit_id}" in response.headers["Location"]


def test_add_a_position_in_place(app, staff):
    unit_id, _ = scratch(app)
    client = staff("manager", "palembang")
    form = client.get(f"/settings/org/units/{unit_id}/positions/new", headers=htmx(unit_id)).get_data(as_text=True)
    assert 'name="title"' in form and "Fasilitator" in form
    bad = client.post(f"/settings/org/units/{unit_id}/positions/new", headers=htmx(unit_id),
                      data={"title": "Petugas Data", "role": "tukang", "legal_basis": "Pasal 9"})
    assert bad.status_code == 422 and "Pilih peran" in bad.get_data(as_text=True)
    assert 'value="Petugas Data"' in bad.get_data(as_text=True)
    good = client.post(f"/settings/org/units/{unit_id}/positions/new", headers=htmx(unit_id),
                       data={"title": "Petugas Data", "role": "data_officer", "legal_basis": "Pasal 9",
                             "ex_officio": "Staf Dinas"})
    assert good.status_code == 200 and "Petugas Data" in good.get_data(as_text=True)
    assert "Staf Dinas" in good.get_data(as_text=True)


def test_edit_a_position_in_place(app, staff):
    unit_id, (position_id,) = scratch(app, positions=1)
    client = staff("manager", "palembang")
    response = client.post(f"/settings/org/positions/{position_id}/edit", headers=htmx(unit_id),
                           data={"title": "Operator Data", "role": "data_officer", "legal_basis": "Pasal 9 huruf b",
                                 "area_level": "", "confirm_title": "Operator Data"})
    assert response.status_code == 200 and "Operator Data" in response.get_data(as_text=True)
    wrong = client.post(f"/settings/org/positions/{position_id}/edit", headers=htmx(unit_id),
                        data={"title": "Operator Data", "role": "supervisor", "legal_basis": "Pasal 9",
                              "area_level": "village"})
    assert wrong.status_code == 422 and "per kecamatan" in wrong.get_data(as_text=True)


def test_retiring_a_unit_with_staff_is_refused_with_what_to_do(app, staff):
    unit_id, _ = scratch(app, positions=1, holder=True)
    client = staff("manager", "palembang")
    page = client.get(f"/settings/org/units/{unit_id}/retire").get_data(as_text=True)
    assert "Pemegang Uji" in page and "Ya, pensiunkan" not in page
    assert client.post(f"/settings/org/units/{unit_id}/retire").status_code == 422
    empty_id, _ = scratch(app)
    assert client.post(f"/settings/org/units/{empty_id}/retire").status_code == 302
    assert str(empty_id) not in client.get("/settings/org/").get_data(as_text=True)


def test_open_a_puskesos_and_invite_its_coordinator(app, staff):
    _d, code, name = in_region(app, "palembang", lambda: villages_without_welfare_center()[1])
    client = staff("manager", "palembang")
    form = client.get("/settings/org/puskesos/new").get_data(as_text=True)
    assert f'value="{code}"' in form and "Pasal 8 ayat (1) huruf b" in form  # default article
    response = client.post("/settings/org/puskesos/new", data={"village_code": code, "name": "",
                                                                "legal_basis": "Pasal 8 ayat (5)"})
    assert response.status_code == 302
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Puskesos {name}" in card and "Koordinator" in card and "Petugas Back Office" in card
    coordinator = in_region(app, "palembang", lambda: db.session.scalar(
        select(Position.id).join(OrgUnit, OrgUnit.id == Position.unit_id)
        .where(OrgUnit.village_code == code, Position.role == "welfare_center_coordinator")))
    invite = client.get(f"/settings/staff/invite?position={coordinator}").get_data(as_text=True)
    assert f'value="{code}" checked' in invite
    again = client.post("/settings/org/puskesos/new", data={"village_code": code, "legal_basis": "Pasal 8"})
    assert again.status_code == 422 and "sudah punya Puskesos" in again.get_data(as_text=True)


def test_a_boosted_page_load_gets_the_whole_page(app, staff):
    unit_id, _ = scratch(app)
    page = staff("manager", "palembang").get(f"/settings/org/units/{unit_id}",
                                             headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in page.get_data(as_text=True) and "Pengaturan" in page.get_data(as_text=True)
