"""Managing a case outside its SOP: withdraw, merge a duplicate, reassign to a named member,
priority, follow-up date in the inbox. Each is a case event with who, when and why."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.casework.case_admin import candidates
from app.casework.models import Case, CaseEvent
from app.extensions import db
from app.tenancy.context import tenant_context
from app.tenancy.models import utcnow
from tests.factories import make_case, tenant

SLUG = "bekasi"


def _case_id_from_builder():
    return {"case_id": make_case(SLUG).id}


CROSS_TENANT = {endpoint: ("POST", _case_id_from_builder)
                for endpoint in ("cases.withdraw", "cases.merge", "cases.reassign", "cases.priority",
                                 "cases.follow_up")}


def new_case(app, slug=SLUG):
    with app.app_context(), tenant_context(tenant(slug)):
        case = make_case(slug)
        facts = {"id": case.id, "ticket": case.ticket, "version": case.version}
        db.session.commit()
        return facts


def load(app, case_id, slug=SLUG):
    with app.app_context(), tenant_context(tenant(slug)):
        case = db.session.get(Case, (tenant(slug).id, case_id))
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                    .order_by(CaseEvent.at)).all()
        return {"closed": case.is_closed, "closure": case.closure, "priority": case.priority,
                "follow_up_on": case.follow_up_on, "assignee_id": case.assignee_id, "version": case.version,
                "merged_into_id": case.merged_into_id,
                "events": [(e.action, e.actor_name, e.note, e.data) for e in events]}


@pytest.fixture()
def manager(staff):
    return staff("manager", SLUG)


def test_withdraw_needs_a_reason_then_closes_the_case_with_an_event(app, manager):
    case = new_case(app)
    refused = manager.post(f"/cases/{case['id']}/withdraw", data={"withdraw-version": case["version"],
                                                                   "withdraw-reason": "  "})
    assert refused.status_code == 422 and "Alasan wajib diisi." in refused.get_data(as_text=True)
    assert load(app, case["id"])["closed"] is False
    done = manager.post(f"/cases/{case['id']}/withdraw", data={"withdraw-version": case["version"],
                                                                "withdraw-reason": "Warga mencabut pengaduan"})
    assert done.status_code == 302
    after = load(app, case["id"])
    assert after["closed"] and after["closure"] == "withdrawn"
    action, actor, note, _data = after["events"][-1]
    assert (action, note) == ("withdraw", "Warga mencabut pengaduan") and actor
    page = manager.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "Ditarik" in page and "Kasus ini sudah selesai." in page
    assert "Tarik kasus" not in page  # nothing left to manage on a closed case


def test_merge_closes_the_duplicate_pointing_to_the_survivor_and_both_pages_link(app, manager):
    survivor, duplicate = new_case(app), new_case(app)
    response = manager.post(f"/cases/{duplicate['id']}/merge", data={
        "merge-version": duplicate["version"], "merge-survivor": survivor["ticket"].lower(),
        "merge-reason": "Pengaduan yang sama dicatat dua kali"})
    assert response.status_code == 302
    after = load(app, duplicate["id"])
    assert after["closure"] == "merged" and after["merged_into_id"] == survivor["id"]
    assert after["events"][0][0] == "intake"  # the duplicate's history stays
    assert after["events"][-1][3]["into"] == survivor["ticket"]
    assert load(app, survivor["id"])["events"][-1][3] == {"from": duplicate["ticket"]}
    assert f"/cases/{survivor['id']}" in manager.get(f"/cases/{duplicate['id']}").get_data(as_text=True)
    assert f"/cases/{duplicate['id']}" in manager.get(f"/cases/{survivor['id']}").get_data(as_text=True)


@pytest.mark.parametrize("target, message", [
    ("self", "bukan kasus ini sendiri"), ("PLG-1999-999999", "Tiket tidak ditemukan")])
def test_merge_refuses_itself_or_an_unknown_ticket_at_the_field(app, manager, target, message):
    case = new_case(app)
    survivor = case["ticket"] if target == "self" else target
    response = manager.post(f"/cases/{case['id']}/merge", data={
        "merge-version": case["version"], "merge-survivor": survivor, "merge-reason": "Duplikat"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and f'value="{survivor}"' in page
    assert load(app, case["id"])["closed"] is False


def test_reassign_to_a_named_member_who_can_take_the_step(app, staff):
    slug = "palembang"  # several intake officers: the first step has more than one taker
    manager, case = staff("manager", slug), new_case(app, slug)
    with app.app_context(), tenant_context(tenant(slug)):
        record = db.session.get(Case, (tenant(slug).id, case["id"]))
        others = [(u.id, u.name) for u, _m in candidates(record) if u.id != record.assignee_id]
    assert others, "another intake officer may take the first step"
    target_id, target_name = others[0]
    response = manager.post(f"/cases/{case['id']}/reassign", data={
        "reassign-version": case["version"], "reassign-assignee": str(target_id),
        "reassign-reason": "Petugas semula cuti"})
    assert response.status_code == 302
    after = load(app, case["id"], slug)
    assert after["assignee_id"] == target_id
    assert after["events"][-1][0] == "reassign" and after["events"][-1][3]["to"] == target_name
    assert target_name in manager.get(f"/cases/{case['id']}").get_data(as_text=True)
    bad = manager.post(f"/cases/{case['id']}/reassign", data={
        "reassign-version": after["version"], "reassign-assignee": str(case["id"]), "reassign-reason": "x"})
    assert bad.status_code == 422 and "Pilih petugas yang dapat mengambil langkah" in bad.get_data(as_text=True)


def test_priority_is_one_of_the_list_and_shows_on_the_case(app, manager):
    case = new_case(app)
    bogus = manager.post(f"/cases/{case['id']}/priority", data={"priority-version": case["version"],
                                                                 "priority-priority": "segera-sekali"})
    assert bogus.status_code == 422 and load(app, case["id"])["priority"] == "normal"
    manager.post(f"/cases/{case['id']}/priority", data={"priority-version": case["version"],
                                                        "priority-priority": "urgent"})
    after = load(app, case["id"])
    assert after["priority"] == "urgent" and after["events"][-1][0] == "priority"
    assert "Prioritas: Mendesak" in manager.get(f"/cases/{case['id']}").get_data(as_text=True)


def test_follow_up_date_shows_in_the_inbox_and_its_filter(app, manager):
    due, later = new_case(app), new_case(app)
    today = utcnow().date()
    for case, day in ((due, today), (later, today + timedelta(days=7))):
        response = manager.post(f"/cases/{case['id']}/follow-up", data={
            "follow_up-version": case["version"], "follow_up-follow_up_on": day.isoformat()})
        assert response.status_code == 302
    assert load(app, due["id"])["follow_up_on"] == today
    listed = manager.get("/cases/?view=all&follow_up=1").get_data(as_text=True)
    assert due["ticket"] in listed and later["ticket"] not in listed
    assert f"Tindak lanjut: {today.strftime('%d-%m-%Y')}" in listed
    past = manager.post(f"/cases/{due['id']}/follow-up", data={
        "follow_up-version": load(app, due["id"])["version"],
        "follow_up-follow_up_on": (today - timedelta(days=3)).isoformat()})
    assert past.status_code == 422 and "tidak boleh sebelum hari ini" in past.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", ["withdraw", "merge", "reassign", "priority", "follow-up"])
def test_a_role_without_manage_cases_gets_403_and_changes_nothing(app, staff, endpoint):
    case = new_case(app)
    response = staff("intake_officer", SLUG).post(f"/cases/{case['id']}/{endpoint}", data={})
    assert response.status_code == 403
    assert load(app, case["id"])["version"] == case["version"]


def test_management_actions_are_audited(app, manager):
    case = new_case(app)
    manager.post(f"/cases/{case['id']}/withdraw", data={"withdraw-version": case["version"],
                                                        "withdraw-reason": "Warga pindah domisili"})
    with app.app_context(), tenant_context(tenant(SLUG)):
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == str(case["id"]),
                                                            AuditEvent.action == "case.withdraw")).all()
        assert [a.detail["reason"] for a in audit] == ["Warga pindah domisili"]
