"""Case pages and the intake look-up follow the member's work area and unit.

The case routes come from the app's URL map, as in test_cross_tenant_routes: every rule
with a case argument needs an entry in AREA_ROUTES, so a new case route added without one
fails `test_every_case_route_has_an_area_case`; with one, the parametrized checks below
fail unless the route applies the access rule (404 outside the member's area or unit).
"""
from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.casework.intake import CitizenData
from app.casework.models import Case
from app.casework.steps import StepInput, take_step
from app.citizens.models import RegisterEntry, RegisterImport
from app.extensions import db
from app.permissions import roles_for
from app.reference.models import District, Village
from app.tenancy.context import tenant_context
from tests.factories import make_case, make_kk, make_nik, member, tenant
from tests.helpers.attachments import file_on_case, png_bytes
from tests.helpers.letters import letter_on

REGION = "bekasi"
CASE_ARGUMENTS = {"case_id", "ticket"}


def _values(case):
    return {"case_id": case["id"]}


def _attachment_values(case):
    return {"case_id": case["id"], "attachment_id": file_on_case(REGION, case["id"], f"intake_officer@{REGION}.demo")}


def _letter_values(case):
    return {"case_id": case["id"], "letter_id": letter_on(case["id"], REGION)}


def _step_values(case):
    return {"case_id": case["id"], "key": "forward_to_back_office"}


#: endpoint → (method, URL values of a case, form data, status for a member whose area covers it)
AREA_ROUTES = {
    "cases.show": ("GET", _values, lambda c: None, 200),
    # Not the role's step: 403 once the case is visible, 404 when it is not.
    "cases.step": ("POST", _step_values, lambda c: {"forward_to_back_office-version": c["version"]}, 403),
    "cases.reveal_nik": ("POST", _values, lambda c: None, 200),
    "intake.receipt": ("GET", _values, lambda c: None, 200),
    # Only a manager assigns: 403 once the case is visible, 404 when it is not.
    "cases.assign": ("POST", _values, lambda c: None, 403),
    "intake.receipt_pdf": ("GET", _values, lambda c: None, 200),
    "cases.referral_letter": ("GET", _letter_values, lambda c: None, 200),
    "attachments.case_list": ("GET", _values, lambda c: None, 200),
    "attachments.upload": ("POST", _values, lambda c: {"kind": "photo", "file": (io.BytesIO(png_bytes()), "a.png")},
                           302),
    # Not the uploader nor a manager: 403 once the case is visible, 404 when it is not.
    "attachments.delete": ("POST", _attachment_values, lambda c: None, 403),
    # Correcting: the case officer may (CORRECT_CASE), the others may not: 403 once visible.
    "cases.correct": ("GET", _values, lambda c: None, {"case_officer": 200, "supervisor": 403, "facilitator": 403}),
    # Managing needs MANAGE_CASES, checked before the case is looked at: 403 for these roles either way.
    **{endpoint: ("POST", _values, lambda c: None, 403) for endpoint in (
        "cases.withdraw", "cases.merge", "cases.reassign", "cases.priority", "cases.follow_up")},
}

#: member → (the case they may open, the case outside their area or unit)
MEMBERS = {
    "supervisor": ("home", "other_district"),    # works in the first district
    "facilitator": ("home", "other_village"),    # works in the first village
    "case_officer": ("home", "other_section"),   # back office, education section
}


#: Case routes a staff member's area does not govern, and why.
NOT_AREA_BOUND = {
    "api.case": "the region's API token reads region-wide, with no names or NIK (tests/unit/test_api.py)",
    "api.case_status": "the region's API token reads region-wide, with no names or NIK (tests/unit/test_api.py)",
}


def case_routes(app):
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments)
        if rule.endpoint in NOT_AREA_BOUND:
            continue
        if args & CASE_ARGUMENTS or (rule.endpoint.startswith("cases.") and args):
            yield rule


def test_every_case_route_has_an_area_case(app):
    missing = sorted(r.endpoint for r in case_routes(app) if r.endpoint not in AREA_ROUTES)
    assert missing == [], f"case routes without an area test: {missing}"


def _villages(slug):
    region = tenant(slug)
    districts = db.session.scalars(select(District).where(District.regency_code == region.region_code)
                                   .order_by(District.code)).all()
    first = db.session.scalars(select(Village).where(Village.district_code == districts[0].code)
                               .order_by(Village.code)).all()
    other = db.session.scalar(select(Village).where(Village.district_code == districts[1].code)
                              .order_by(Village.code))
    return first[0], first[1], other


def _person(village, name="Warga Wilayah", sex="P", birth=date(1981, 5, 9)):
    return CitizenData(nik=make_nik(village.code, birth, sex), kk_number=make_kk(village.code),
                       name=f"{name} {uuid.uuid4().hex[:6]}", birth_date=birth, sex=sex,
                       address=f"Jl. Wilayah {uuid.uuid4().hex[:6]}", village_code=village.code)


def in_region(app, slug, fn):
    with app.app_context(), tenant_context(tenant(slug)):
        result = fn()
        db.session.commit()
        return result


def _facts(case):
    return {"id": case.id, "ticket": case.ticket, "version": case.version, "nik": case.citizen.nik}


@pytest.fixture(scope="module")
def cases(app):
    """Cases recorded at the front office: in the demo staff's village, elsewhere, another section's."""
    def build():
        home, neighbour, far = _villages(REGION)
        return {
            "home": _facts(make_case(REGION, service_area="pendidikan", data=_person(home))),
            "other_village": _facts(make_case(REGION, service_area="pendidikan", data=_person(neighbour))),
            "other_district": _facts(make_case(REGION, service_area="pendidikan", data=_person(far))),
            "other_section": _facts(make_case(REGION, service_area="kesehatan", data=_person(home))),
        }
    return in_region(app, REGION, build)


def _open(client, endpoint, case):
    method, values, form, _expected = AREA_ROUTES[endpoint]
    from flask import url_for
    with client.app.test_request_context():
        path = url_for(endpoint, **values(case))
    return client.client.open(path, method=method, base_url=client.base_url, data=form(case))


@pytest.mark.parametrize("endpoint", sorted(AREA_ROUTES))
@pytest.mark.parametrize("role", sorted(MEMBERS))
def test_case_outside_the_members_area_or_unit_is_404(cases, staff, role, endpoint):
    own, foreign = MEMBERS[role]
    client = staff(role, REGION)
    expected = AREA_ROUTES[endpoint][3]
    expected = expected[role] if isinstance(expected, dict) else expected
    assert _open(client, endpoint, cases[own]).status_code == expected
    # A capability the role lacks refuses before any case is loaded: that 403 reveals nothing.
    foreign_status = 403 if _refused_by_capability(client.app, endpoint, role) else 404
    assert _open(client, endpoint, cases[foreign]).status_code == foreign_status


def _refused_by_capability(app, endpoint, role) -> bool:
    capability = getattr(app.view_functions[endpoint], "required_capability", None)
    with app.app_context():
        return capability is not None and role not in roles_for(capability, tenant(REGION))


@pytest.mark.parametrize("role", ["manager", "intake_officer", "monitoring_officer"])
def test_region_wide_roles_open_every_case(cases, staff, role):
    client = staff(role, REGION)
    for case in cases.values():
        assert client.get(f"/cases/{case['id']}").status_code == 200


def test_inbox_lists_only_what_the_case_page_opens(app, cases, staff):
    def forwarded():
        case = make_case(REGION, service_area="kesehatan", data=_person(_villages(REGION)[0]))
        user, membership = member(f"intake_officer@{REGION}.demo")
        take_step(case, "forward_to_back_office", StepInput(), user=user, membership=membership,
                  expected_version=case.version)
        return case.ticket
    health = in_region(app, REGION, forwarded)  # now waits on the health section's case officers
    supervisor = staff("supervisor", REGION).get("/cases/?view=all").get_data(as_text=True)
    assert cases["other_district"]["ticket"] not in supervisor
    assert health not in staff("case_officer", REGION).get("/cases/?view=all").get_data(as_text=True)
    assert health in staff("case_officer-2", REGION).get("/cases/?view=all").get_data(as_text=True)


def test_a_case_stays_visible_to_whoever_recorded_and_holds_it(app, staff):
    """A Puskesos officer (village-bound) records for a citizen of another village: it stays theirs."""
    slug = "batubara"
    data = in_region(app, slug, lambda: _person(_villages(slug)[2]))
    case = in_region(app, slug, lambda: _facts(make_case(slug, channel="welfare_center", data=data,
                                                         by=f"intake_officer-2@{slug}.demo")))
    recorder = staff("intake_officer-2", slug)
    assert recorder.get(f"/intake/cases/{case['id']}/receipt").status_code == 200
    assert recorder.get(f"/cases/{case['id']}").status_code == 200
    assert case["ticket"] in recorder.get("/cases/").get_data(as_text=True)
    assert in_region(app, slug, lambda: db.session.get(Case, (tenant(slug).id, case["id"])).assignee_id) is not None
    # A colleague at the same Puskesos (same village) who does not hold it does not see it.
    assert staff("welfare_center_coordinator", slug).get(f"/cases/{case['id']}").status_code == 404


# --- the NIK look-up at intake ------------------------------------------------------------------


def _known_and_registered(slug, village):
    """A citizen known here (a past case) who is also in the register extract."""
    data = _person(village, name="Warga Dikenal")
    make_case(slug, data=data)
    user, _m = member(f"manager@{slug}.demo")
    batch = RegisterImport(filename="uji.csv", row_count=1, imported_by=user.id)
    db.session.add(batch)
    db.session.flush()
    db.session.add(RegisterEntry(nik=data.nik, kk_number=data.kk_number, name=data.name, address=data.address,
                                 village_code=data.village_code, import_id=batch.id))
    return {"nik": data.nik, "name": data.name, "address": data.address}


def _lookups(app, slug, actor):
    def load():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "citizen.lookup",
                                                           AuditEvent.actor == actor)).all()
    return in_region(app, slug, lambda: [(e.object_type, e.detail) for e in load()])


def test_facilitator_looks_up_a_person_of_their_own_village(app, staff):
    person = in_region(app, "cianjur", lambda: _known_and_registered("cianjur", _villages("cianjur")[0]))
    client = staff("facilitator", "cianjur")
    fragment = client.get(f"/intake/register-check?nik={person['nik']}").get_data(as_text=True)
    assert person["name"] in fragment and "Terdaftar di" in fragment
    form = client.get(f"/intake/?nik={person['nik']}").get_data(as_text=True)
    assert person["address"] in form


def test_facilitator_gets_no_personal_data_of_another_village(app, staff):
    person = in_region(app, "cianjur", lambda: _known_and_registered("cianjur", _villages("cianjur")[1]))
    client = staff("facilitator", "cianjur")
    fragment = client.get(f"/intake/register-check?nik={person['nik']}").get_data(as_text=True)
    assert "Terdaftar di" in fragment  # the check's result
    assert "di luar wilayah kerja Anda" in fragment
    assert person["name"] not in fragment and person["nik"][-4:] not in fragment
    form = client.get(f"/intake/?nik={person['nik']}").get_data(as_text=True)
    assert person["name"] not in form and person["address"] not in form
    assert f'value="{person["nik"]}"' in form  # what was typed stays
    post = client.post("/intake/", data={"nik": person["nik"], "kk_number": ""}).get_data(as_text=True)
    assert person["name"] not in post


def test_each_lookup_of_a_person_is_audited_with_the_nik_masked(app, staff):
    person = in_region(app, "bekasi", lambda: _known_and_registered("bekasi", _villages("bekasi")[2]))
    client = staff("intake_officer", "bekasi")  # region-wide: sees every village
    assert person["name"] in client.get(f"/intake/register-check?nik={person['nik']}").get_data(as_text=True)
    assert person["address"] in client.get(f"/intake/?nik={person['nik']}").get_data(as_text=True)
    events = _lookups(app, "bekasi", "intake_officer@bekasi.demo")
    masked = person["nik"][:6] + "••••••" + person["nik"][-4:]
    mine = [(kind, detail) for kind, detail in events if detail.get("nik") == masked]
    assert len(mine) == 2 and all(detail["shown"] for _k, detail in mine)
    assert person["nik"] not in str(events)
    client_far = staff("facilitator", "bekasi")
    client_far.get(f"/intake/register-check?nik={person['nik']}")
    withheld = _lookups(app, "bekasi", "facilitator@bekasi.demo")
    assert any(d.get("nik") == masked and d["shown"] is False for _k, d in withheld)
