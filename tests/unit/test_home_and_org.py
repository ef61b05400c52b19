"""A staff member sees who they are, and the region's org chart, in the region's own words."""
from sqlalchemy import select

from app.accounts.models import Membership, User
from app.extensions import db
from app.reference.models import Village
from app.tenancy.context import tenant_context
from app.tenancy.models import Tenant


def test_home_shows_local_title_unit_and_no_area_for_manager(staff):
    page = staff("manager", "cianjur").get("/home").get_data(as_text=True)
    assert "Kepala Sekretariat (Manajer) SLRT Kabupaten" in page
    assert "Wilayah kerja" not in page


def test_home_shows_kepala_upt_in_payakumbuh(staff):
    page = staff("unit_head", "payakumbuh").get("/home").get_data(as_text=True)
    assert "Kepala UPT" in page and "UPT-PSPK" in page


def test_facilitator_works_in_a_real_village_of_the_region(app, staff):
    page = staff("facilitator", "cianjur").get("/home").get_data(as_text=True)
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "cianjur"))
        with tenant_context(tenant):
            membership = db.session.scalar(
                select(Membership).join(User).where(User.email == "facilitator@cianjur.demo"))
            village = db.session.get(Village, membership.areas[0].village_code)
    assert village.code.startswith("32.03.")
    assert village.name in page and "Kec." in page


def test_org_chart_is_a_tree_with_titles_and_holders(staff):
    page = staff("supervisor", "batubara").get("/org/").get_data(as_text=True)
    assert 'class="org-tree"' in page and 'class="org-children"' in page
    assert "Manajer" in page and "Pendamping Daerah" in page
    assert "(demo)" in page  # holder names
    assert "Pasal 11" in page  # legal basis of the manager


def test_unit_page_lists_positions_and_holders(app, staff):
    client = staff("manager", "bekasi")
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "bekasi"))
        with tenant_context(tenant):
            from app.org.models import Position
            position = db.session.scalar(select(Position).where(Position.role == "manager"))
            unit_id = position.unit_id
            title = position.title
    page = client.get(f"/org/units/{unit_id}").get_data(as_text=True)
    assert title in page and "(demo)" in page


def test_unknown_unit_is_404(staff):
    assert staff("manager", "bekasi").get("/org/units/00000000-0000-0000-0000-000000000000").status_code == 404
