"""The household page: who may open it, what it shows (masked), that each view and reveal is audited."""
from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.programs.catalogue import program_by_code, seed_national_programs
from app.programs.facts import household_facts
from app.programs.models import Need
from app.programs.participation import record_need, record_participation
from app.tenancy.context import tenant_context
from tests.factories import make_case, member, tenant
from tests.helpers.households import Member, add_household, region_village

SLUG = "bekasi"


def in_region(app, slug, fn):
    with app.app_context(), tenant_context(tenant(slug)):
        seed_national_programs()
        result = fn()
        db.session.commit()
        return result


def _household(village_index: int = 0, **kw):
    household = add_household([Member("Ratna Dewi", occupation="Buruh cuci", programs=["pbi_jk"]),
                               Member("Agus", "spouse", "L", date(1950, 2, 2), disability="physical"),
                               Member("Nina", "child", "P", date(2016, 8, 9))],
                              village=region_village(village_index), decile=1, programs=["pkh"], **kw)
    return household.kk_number


def _participation_in_owner_region():
    kk = _household()
    row = record_participation(kk_number=kk, nik="", program="BPNT", source="document", since=None, verified=False,
                               note="", member=member(f"facilitator@{SLUG}.demo")[1])
    return {"kk_number": kk, "record_id": row.id}


CROSS_TENANT = {
    "households.show": ("GET", lambda: {"kk_number": _in_owner()}),
    "households.reveal_nik": ("POST", lambda: {"kk_number": _in_owner(), "index": 0}),
    "households.new_participation": ("GET", lambda: {"kk_number": _in_owner()}),
    "households.new_need": ("GET", lambda: {"kk_number": _in_owner()}),
    "households.end": ("GET", _participation_in_owner_region),
}


def _in_owner():
    seed_national_programs()
    return _household()


@pytest.fixture(scope="module")
def homes(app):
    """Households in the demo facilitator's village, another village of that district, another district."""
    return in_region(app, SLUG, lambda: {"home": _household(0), "neighbour": _household(1),
                                         "far": _household(40)})


# ---------------------------------------------------------------- who may open it

@pytest.mark.parametrize("role, own, foreign", [
    ("facilitator", "home", "neighbour"),  # own villages
    ("supervisor", "neighbour", "far"),    # own districts
])
def test_area_bound_roles_see_only_their_area(homes, staff, role, own, foreign):
    client = staff(role, SLUG)
    assert client.get(f"/households/{homes[own]}").status_code == 200
    assert client.get(f"/households/{homes[foreign]}").status_code == 404


def test_region_wide_roles_see_every_household_and_others_are_refused(homes, staff):
    for kk in homes.values():
        assert staff("manager", SLUG).get(f"/households/{kk}").status_code == 200
    assert staff("monitoring_officer", SLUG).get(f"/households/{homes['home']}").status_code == 403
    assert staff("manager", "cianjur").get(f"/households/{homes['home']}").status_code == 404
    assert staff("manager", SLUG).get("/households/123").status_code == 404
    assert staff("manager", SLUG).get(f"/households/{uuid.uuid4().int % 10**16:016d}").status_code == 404


# ---------------------------------------------------------------- what it shows

def test_the_page_shows_members_register_and_programs_with_nik_masked(app, homes, staff):
    kk = homes["home"]
    page = staff("facilitator", SLUG).get(f"/households/{kk}").get_data(as_text=True)
    assert "Ratna Dewi" in page and "Agus" in page and "Nina" in page and "Buruh cuci" in page
    assert "Kepala keluarga" in page and "Disabilitas fisik" in page and "Lanjut usia" in page
    assert "Terdaftar" in page and 'class="decile">1<' in page
    assert "PKH" in page or "Keluarga Harapan" in page
    niks = in_region(app, SLUG, lambda: [m.nik for m in household_facts(kk).members])
    assert all(nik not in page for nik in niks)
    assert kk not in re.sub(r'"[^"]*"', "", page)  # only in links, never shown
    events = in_region(app, SLUG, lambda: db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "household.view", AuditEvent.object_id == kk)).all())
    assert events


def test_records_show_their_review_state(app, homes, staff):
    kk = homes["home"]

    def build():
        facilitator = member(f"facilitator@{SLUG}.demo")[1]
        record_participation(kk_number=kk, nik="", program="RS_RTLH", source="field_visit", since=date(2023, 5, 1),
                             verified=True, note="", member=facilitator)
        need = record_need(kk_number=kk, nik="", service_area="kesehatan", reason="Kontrol jantung rutin.",
                           member=facilitator)
        rejected = record_need(kk_number=kk, nik="", program="BLT_DD", reason="Perlu pendampingan.",
                               member=facilitator)
        rejected.status, rejected.note = "rejected", "Sudah ditangani dinas."
        return need.id
    in_region(app, SLUG, build)
    page = staff("facilitator", SLUG).get(f"/households/{kk}").get_data(as_text=True)
    assert "Kontrol jantung rutin." in page and "Dalam penelaahan" in page and "tahap 1 dari 2" in page
    assert "Ditolak" in page and "Sudah ditangani dinas." in page
    assert "Catat berakhir" in page


def test_a_household_known_only_from_intake_has_a_page_with_its_case(app, staff):
    case = in_region(app, SLUG, lambda: (lambda c: {"kk": c.citizen.kk_number, "ticket": c.ticket,
                                                    "state": str(c.sop_version.sop.state(c.state).label)})(
        make_case(SLUG)))
    page = staff("intake_officer", SLUG).get(f"/households/{case['kk']}").get_data(as_text=True)
    assert "Tidak terdaftar" in page and case["ticket"] in page
    assert f'<span class="state">{case["state"]}</span>' in page


def test_the_case_page_links_to_the_household(app, staff):
    case = in_region(app, SLUG, lambda: (lambda c: {"id": c.id, "kk": c.citizen.kk_number})(make_case(SLUG)))
    page = staff("intake_officer", SLUG).get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "Lihat rumah tangga" in page and f"/households/{case['kk']}?case={case['id']}" in page
    assert "Lihat rumah tangga" not in staff("monitoring_officer", SLUG).get(f"/cases/{case['id']}").get_data(
        as_text=True)


def test_reveal_is_audited(app, homes, staff):
    kk = homes["home"]
    client = staff("facilitator", SLUG)
    response = client.post(f"/households/{kk}/members/0/reveal-nik", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "nik-full" in response.get_data(as_text=True)
    full = client.post(f"/households/{kk}/members/1/reveal-nik").get_data(as_text=True)  # without htmx: the page
    assert full.count("nik-full") == 1 and "Anggota rumah tangga" in full
    assert client.post(f"/households/{kk}/members/9/reveal-nik").status_code == 404
    assert staff("facilitator", SLUG).post(f"/households/{homes['far']}/members/0/reveal-nik").status_code == 404
    events = in_region(app, SLUG, lambda: db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "citizen.reveal_nik", AuditEvent.object_id == kk)).all())
    assert len(events) == 2


# ---------------------------------------------------------------- search

def test_search_by_number_and_by_name_in_a_village(app, homes, staff):
    kk = homes["home"]
    client = staff("facilitator", SLUG)
    page = client.get(f"/households/?q={kk}").get_data(as_text=True)
    assert "Ratna Dewi" in page and f"/households/{kk}" in page  # the head stands for the household
    fragment = client.get(f"/households/?q={kk}", headers={"HX-Request": "true", "HX-Target": "household-results"})
    assert "<html" not in fragment.get_data(as_text=True) and "Ratna Dewi" in fragment.get_data(as_text=True)
    village = in_region(app, SLUG, lambda: region_village(0).code)
    page = client.get(f"/households/?q=ratna&village={village}").get_data(as_text=True)
    assert f"/households/{kk}" in page
    far_village = in_region(app, SLUG, lambda: region_village(40).code)
    refused = client.get(f"/households/?q=ratna&village={far_village}").get_data(as_text=True)
    assert "di luar wilayah kerja Anda" in refused
    assert f"/households/{homes['far']}" not in client.get(f"/households/?q={homes['far']}").get_data(as_text=True)
    assert "16 angka" in client.get("/households/?q=3275").get_data(as_text=True)
    assert "Pilih kelurahan/desa" in client.get("/households/?q=ratna").get_data(as_text=True)
    logged = in_region(app, SLUG, lambda: [e.detail for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "household.search"))])
    assert {"term": kk[:6] + "••••••" + kk[-4:], "village": "", "found": 1} in logged


# ---------------------------------------------------------------- recording through the forms

def test_recording_participation_and_a_need_through_the_forms(app, staff):
    kk = in_region(app, SLUG, _household)
    client = staff("facilitator", SLUG)
    form = client.get(f"/households/{kk}/participation/new").get_data(as_text=True)
    assert "Seluruh rumah tangga" in form and "Ratna Dewi" in form
    refused = client.post(f"/households/{kk}/participation/new", data={"source": "field_visit", "member": ""})
    assert refused.status_code == 422 and "Pilih program." in refused.get_data(as_text=True)
    done = client.post(f"/households/{kk}/participation/new", data={
        "program": "BPNT", "member": "", "source": "document", "since": "2024-02-01", "verified": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/households/{kk}")
    twice = client.post(f"/households/{kk}/participation/new", data={
        "program": "BPNT", "member": "", "source": "document"})
    assert twice.status_code == 409 and "sudah tercatat" in twice.get_data(as_text=True)
    need = client.post(f"/households/{kk}/needs/new", data={"program": "", "service_area": "pendidikan",
                                                           "member": "2", "reason": "Seragam sekolah."})
    assert need.status_code == 302
    saved = in_region(app, SLUG, lambda: db.session.execute(select(Need.service_area, Need.nik).where(
        Need.kk_number == kk)).one())
    nina = in_region(app, SLUG, lambda: next(m.nik for m in household_facts(kk).members if m.name == "Nina"))
    assert saved == ("pendidikan", nina)  # the third on the page
    mine = client.get("/households/my-records").get_data(as_text=True)
    assert "Pendidikan" in mine and "Dalam penelaahan" in mine


def test_roles_without_the_right_cannot_record(app, homes, staff):
    assert staff("manager", SLUG).get(f"/households/{homes['home']}/participation/new").status_code == 403
    assert staff("manager", SLUG).get("/households/my-records").status_code == 403
    assert staff("facilitator", SLUG).get(f"/households/{homes['far']}/needs/new").status_code == 404


def test_recording_from_a_case_links_it(app, staff):
    def build():
        case = make_case(SLUG, by=f"intake_officer@{SLUG}.demo")
        add_household([Member("Warga Kasus", nik=case.citizen.nik)], kk_number=case.citizen.kk_number,
                      village=region_village(0))
        return {"id": str(case.id), "kk": case.citizen.kk_number}
    case = in_region(app, SLUG, build)
    client = staff("intake_officer", SLUG)
    form = client.get(f"/households/{case['kk']}/needs/new?case={case['id']}").get_data(as_text=True)
    assert f'value="{case["id"]}"' in form
    done = client.post(f"/households/{case['kk']}/needs/new", data={
        "program": "RS_RTLH", "member": "", "reason": "Atap bocor.", "case": case["id"]})
    assert done.status_code == 302 and f"case={case['id']}" in done.headers["Location"]
    saved = in_region(app, SLUG, lambda: db.session.execute(select(Need.case_id, Need.program_id).where(
        Need.kk_number == case["kk"])).one())
    assert str(saved[0]) == case["id"] and saved[1] == in_region(app, SLUG, lambda: program_by_code("RS_RTLH").id)
    assert client.get(f"/households/{case['kk']}/needs/new?case={uuid.uuid4()}").status_code == 404
    other = in_region(app, SLUG, lambda: str(make_case(SLUG).id))
    wrong = client.post(f"/households/{case['kk']}/needs/new", data={
        "program": "", "service_area": "sosial", "member": "", "reason": "x", "case": other})
    assert wrong.status_code == 422 and "bukan milik anggota rumah tangga" in wrong.get_data(as_text=True)


def test_ending_through_the_form(app, staff):
    values = in_region(app, SLUG, _participation_in_owner_region)
    client = staff("facilitator", SLUG)
    url = f"/households/{values['kk_number']}/participation/{values['record_id']}/end"
    assert client.post(url, data={"ended_at": "", "note": ""}).status_code == 422
    assert client.post(url, data={"ended_at": "2025-01-31", "note": "Tidak lagi menerima."}).status_code == 302
    page = client.get(f"/households/{values['kk_number']}").get_data(as_text=True)
    assert "berakhir 31-01-2025" in page
