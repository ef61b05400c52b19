"""The case's assignee (who is responsible now) and handing a member's open cases over."""

import pytest
from sqlalchemy import select

from app.accounts.handover import open_work, reassign_cases
from app.casework.inbox import InboxFilters, visible_cases
from app.casework.models import Case, CaseEvent
from app.extensions import db
from app.org.operations import ConfigError
from tests.factories import make_case, member, village_of
from tests.helpers.org import free_village, home_visit, last_audit, new_member, step
from tests.helpers.regions import in_region


def in_mine(membership, case) -> bool:
    stmt = visible_cases(membership, InboxFilters(view="mine", q=case.ticket))
    return case.id in set(db.session.scalars(stmt.with_only_columns(Case.id)))


def test_intake_assigns_the_creator_only_when_the_entry_stage_waits_on_them(region):
    region("palembang")
    walk_in = make_case("palembang")
    _user, officer = member("intake_officer@palembang.demo")
    assert walk_in.assignee_id == officer.user_id  # registered waits on the intake officer
    visit = make_case("palembang", channel="home_visit")
    assert visit.assignee_id is None  # field review waits on the supervisor: pooled


def test_a_step_keeps_the_actor_while_the_next_stage_waits_on_them(region):
    region("palembang")
    case = make_case("palembang")
    _u, officer = member("intake_officer@palembang.demo")
    step(case, "forward_to_back_office", officer)
    assert case.assignee_id is None  # analysis waits on the back office: pooled
    _u, back_office = member("case_officer@palembang.demo")
    case.state = "awaiting_answer"
    db.session.flush()
    step(case, "record_answer", back_office, answer_result="accepted")
    assert case.state == "follow_up" and case.assignee_id == back_office.user_id


def test_mine_shows_an_assigned_case_to_its_assignee_only(region):
    region("palembang")
    case = make_case("palembang")
    _u, officer = member("intake_officer@palembang.demo")
    colleague = new_member("intake_officer")
    assert in_mine(officer, case) and not in_mine(colleague, case)
    case.assignee_id = None
    db.session.flush()
    assert in_mine(officer, case) and in_mine(colleague, case)


def test_open_work_lists_assigned_and_uncovered_cases(region):
    region("palembang")
    village = free_village()
    leaving = new_member("facilitator", areas=[(village.district_code, village.code)], name="Fasil Pergi")
    case = home_visit(leaving, village)
    _u, supervisor = member("supervisor@palembang.demo")
    step(case, "return_field_record", supervisor, note="Lengkapi foto rumah.")
    assert case.state == "field_returned" and case.assignee_id is None
    assigned = make_case("palembang")
    assigned.assignee_id = leaving.user_id
    db.session.flush()
    work = open_work(leaving)
    assert work.assigned == [assigned] and work.uncovered == [case]
    other = new_member("facilitator", areas=[(village.district_code, village.code)])
    assert open_work(leaving).uncovered == []
    other.active = False
    db.session.flush()
    assert open_work(leaving).uncovered == [case]


def test_reassign_in_bulk_with_the_areas(region):
    region("palembang")
    village = free_village()
    leaving = new_member("facilitator", areas=[(village.district_code, village.code)], name="Fasil Pergi")
    case = home_visit(leaving, village)
    _u, supervisor = member("supervisor@palembang.demo")
    step(case, "return_field_record", supervisor, note="Lengkapi data.")
    _u, manager = member("manager@palembang.demo")
    demo_village = village_of("palembang")
    taker = new_member("facilitator", areas=[(demo_village.district_code, demo_village.code)], name="Fasil Baru")
    with pytest.raises(ConfigError) as outside:
        reassign_cases([case.id], source=leaving, target=taker, user=manager.user, actor=manager)
    assert "tidak bekerja di wilayah" in outside.value.errors["target_id"][0]
    _u, officer = member("intake_officer@palembang.demo")
    with pytest.raises(ConfigError) as role:
        reassign_cases([case.id], source=leaving, target=officer, user=manager.user, actor=manager, add_areas=True)
    assert "menunggu" in " ".join(role.value.errors["target_id"])
    with pytest.raises(ConfigError) as nothing:
        reassign_cases([], source=leaving, target=taker, user=manager.user, actor=manager)
    assert "case_ids" in nothing.value.errors
    moved = reassign_cases([case.id], source=leaving, target=taker, note="Fasil Pergi pindah tugas.",
                           add_areas=True, user=manager.user, actor=manager)
    assert moved == [case] and case.assignee_id == taker.user_id
    assert village.code in {a.village_code for a in taker.areas}
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                       CaseEvent.action == "reassign")).one()
    assert event.label == "Dialihkan ke Fasil Baru" and event.note == "Fasil Pergi pindah tugas."
    audit = last_audit("config.case.reassign")
    assert audit.detail["after"] == {"assignee": "Fasil Baru"} and audit.detail["ticket"] == case.ticket
    assert in_mine(taker, case) and open_work(leaving).cases == []


def test_member_page_reassigns_in_bulk(app, staff):
    def build():
        village = free_village()
        leaving = new_member("facilitator", areas=[(village.district_code, village.code)], name="Fasil Halaman")
        case = home_visit(leaving, village)
        _u, supervisor = member("supervisor@palembang.demo")
        step(case, "return_field_record", supervisor)
        demo = village_of("palembang")
        taker = new_member("facilitator", areas=[(demo.district_code, demo.code)], name="Fasil Pengganti")
        return leaving.id, taker.id, case.id, case.ticket
    leaving_id, taker_id, case_id, ticket = in_region(app, "palembang", build)
    client = staff("manager", "palembang")
    assert client.post(f"/settings/staff/{leaving_id}/deactivate").status_code == 302
    page = client.get(f"/settings/staff/{leaving_id}").get_data(as_text=True)
    assert ticket in page and "Fasil Pengganti" in page and 'name="case_ids"' in page
    bad = client.post(f"/settings/staff/{leaving_id}/reassign", data={"case_ids": str(case_id), "target_id": ""})
    assert bad.status_code == 422 and "Pilih petugas" in bad.get_data(as_text=True)
    done = client.post(f"/settings/staff/{leaving_id}/reassign",
                       data={"case_ids": str(case_id), "target_id": str(taker_id), "note": "Serah terima",
                             "add_areas": "y"})
    assert done.status_code == 302
    assert ticket not in client.get(f"/settings/staff/{leaving_id}").get_data(as_text=True)
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Dialihkan ke Fasil Pengganti" in case_page and "Serah terima" in case_page
