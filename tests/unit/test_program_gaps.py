"""Eligibility gaps: what a household appears to qualify for and lacks, and turning a gap into a referral."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.programs.catalogue import program_by_code, seed_national_programs
from app.programs.eligibility import gap_counts, gaps
from app.programs.facts import household_facts
from tests.helpers.households import Member, add_household, region_village
from tests.helpers.regions import in_region, read_in_region


def _household(members, **kw):
    seed_national_programs()
    return add_household(members, **kw).kk_number


def _school_family(**kw):
    return _household([Member("Ibu Uji", birth_date=date(1985, 1, 1)),
                       Member("Anak Uji", "child", "L", date(2014, 3, 1), programs=kw.pop("child_programs", [])),
                       Member("Adik Uji", "child", "P", date(2016, 3, 1))], **kw)


def _gap_values():
    return {"kk_number": _school_family(decile=2)}


def _refer_values():
    return {"kk_number": _school_family(decile=2), "program_id": program_by_code("PKH").id}


CROSS_TENANT = {
    "programs.household_gaps": ("GET", _gap_values),
    "programs.gap_refer": ("POST", _refer_values),
}


def test_gaps_are_programs_qualified_for_and_not_received(region):
    region("cianjur")
    kk = _school_family(decile=2, programs=["bpnt"], housing="decent", village=region_village())
    codes = [g.program.code for g in gaps(household_facts(kk))]
    assert "PKH" in codes and "PIP" in codes and "PBI_JK" in codes
    assert "BPNT" not in codes  # received (register flag)
    assert "RS_RTLH" not in codes  # decent housing
    pkh = next(g for g in gaps(household_facts(kk)) if g.program.code == "PKH")
    program, results = pkh
    assert program.code == "PKH" and all(r.met for r in results)


def test_a_per_person_program_is_a_gap_for_the_member_who_lacks_it(region):
    region("cianjur")
    kk = _school_family(decile=3, child_programs=["pip"])
    pip = next(g for g in gaps(household_facts(kk)) if g.program.code == "PIP")
    assert [m.name for m in pip.members] == ["Adik Uji"]


def test_a_well_off_household_has_no_gaps_and_inactive_programs_are_skipped(region):
    region("cianjur")
    assert gaps(household_facts(_school_family(decile=8, housing="decent"))) == []
    kk = _school_family(decile=1)
    program_by_code("PKH").active = False
    db.session.flush()
    assert "PKH" not in [g.program.code for g in gaps(household_facts(kk))]


def test_blt_dana_desa_only_in_a_desa_for_those_without_pkh_or_bpnt(region):
    region("bekasi")  # a city: kelurahan only
    assert "BLT_DD" not in [g.program.code for g in gaps(household_facts(_school_family(decile=1)))]
    region("cianjur")
    desa = next(v for i in range(200) if (v := region_village(i)).code.rsplit(".", 1)[1].startswith("2"))
    codes = [g.program.code for g in gaps(household_facts(_school_family(decile=1, village=desa)))]
    assert "BLT_DD" in codes
    codes = [g.program.code for g in gaps(household_facts(_school_family(decile=1, village=desa, programs=["pkh"])))]
    assert "BLT_DD" not in codes


def test_bulk_gap_counts(region):
    region("cianjur")
    kk = _school_family(decile=2)
    found = dict(gap_counts([household_facts(kk)]))
    assert {"PKH", "PIP"} <= set(found[kk])


def test_the_gaps_page_shows_each_condition_met(app, staff):
    kk = in_region(app, "cianjur", lambda: _school_family(decile=2))
    page = staff("intake_officer", "cianjur").get(f"/programs/gaps/{kk}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Program Keluarga Harapan (PKH)" in text and "✓ Desil kesejahteraan paling tinggi 4" in text
    assert f"KK {kk[:6]}••••••{kk[-4:]}" in text  # masked in the heading (it is in the links, as on the household page)


def test_a_facilitator_sees_gaps_only_in_their_villages(app, staff):
    far = in_region(app, "cianjur", lambda: _school_family(decile=2, village=region_village(150)))
    assert staff("facilitator", "cianjur").get(f"/programs/gaps/{far}").status_code == 404


def test_referring_a_gap_starts_an_intake_prefilled_for_the_head(app, staff):
    kk = in_region(app, "cianjur", lambda: _school_family(decile=2))
    program_id = read_in_region(app, "cianjur", lambda: program_by_code("PKH").id)
    officer = staff("intake_officer", "cianjur")
    response = officer.post(f"/programs/gaps/{kk}/{program_id}/refer")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/intake/" in location and "nik=" in location and "complaint=Rujukan+ke+Program+Keluarga+Harapan" in location
    events = read_in_region(app, "cianjur", lambda: db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "program.gap.refer", AuditEvent.object_id == kk)).all())
    assert events and events[0]["program"] == "PKH" and events[0]["via"] == "intake"


def test_referring_what_is_no_longer_a_gap_says_so(app, staff):
    kk = in_region(app, "cianjur", lambda: _school_family(decile=2, programs=["pkh"]))
    program_id = read_in_region(app, "cianjur", lambda: program_by_code("PKH").id)
    response = staff("intake_officer", "cianjur").post(f"/programs/gaps/{kk}/{program_id}/refer")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/programs/gaps/{kk}")


def test_a_household_with_an_open_case_is_referred_at_its_case(app, staff):
    from tests.factories import make_case

    def make():
        case = make_case("cianjur")
        kk = _household([Member("Kepala Kasus", nik=case.citizen.nik)], decile=1,
                        village=case.citizen.village)
        return kk, case.id
    kk, case_id = in_region(app, "cianjur", make)
    program_id = read_in_region(app, "cianjur", lambda: program_by_code("BPNT").id)
    response = staff("manager", "cianjur").post(f"/programs/gaps/{kk}/{program_id}/refer")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case_id}")
