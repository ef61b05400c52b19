"""Staff operations: invite into a post with areas, move, deactivate (sessions end), reactivate."""
import re

import pytest
from sqlalchemy import select

from app.accounts.invitations import Invitation
from app.accounts.models import Membership, User
from app.accounts.outbox import OutboundEmail
from app.accounts.staff import (
    clean_areas,
    deactivate_member,
    invite_staff,
    move_member,
    pending_invitations,
    reactivate_member,
    revoke_invitation,
)
from app.extensions import db
from app.org.operations import ConfigError
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from tests.conftest import DEMO_PASSWORD
from tests.factories import member, tenant, village_of
from tests.helpers.org import last_audit, new_member, position_of
from tests.helpers.regions import in_region


def other_village(slug):
    """A village of the region other than the demo one."""
    first = village_of(slug)
    return db.session.scalars(select(Village).where(Village.district_code == first.district_code,
                                                    Village.code != first.code)).first()


def test_invite_a_facilitator_with_villages(region):
    region("palembang")
    village = other_village("palembang")
    invitation, link = invite_staff(email=" Fasil.Baru@Uji.id ", name="Fasil Baru", position=position_of("facilitator"),
                                    village_codes=[village.code])
    assert invitation.email == "fasil.baru@uji.id" and invitation.areas == [[village.district_code, village.code]]
    assert link.endswith(link.rsplit("/", 1)[1]) and "palembang." in link
    assert db.session.scalar(select(OutboundEmail).where(OutboundEmail.to == "fasil.baru@uji.id"))
    assert invitation in pending_invitations()
    event = last_audit("config.staff.invite")
    district = db.session.get(District, village.district_code)
    assert event.detail["after"]["areas"] == [f"{village.name}, Kec. {district.name}"]
    with pytest.raises(ConfigError) as twice:
        invite_staff(email="fasil.baru@uji.id", name="X", position=position_of("facilitator"),
                     village_codes=[village.code])
    assert "undangan terbuka" in twice.value.errors["email"][0]
    revoke_invitation(invitation)
    assert invitation not in pending_invitations() and last_audit("config.staff.invitation_revoke")


def test_areas_are_required_and_must_be_in_the_region(region):
    region("palembang")
    with pytest.raises(ConfigError) as none:
        clean_areas(position_of("facilitator"), village_codes=[])
    assert "minimal satu kelurahan" in none.value.errors["village_codes"][0]
    with pytest.raises(ConfigError) as foreign:
        clean_areas(position_of("supervisor"), district_codes=["32.75.01"])
    assert "bukan bagian dari daerah ini" in foreign.value.errors["district_codes"][0]
    with pytest.raises(ConfigError):
        clean_areas(position_of("facilitator"), village_codes=["16.71.99.9999"])
    assert clean_areas(position_of("manager"), village_codes=["16.71.01.1001"]) == []


def test_an_active_member_is_not_invited_again(region):
    region("palembang")
    with pytest.raises(ConfigError) as exc:
        invite_staff(email="intake_officer@palembang.demo", name="X", position=position_of("intake_officer"))
    assert "sudah menjadi staf" in exc.value.errors["email"][0]


def test_move_a_member_to_another_post_and_villages(region):
    region("palembang")
    member_ = new_member("intake_officer")
    village = other_village("palembang")
    move_member(member_, position=position_of("facilitator"), village_codes=[village.code])
    assert member_.position.role == "facilitator" and [a.village_code for a in member_.areas] == [village.code]
    event = last_audit("config.staff.move")
    assert event.detail["before"]["role"] == "intake_officer" and event.detail["after"]["role"] == "facilitator"
    with pytest.raises(ConfigError) as exc:
        move_member(member_, position=position_of("supervisor"))
    assert "kecamatan" in exc.value.errors["district_codes"][0]


def test_deactivate_ends_sessions_and_closes_a_single_post_account(region):
    region("palembang")
    member_ = new_member("facilitator", areas=[(village_of("palembang").district_code, village_of("palembang").code)])
    _u, manager = member("manager@palembang.demo")
    assert deactivate_member(member_, actor=manager) is True
    assert not member_.active and member_.user.active
    assert last_audit("config.staff.deactivate").detail["after"]["account_closed"] is True
    with pytest.raises(ConfigError):
        deactivate_member(member_, actor=manager)
    reactivate_member(member_)
    assert member_.active and member_.user.active and last_audit("config.staff.reactivate")


def test_manager_cannot_deactivate_themselves(region):
    region("palembang")
    _u, manager = member("manager@palembang.demo")
    with pytest.raises(ConfigError):
        deactivate_member(manager, actor=manager)


def test_two_regions_two_memberships(app):
    """A person may hold posts in two regions; leaving one keeps the account for the other."""
    def first_post():
        return new_member("case_officer", name="Dua Daerah").user.email
    email = in_region(app, "bekasi", first_post)

    with app.app_context(), tenant_context(tenant("palembang")):
        invitation, _link = invite_staff(email=email, name="Dua Daerah", position=position_of("data_officer")
                                         or position_of("case_officer"), existing_ok=True)
        from app.accounts.invitations import accept_invitation
        user, _joined = accept_invitation(invitation, DEMO_PASSWORD)
        db.session.flush()
        here = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert deactivate_member(here) is False
        assert user.active and not here.active
        db.session.rollback()


def test_deactivated_member_is_logged_out_at_once(app, region_client):
    def make():
        m = new_member("intake_officer", name="Akan Pergi")
        return m.id, m.user.email
    membership_id, email = in_region(app, "palembang", make)
    officer = region_client("palembang")
    officer.login(email)
    assert officer.get("/home").status_code == 200
    manager = region_client("palembang")
    manager.login("manager@palembang.demo")
    page = manager.get(f"/settings/staff/{membership_id}/deactivate").get_data(as_text=True)
    assert "Akan Pergi" in page and "sesi" in page
    response = manager.post(f"/settings/staff/{membership_id}/deactivate")
    assert response.status_code == 302
    assert officer.get("/home").status_code == 302  # back to the login page
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.email == email)) is True  # the platform's flag
    assert manager.post(f"/settings/staff/{membership_id}/reactivate").status_code == 302
    officer.login(email)
    assert officer.get("/home").status_code == 200


def test_invite_page_shows_the_link_and_lists_pending(app, region_client):
    manager = region_client("palembang")
    manager.login("manager@palembang.demo")
    position, village = in_region(app, "palembang",
                                  lambda: (position_of("facilitator").id, other_village("palembang").code))
    form = manager.get(f"/settings/staff/invite?position={position}").get_data(as_text=True)
    assert 'name="village_codes"' in form
    fragment = manager.get(f"/settings/staff/invite?position_id={position}",
                           headers={"HX-Request": "true", "HX-Target": "area-fields"}).get_data(as_text=True)
    assert fragment.startswith('<div id="area-fields"') and 'name="village_codes"' in fragment
    missing = manager.post("/settings/staff/invite", data={"email": "calon@uji.id", "name": "Calon",
                                                           "position_id": str(position)})
    assert missing.status_code == 422 and "minimal satu kelurahan" in missing.get_data(as_text=True)
    assert 'value="calon@uji.id"' in missing.get_data(as_text=True)
    done = manager.post("/settings/staff/invite", data={"email": "calon@uji.id", "name": "Calon",
                                                        "position_id": str(position), "village_codes": village})
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "/invite/" in page and "calon@uji.id" in page
    staff_page = manager.get("/settings/staff/").get_data(as_text=True)
    assert "Undangan terbuka" in staff_page and "calon@uji.id" in staff_page
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == "calon@uji.id"))
    assert manager.post(f"/settings/staff/invitations/{invitation.id}/revoke").status_code == 302
    after = manager.get("/settings/staff/").get_data(as_text=True)
    flashes = re.findall(r'class="flash[^"]*"[^>]*>(.*?)<', after, re.S)
    assert any("dibatalkan" in f for f in flashes), flashes  # the flash, once
    assert "calon@uji.id" not in manager.get("/settings/staff/").get_data(as_text=True)
