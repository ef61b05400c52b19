"""Data updates for verval: proposing each kind (checked at its fields), never for another region or
outside one's villages; the list by kind, status and district with NIKs masked; one update's page.

Attackers first: another region's household, NIK, village or update; a facilitator outside their
villages; a role that may not propose; a supervisor's list outside their districts."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.errors import Conflict, Invalid
from app.extensions import db
from app.verval.models import DataUpdate
from app.verval.updates import propose
from tests.factories import member
from tests.helpers.households import Member, add_household, region_village, unique_kk, unique_nik
from tests.helpers.regions import in_region, read_in_region
from tests.helpers.verval import TWO_STAGES, district_village, submitted_update

SLUG = "payakumbuh"  # its demo facilitator works in the first village, its supervisor in the first district


def _owned_update():
    return {"update_id": submitted_update(district_village(0), by="facilitator@bekasi.demo", chain=TWO_STAGES).id}


def _owned_review():
    found = submitted_update(district_village(0), by="facilitator@bekasi.demo", chain=TWO_STAGES)
    return {"kind": found.kind, "record_id": found.id}


CROSS_TENANT = {
    "verval.update": ("GET", _owned_update),
    "verval.review": ("GET", _owned_review),
    "verval.review_decide": ("POST", _owned_review),
}


def _facilitator():
    return member(f"facilitator@{SLUG}.demo")[1]


def _head(village_code: str, **kw) -> dict:
    birth = kw.pop("birth", date(1975, 4, 9))
    return {"nik": unique_nik(village_code, birth, female=False), "name": "Kepala Baru", "relation_to_head": "head",
            "sex": "L", "birth_date": birth.isoformat(), **kw}


def _errors(call) -> dict:
    with pytest.raises(Invalid) as refused:
        call()
    return refused.value.errors


# --- attackers ------------------------------------------------------------------------------


def test_a_household_of_another_region_is_never_proposed_here(region):
    region(SLUG)
    own = region_village(0)
    region("bekasi")
    bekasi_village = region_village(0)
    bekasi_kk = unique_kk(bekasi_village.code)
    region(SLUG)
    facilitator = _facilitator()
    # A KK issued in another region.
    errors = _errors(lambda: propose("new_household", kk_number=bekasi_kk, nik="", reason="", member=facilitator,
                                     data={"village_code": own.code, "address": "Jl. A",
                                           "members": [_head(own.code)]}))
    assert "luar daerah ini" in errors["kk_number"][0]
    # A village of another region.
    errors = _errors(lambda: propose("new_household", kk_number=unique_kk(own.code), nik="", reason="",
                                     member=facilitator, data={"village_code": bekasi_village.code, "address": "Jl. A",
                                                               "members": [_head(own.code)]}))
    assert errors["village_code"]
    # A member whose NIK was issued in another region (and whom this region does not know).
    errors = _errors(lambda: propose("new_household", kk_number=unique_kk(own.code), nik="", reason="",
                                     member=facilitator, data={"village_code": own.code, "address": "Jl. A",
                                                               "members": [_head(bekasi_village.code)]}))
    assert "luar daerah ini" in errors["members-0-nik"][0]


def test_a_household_registered_in_another_region_is_not_found_here(region):
    region("bekasi")
    theirs = add_household([Member("Warga Bekasi")])
    region(SLUG)
    errors = _errors(lambda: propose("no_longer_poor", kk_number=theirs.kk_number, nik="", reason="Sudah bekerja",
                                     data={}, member=_facilitator()))
    assert errors["kk_number"]


def test_a_facilitator_proposes_only_in_their_villages(region):
    region(SLUG)
    elsewhere = add_household([Member("Warga Jauh")], village=district_village(1))
    errors = _errors(lambda: propose("no_longer_poor", kk_number=elsewhere.kk_number, nik="", reason="Sudah mampu",
                                     data={}, member=_facilitator()))
    assert "wilayah kerja" in errors["kk_number"][0]
    other_village = district_village(1)
    errors = _errors(lambda: propose("new_household", kk_number=unique_kk(region_village(0).code), nik="", reason="",
                                     member=_facilitator(), data={"village_code": other_village.code,
                                                                  "address": "Jl. B",
                                                                  "members": [_head(other_village.code)]}))
    assert "wilayah kerja" in errors["village_code"][0]


def test_only_those_who_propose_open_the_form_and_see_the_list(staff):
    assert staff("case_officer", SLUG).get("/verval/updates/new").status_code == 403
    assert staff("facilitator", SLUG).get("/verval/updates/new").status_code == 200
    assert staff("facilitator", SLUG).get("/verval/updates").status_code == 403  # their own: /mine
    assert staff("facilitator", SLUG).get("/verval/updates/mine").status_code == 200
    assert staff("intake_officer", SLUG).get("/verval/updates").status_code == 403


def test_a_supervisor_lists_only_their_districts_with_niks_masked(app, staff):
    def build():
        household = add_household([Member("Ibu Dekat")], village=district_village(0))
        far = add_household([Member("Ibu Jauh")], village=district_village(1))
        ids = []
        for h in (household, far):
            u = submitted_update(district_village(0 if h is household else 1), by=f"facilitator@{SLUG}.demo",
                                 kind="member_deceased", chain=TWO_STAGES, kk_number=h.kk_number)
            entry_nik = db.session.scalar(select(DataUpdate.kk_number).where(DataUpdate.id == u.id))
            ids.append((str(u.id), entry_nik))
        return ids
    (near_id, near_kk), (far_id, _far_kk) = in_region(app, SLUG, build)
    page = staff("supervisor", SLUG).get("/verval/updates?kind=member_deceased").get_data(as_text=True)
    assert near_id in page and far_id not in page
    assert near_kk not in page and near_kk[:6] + "••••••" + near_kk[-4:] in page
    assert staff("supervisor", SLUG).get(f"/verval/updates/{far_id}").status_code == 404
    manager_page = staff("manager", SLUG).get("/verval/updates?kind=member_deceased").get_data(as_text=True)
    assert near_id in manager_page and far_id in manager_page


# --- proposing each kind ----------------------------------------------------------------------


def test_a_facilitator_proposes_a_new_household_from_the_form(app, staff):
    village, kk, head, child = in_region(app, SLUG, lambda: (
        region_village(0).code, unique_kk(region_village(0).code),
        unique_nik(region_village(0).code, date(1980, 2, 3), female=False),
        unique_nik(region_village(0).code, date(2012, 7, 1), female=True)))
    client = staff("facilitator", SLUG)
    assert "Anggota 1" in client.get(f"/verval/updates/new?kk={kk}&kind=new_household").get_data(as_text=True)
    form = {"kk": kk, "kind": "new_household", "village_code": village, "address": "Jl. Baru 1",
            "members_count": "2", "reason": "Belum terdata",
            "members-0-nik": head, "members-0-name": "Budi", "members-0-relation_to_head": "head",
            "members-0-sex": "L", "members-0-birth_date": "1980-02-03", "members-0-education": "sma",
            "members-1-nik": child, "members-1-name": "Sari", "members-1-relation_to_head": "child",
            "members-1-sex": "P", "members-1-birth_date": "2012-07-02"}
    refused = client.post("/verval/updates/new", data=form)  # Sari's birth date does not match her NIK
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Tanggal lahir pada NIK" in body and 'value="Budi"' in body and 'value="Jl. Baru 1"' in body
    more = client.post("/verval/updates/new", data={**form, "add_member": "1"}).get_data(as_text=True)
    assert "Anggota 3" in more and 'value="Sari"' in more
    response = client.post("/verval/updates/new", data={**form, "members-1-birth_date": "2012-07-01"})
    assert response.status_code == 302
    update_id = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/verval/updates/{update_id}").get_data(as_text=True)
    assert "Budi" in page and head[:6] + "••••••" in page and "Tahap terbuka" in page
    assert head not in page
    found = read_in_region(app, SLUG, lambda: db.session.scalar(select(DataUpdate).where(DataUpdate.kk_number == kk)))
    assert (found.kind, found.status, found.stage, found.nik) == ("new_household", "pending", 0, "")
    assert [m["name"] for m in found.data["members"]] == ["Budi", "Sari"] and found.chain
    assert client.post("/verval/updates/new", data=form | {"members-1-birth_date": "2012-07-01"}).status_code == 409


def test_each_kind_is_checked_at_its_fields(region):
    region(SLUG)
    household = add_household([Member("Pak Tua", sex="L", birth_date=date(1950, 1, 1)),
                               Member("Bu Tua", relation_to_head="spouse", birth_date=date(1955, 5, 5))])
    kk, head_nik = household.kk_number, _nik_of(household, "Pak Tua")
    f = _facilitator()
    future = (date.today() + timedelta(days=3)).isoformat()
    assert "changes" in _errors(lambda: propose("member_changed", kk_number=kk, nik=head_nik, reason="", member=f,
                                                data={"changes": {"name": "Pak Tua"}}))
    assert "new-education" in _errors(lambda: propose("member_changed", kk_number=kk, nik=head_nik, reason="",
                                                      member=f, data={"changes": {"education": "phd"}}))
    assert "new-birth_date" in _errors(lambda: propose("member_changed", kk_number=kk, nik=head_nik, reason="",
                                                       member=f, data={"changes": {"birth_date": "1951-01-01"}}))
    assert "date" in _errors(lambda: propose("member_deceased", kk_number=kk, nik=head_nik, reason="", member=f,
                                             data={"date": future}))
    assert "destination" in _errors(lambda: propose("member_moved", kk_number=kk, nik=head_nik, reason="", member=f,
                                                    data={"destination": ""}))
    assert "nik" in _errors(lambda: propose("member_moved", kk_number=kk, nik="1376010101010001", reason="",
                                            member=f, data={"destination": "Padang"}))
    assert "reason" in _errors(lambda: propose("no_longer_poor", kk_number=kk, nik="", reason=" ", member=f, data={}))
    born = {"nik": head_nik, "name": "Bayi", "relation_to_head": "head", "sex": "L", "birth_date": "1950-01-01"}
    errors = _errors(lambda: propose("member_born", kk_number=kk, nik="", reason="", member=f, data={"member": born}))
    assert {"member-nik", "member-relation_to_head"} <= set(errors)
    errors = _errors(lambda: propose("new_household", kk_number=kk, nik="", reason="", member=f,
                                     data={"village_code": region_village(0).code, "address": "x",
                                           "members": [_head(region_village(0).code)]}))
    assert "sudah ada di data terpadu" in errors["kk_number"][0]
    errors = _errors(lambda: propose("new_household", kk_number=unique_kk(region_village(0).code), nik="", reason="",
                                     member=f, data={"village_code": region_village(0).code, "address": "x",
                                                     "members": [{**_head(region_village(0).code),
                                                                  "relation_to_head": "child"}]}))
    assert "kepala keluarga" in errors["members"][0]


def _nik_of(household, name):
    from app.citizens.models import RegisterEntry

    return db.session.scalar(select(RegisterEntry.nik).where(RegisterEntry.kk_number == household.kk_number,
                                                             RegisterEntry.name == name))


def test_a_change_keeps_old_and_new_and_a_duplicate_is_refused(region):
    region(SLUG)
    household = add_household([Member("Pak Ubah", sex="L", education="sd", occupation="Petani")])
    nik = _nik_of(household, "Pak Ubah")
    update = propose("member_changed", kk_number=household.kk_number, nik=nik, reason="Lulus paket B",
                     member=_facilitator(), data={"changes": {"education": "smp", "occupation": "Petani"}})
    assert update.data["changes"] == {"education": {"old": "sd", "new": "smp"}}
    assert update.data["name"] == "Pak Ubah" and update.district_code == household.village_code.rsplit(".", 1)[0]
    with pytest.raises(Conflict):
        propose("member_changed", kk_number=household.kk_number, nik=nik, reason="", member=_facilitator(),
                data={"changes": {"education": "sma"}})
    deceased = propose("member_deceased", kk_number=household.kk_number, nik=nik, reason="", member=_facilitator(),
                       data={"date": date.today().isoformat()})
    assert deceased.status == "pending" and deceased.chain


def test_the_list_filters_by_kind_status_and_district_with_an_htmx_fragment(app, staff):
    def build():
        a = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", kind="member_moved",
                             chain=TWO_STAGES)
        b = submitted_update(district_village(1), by=f"facilitator@{SLUG}.demo", kind="member_moved",
                             chain=TWO_STAGES)
        return str(a.id), str(b.id), district_village(1).district_code
    first, second, district = in_region(app, SLUG, build)
    client = staff("manager", SLUG)
    fragment = client.get(f"/verval/updates?kind=member_moved&district={district}",
                          headers={"HX-Request": "true", "HX-Target": "update-list"}).get_data(as_text=True)
    assert "<html" not in fragment and second in fragment and first not in fragment
    page = client.get("/verval/updates?kind=member_moved&status=approved").get_data(as_text=True)
    assert first not in page and second not in page
    assert re.search(r"\d+ usulan", client.get("/verval/updates?kind=bogus&page=x").get_data(as_text=True))
