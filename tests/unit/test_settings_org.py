"""Org chart operations: units and posts added, edited, moved and retired, each checked and audited."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.org.models import Position
from app.org.operations import ConfigError, create_unit, retire_blockers, retire_unit, update_unit
from app.org.positions import create_position, retire_position, update_position
from app.org.welfare_centers import open_welfare_center, villages_without_welfare_center
from tests.factories import make_case, member
from tests.helpers.org import last_audit, new_member, position_of, unit_by_key


def scratch_unit(name=None, parent_key="sekretariat_teknis", kind="field"):
    return create_unit(name=name or f"Tim Uji {uuid.uuid4().hex[:6]}", kind=kind, parent=unit_by_key(parent_key))


def test_add_rename_and_move_a_unit_with_audit(region):
    region("palembang")
    unit = scratch_unit("Seksi Uji")
    assert unit.key == "seksi_uji" or unit.key.startswith("seksi_uji_")
    assert last_audit("config.unit.create").detail["after"]["name"] == "Seksi Uji"
    update_unit(unit, name="Seksi Uji Baru", kind="field", parent=unit_by_key("front_office"), legal_basis="Pasal 9")
    move = last_audit("config.unit.move")
    assert move.detail == {"before": {"parent": "Sekretariat Teknis SLRT Kota"}, "after": {"parent": "Front Office"}}
    rename = last_audit("config.unit.update")
    assert rename.detail["before"]["name"] == "Seksi Uji" and rename.detail["after"]["name"] == "Seksi Uji Baru"


def test_a_unit_cannot_move_under_itself_or_its_own_sub_unit(region):
    region("palembang")
    unit = scratch_unit()
    child = create_unit(name="Anak", kind="field", parent=unit)
    with pytest.raises(ConfigError) as itself:
        update_unit(unit, name=unit.name, kind="field", parent=unit, legal_basis="")
    assert "dirinya sendiri" in itself.value.errors["parent_id"][0]
    with pytest.raises(ConfigError) as below:
        update_unit(unit, name=unit.name, kind="field", parent=child, legal_basis="")
    assert "sub-unitnya sendiri" in below.value.errors["parent_id"][0]


def test_unit_fields_are_checked(region):
    region("palembang")
    with pytest.raises(ConfigError) as exc:
        create_unit(name=" ", kind="kantin", parent=None, service_areas=["olahraga"])
    assert set(exc.value.errors) == {"name", "kind", "service_areas"}


def test_routed_back_office_keeps_its_kind_and_cannot_retire(region):
    region("palembang")
    back_office = unit_by_key("back_office")
    with pytest.raises(ConfigError) as exc:
        update_unit(back_office, name=back_office.name, kind="field", parent=back_office.parent, legal_basis="")
    assert "harus tetap Back Office" in exc.value.errors["kind"][0]
    assert any("pemetaan bidang layanan" in b for b in retire_blockers(back_office))


def test_retiring_a_unit_with_staff_or_open_cases_says_what_to_do_first(region):
    region("palembang")
    unit = scratch_unit()
    position = create_position(unit, title="Petugas Uji", role="data_officer", legal_basis="Pasal 9")
    holder = new_member(position=position, name="Ani Uji")
    blockers = retire_blockers(unit)
    assert any("Ani Uji" in b and "halaman Staf" in b for b in blockers)
    with pytest.raises(ConfigError):
        retire_unit(unit)
    holder.active = False
    db.session.flush()
    case = make_case("palembang")
    case.origin_unit_id = unit.id
    db.session.flush()
    assert any(case.ticket in b for b in retire_blockers(unit))
    case.origin_unit_id = unit_by_key("front_office").id
    db.session.flush()
    retire_unit(unit)
    assert unit.retired_at is not None and position.retired_at is not None
    assert last_audit("config.unit.retire").object_id == str(unit.id)
    with pytest.raises(ConfigError):
        update_unit(unit, name="Hidup lagi", kind="field", parent=None, legal_basis="")


def test_parent_with_active_sub_units_cannot_retire(region):
    region("palembang")
    parent = scratch_unit()
    create_unit(name="Anak Aktif", kind="field", parent=parent)
    assert any("Anak Aktif" in b for b in retire_blockers(parent))


def test_position_needs_a_known_role_matching_area_and_an_article(region):
    region("palembang")
    unit = scratch_unit()
    with pytest.raises(ConfigError) as exc:
        create_position(unit, title="", role="superhero", legal_basis="")
    assert set(exc.value.errors) == {"title", "role", "legal_basis"}
    with pytest.raises(ConfigError) as area:
        create_position(unit, title="Supervisor", role="supervisor", legal_basis="Pasal 12", area_level="village")
    assert "kecamatan" in area.value.errors["area_level"][0]
    position = create_position(unit, title="Fasilitator Uji", role="facilitator", legal_basis="Pasal 13",
                               ex_officio="Ketua RW")
    assert position.area_level == "village" and position.key.startswith(unit.key)
    assert last_audit("config.position.create").detail["after"]["role"] == "facilitator"


def test_a_role_the_sop_needs_cannot_disappear(region):
    region("palembang")
    manager_post = position_of("manager")
    with pytest.raises(ConfigError) as exc:
        update_position(manager_post, title=manager_post.title, role="admin_staff", ex_officio="",
                        legal_basis=manager_post.legal_basis)
    assert "Setujui rujukan" in " ".join(exc.value.errors["role"])


def test_manager_cannot_edit_away_their_own_access(region):
    region("payakumbuh")
    head = position_of("unit_head")
    _user, membership = member("unit_head@payakumbuh.demo")
    with pytest.raises(ConfigError) as exc:
        update_position(head, title=head.title, role="admin_staff", ex_officio="", legal_basis=head.legal_basis,
                        actor=membership)
    assert "tidak dapat lagi membuka Pengaturan" in " ".join(exc.value.errors["role"])


def test_position_edit_and_retire(region):
    region("palembang")
    unit = scratch_unit()
    position = create_position(unit, title="Operator", role="data_officer", legal_basis="Pasal 9")
    update_position(position, title="Operator Data", role="data_officer", ex_officio="", legal_basis="Pasal 9 huruf a")
    event = last_audit("config.position.update")
    assert event.detail["before"] == {"title": "Operator", "legal_basis": "Pasal 9"}
    holder = new_member(position=position)
    with pytest.raises(ConfigError):
        retire_position(position)
    holder.active = False
    db.session.flush()
    retire_position(position)
    assert position.retired_at is not None


def test_holders_area_level_cannot_change_under_them(region):
    region("palembang")
    unit = scratch_unit()
    position = create_position(unit, title="Petugas", role="data_officer", legal_basis="Pasal 9")
    new_member(position=position)
    with pytest.raises(ConfigError) as exc:
        update_position(position, title="Petugas", role="data_officer", ex_officio="", legal_basis="Pasal 9",
                        area_level="district")
    assert "Pindahkan" in exc.value.errors["area_level"][0]


def test_open_a_puskesos_under_the_generic_one(region):
    region("palembang")
    _district, code, name = villages_without_welfare_center()[0]
    unit = open_welfare_center(village_code=code, legal_basis="Pasal 8 ayat (5)")
    assert unit.kind == "welfare_center" and unit.village_code == code and unit.district_code == code[:8]
    assert unit.name == f"Puskesos {name}" and unit.parent.key == "puskesos"
    roles = {p.role: p for p in db.session.scalars(select(Position).where(Position.unit_id == unit.id))}
    assert set(roles) == {"welfare_center_coordinator", "intake_officer", "case_officer"}
    assert {p.area_level for p in roles.values()} == {"village"}
    assert roles["welfare_center_coordinator"].title == "Koordinator"
    with pytest.raises(ConfigError) as again:
        open_welfare_center(village_code=code, legal_basis="Pasal 8")
    assert "sudah punya Puskesos" in again.value.errors["village_code"][0]


def test_puskesos_goes_under_the_secretariat_without_a_generic_one(region):
    region("bekasi")
    _district, code, _name = villages_without_welfare_center()[0]
    unit = open_welfare_center(village_code=code, name="Puskesos Uji", legal_basis="Pasal 5")
    assert unit.parent.kind == "secretariat" and unit.name == "Puskesos Uji"


def test_puskesos_village_must_be_in_the_region(region):
    region("palembang")
    with pytest.raises(ConfigError) as exc:
        open_welfare_center(village_code="32.75.01.1001", legal_basis="")
    assert set(exc.value.errors) == {"village_code", "legal_basis"}
