"""No case is lost or stalls silently: the holder acts, a stalled case is flagged, routing decides
who acts, and a second open case for the same person is announced at intake."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.accounts.handover import open_work
from app.casework.inbox import InboxFilters, visible_cases
from app.casework.models import Case, CaseEvent
from app.casework.staffing import Staffing
from app.casework.steps import allowed_steps
from app.extensions import db
from app.reference.models import District, Village
from tests.factories import citizen_data, make_case, member, tenant, village_of
from tests.helpers.org import home_visit, new_member, step
from tests.helpers.regions import in_region


def _a_case_of_the_owner_region():
    """Built inside the owner region's context by tests/unit/test_cross_tenant_routes.py."""
    return {"case_id": make_case(tenant_slug()).id}


def tenant_slug() -> str:
    from flask import g

    return g.tenant.slug


#: The manager's "assign" on another region's case is a 404 (see tests/unit/test_cross_tenant_routes.py).
CROSS_TENANT = {"cases.assign": ("POST", _a_case_of_the_owner_region)}


def in_mine(membership, case) -> bool:
    stmt = visible_cases(membership, InboxFilters(view="mine", q=case.ticket))
    return case.id in set(db.session.scalars(stmt.with_only_columns(Case.id)))


def far_village(slug) -> Village:
    """A village in the region's second district (the demo area-bound staff work in the first)."""
    districts = db.session.scalars(select(District.code).where(District.regency_code == tenant(slug).region_code)
                                   .order_by(District.code)).all()
    return db.session.scalars(select(Village).where(Village.district_code == districts[1])
                              .order_by(Village.code)).first()


def person_in(village, name="Warga Jauh"):
    data = citizen_data("bekasi", name=f"{name} {uuid.uuid4().hex[:6]}")
    from tests.factories import make_kk, make_nik
    data.nik = make_nik(village.code, data.birth_date, data.sex)
    data.kk_number = make_kk(village.code)
    data.village_code = village.code
    return data


def case_of(case_id):
    return db.session.scalar(select(Case).where(Case.id == case_id))


# --- 1. A case recorded at a Puskesos for another village stays with its recorder ----------------


def test_puskesos_officer_can_act_on_the_case_they_hold_from_another_village(region):
    region("batubara")
    _u, officer = member("intake_officer-2@batubara.demo")  # Puskesos front office, one village
    case = make_case("batubara", channel="welfare_center", data=person_in(far_village("batubara")),
                     by="intake_officer-2@batubara.demo")
    assert case.assignee_id == officer.user_id
    assert in_mine(officer, case)
    assert [t.key for t in allowed_steps(case, officer)] == ["forward_to_back_office"]
    step(case, "forward_to_back_office", officer)
    assert case.state == "analysis"


def test_the_holder_takes_the_step_through_the_case_page(app, staff):
    case = in_region(app, "batubara", lambda: make_case(
        "batubara", channel="welfare_center", data=person_in(far_village("batubara")),
        by="intake_officer-2@batubara.demo").id)
    client = staff("intake_officer-2", "batubara")
    assert "forward_to_back_office" in client.get(f"/cases/{case}").get_data(as_text=True)
    answer = client.post(f"/cases/{case}/steps/forward_to_back_office",
                         data={"forward_to_back_office-version": "1"})
    assert answer.status_code == 302


# --- 2. A case no active member can take is flagged, with the reason ---------------------------


def _far_home_visit():
    village = far_village("cianjur")
    facilitator = new_member("facilitator", areas=[(village.district_code, village.code)], name="Fasil Jauh")
    return home_visit(facilitator, village)


def test_a_case_nobody_can_take_is_unstaffed_with_the_reason(region):
    region("cianjur")
    far = _far_home_visit()
    near = home_visit(member("facilitator@cianjur.demo")[1], village_of("cianjur"))
    staffing = Staffing.now()
    assert far.id in staffing.unstaffed_ids()
    assert near.id not in staffing.unstaffed_ids()
    reason = staffing.reason(far)
    assert "Supervisor" in reason and db.session.get(District, far.district_code).name in reason
    _u, supervisor = member("supervisor@cianjur.demo")
    assert [m.id for m in staffing.takers(near)] == [supervisor.id]


def test_the_unstaffed_count_is_the_number_of_unstaffed_cases(region):
    """The home page counts by groups of the rule's columns; the same cases as the ids, one by one."""
    region("cianjur")
    far, other_far = _far_home_visit(), _far_home_visit()  # same place and stage: one group of two
    home_visit(member("facilitator@cianjur.demo")[1], village_of("cianjur"))
    staffing = Staffing.now()
    ids = staffing.unstaffed_ids()
    assert {far.id, other_far.id} <= ids
    assert staffing.unstaffed_total() == len(ids)
    in_district = Case.district_code == far.district_code
    assert staffing.unstaffed_total(in_district) == len(staffing.unstaffed_ids(in_district)) >= 2


def test_staffing_for_a_page_of_cases_holds_only_the_roles_they_wait_on(region):
    """The inbox flags its rows with the holders of the roles those rows wait on, and says the same."""
    region("cianjur")
    far = _far_home_visit()
    near = home_visit(member("facilitator@cianjur.demo")[1], village_of("cianjur"))
    everyone, few = Staffing.now(), Staffing.for_cases([far, near])
    waiting = few.waiting_roles(far) | few.waiting_roles(near)
    assert {m.position.role for m in few.members} <= waiting < {m.position.role for m in everyone.members}
    assert few.reasons([far, near]) == everyone.reasons([far, near]) and far.id in few.reasons([far, near])


def test_manager_sees_tanpa_petugas_on_inbox_and_home_and_assigns(app, staff):
    case = in_region(app, "cianjur", lambda: (lambda c: {"id": c.id, "ticket": c.ticket})(_far_home_visit()))
    manager = staff("manager", "cianjur")
    inbox = manager.get(f"/cases/?view=all&q={case['ticket']}").get_data(as_text=True)
    assert 'class="badge unstaffed"' in inbox and "Tidak ada Supervisor aktif" in inbox
    assert "kasus tanpa petugas" in manager.get("/home").get_data(as_text=True)
    page = manager.get("/cases/unstaffed").get_data(as_text=True)
    assert case["ticket"] in page
    supervisor_id = in_region(app, "cianjur", lambda: member("supervisor@cianjur.demo")[1].id)
    answer = manager.post(f"/cases/{case['id']}/assign", data={f"c{case['id'].hex[:8]}-target_id": str(supervisor_id)})
    assert answer.status_code == 302

    def after():
        c = case_of(case["id"])
        _u, supervisor = member("supervisor@cianjur.demo")
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == c.id,
                                                            CaseEvent.action == "reassign")).all()
        return (in_mine(supervisor, c), [t.key for t in allowed_steps(c, supervisor)],
                c.id in Staffing.now().unstaffed_ids(), len(events))
    mine, steps, unstaffed, events = in_region(app, "cianjur", after)
    assert mine and "approve_field_record" in steps and not unstaffed and events == 1


def test_staff_page_shows_the_cases_that_depend_only_on_this_person(app, staff):
    def build():
        near = home_visit(member("facilitator@cianjur.demo")[1], village_of("cianjur"))
        _u, supervisor = member("supervisor@cianjur.demo")
        return near.ticket, supervisor.id, near.id in {c.id for c in open_work(supervisor).uncovered}
    ticket, supervisor_id, uncovered = in_region(app, "cianjur", build)
    assert uncovered
    assert ticket in staff("manager", "cianjur").get(f"/settings/staff/{supervisor_id}").get_data(as_text=True)


# --- 3. Routing by service area decides who acts ------------------------------------------------


def _forwarded(slug, service_area):
    case = make_case(slug, service_area=service_area)
    step(case, "forward_to_back_office", member(f"intake_officer@{slug}.demo")[1])
    return case


def test_a_case_routed_to_the_back_office_waits_on_it_not_on_its_sections(region):
    region("cianjur")
    case = _forwarded("cianjur", "kependudukan")
    sections = [member(f"case_officer{n}@cianjur.demo")[1] for n in ("", "-2", "-3")]  # health, education, social
    back_office = member("case_officer-4@cianjur.demo")[1]
    assert back_office.position.unit.key == "back_office"
    for section in sections:
        assert not in_mine(section, case), section.position.unit.key
        assert allowed_steps(case, section) == [], section.position.unit.key
    assert in_mine(back_office, case) and allowed_steps(case, back_office)
    health = _forwarded("cianjur", "kesehatan")  # a section's case: the section and the back office above it
    assert in_mine(sections[0], health) and in_mine(back_office, health) and not in_mine(sections[1], health)


def test_a_unit_without_posts_of_its_own_still_reaches_its_sections(region):
    region("bekasi")  # Bekasi's back office has no post: its sections take kependudukan
    case = _forwarded("bekasi", "kependudukan")
    officer = member("case_officer@bekasi.demo")[1]
    assert in_mine(officer, case) and allowed_steps(case, officer)
    assert case.id not in Staffing.now().unstaffed_ids()


# --- 4. A second open case for the same person is announced at intake --------------------------


def _intake_payload(data, **over) -> dict:
    values = {
        "intake_token": uuid.uuid4().hex, "nik": data.nik, "kk_number": data.kk_number, "name": data.name,
        "birth_date": data.birth_date.isoformat(), "sex": data.sex, "address": "Jl. Melati No. 7 RT 02/RW 03",
        "village_code": data.village_code, "phone": "0812-3456-7001", "service_area": "kesehatan",
        "channel": "walk_in", "complaint": "Keluhan kedua: obat tidak tersedia di puskesmas.",
    }
    return values | over


def _cases_of(app, nik):
    def load():
        cases = db.session.scalars(select(Case).join(Case.citizen).where(Case.citizen.has(nik=nik))).all()
        return [(c.ticket, [(e.action, e.note) for e in c.events]) for c in cases]
    return in_region(app, "bekasi", load)


def test_intake_announces_the_open_case_and_adds_to_it_once(app, staff):
    def first():
        data = citizen_data("bekasi", name=f"Warga Dua Kali {uuid.uuid4().hex[:6]}")
        case = make_case("bekasi", data=data)
        return data, case.ticket, case.sop_version.sop.state(case.state).label
    data, ticket, stage = in_region(app, "bekasi", first)
    client = staff("intake_officer", "bekasi")
    asked = client.post("/intake/", data=_intake_payload(data))
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422 and ticket in html and stage in html
    assert "Tambahkan ke kasus ini" in html and "Buka kasus baru" in html
    assert len(_cases_of(app, data.nik)) == 1
    case_id = in_region(app, "bekasi", lambda: db.session.scalar(select(Case.id).where(Case.ticket == ticket)))
    form = _intake_payload(data, existing_case=str(case_id))
    assert client.post("/intake/", data=form).status_code == 302
    assert client.post("/intake/", data=form).status_code == 302  # the same form again: added once
    cases = _cases_of(app, data.nik)
    assert len(cases) == 1
    added = [note for action, note in cases[0][1] if action == "add_complaint"]
    assert added == ["Keluhan kedua: obat tidak tersedia di puskesmas."]


def test_intake_opens_a_new_case_when_the_officer_chooses_so(app, staff):
    data = in_region(app, "bekasi", lambda: (lambda d: (make_case("bekasi", data=d), d)[1])(
        citizen_data("bekasi", name=f"Warga Baru Lagi {uuid.uuid4().hex[:6]}")))
    client = staff("intake_officer", "bekasi")
    assert client.post("/intake/", data=_intake_payload(data, existing_case="new")).status_code == 302
    assert len(_cases_of(app, data.nik)) == 2
