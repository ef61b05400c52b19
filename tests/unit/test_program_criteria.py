"""Criteria as data: checking conditions as typed, saying them in words, evaluating them."""
from datetime import date

import pytest

from app.programs.catalogue import national_codes, national_programs
from app.programs.criteria import check_conditions, check_ranking, condition_problems, describe, evaluate, qualifies
from app.programs.facts import HouseholdFacts, MemberFacts

NAMES = {"PKH": "Program Keluarga Harapan (PKH)", "BPNT": "Program Sembako (BPNT)"}
KNOWN = national_codes()

pytestmark = pytest.mark.usefixtures("app_ctx")  # labels are translated: an app, no region


def member(name="Ani", age=35, relation="head", sex="P", disability="none", pregnant=False, education="sd"):
    born = date(date.today().year - age, 1, 1) if age is not None else None
    return MemberFacts(nik="3275010101800001", name=name, relation_to_head=relation, sex=sex, birth_date=born,
                       age=age, education=education, occupation="", disability=disability, pregnant=pregnant,
                       programs=set())


def household(members, decile=3, housing="decent", programs=(), village="32.03.01.2001", in_register=True):
    return HouseholdFacts(kk_number="3203019900000001", village_code=village, district_code=village[:8],
                          address="Jl. Uji", decile=decile, housing=housing, in_register=in_register,
                          members=list(members), programs=set(programs))


def cond(attribute, op, value, basis="Pasal 1"):
    return {"attribute": attribute, "op": op, "value": value, "legal_basis": basis}


def test_national_criteria_are_sound():
    for program in national_programs():
        assert check_conditions(program["criteria"], known_programs=KNOWN) == {}, program["code"]
        assert program["description"].strip() and program["legal_basis"].strip()


@pytest.mark.parametrize("condition, field", [
    (cond("income", "le", 4), "attribute"),
    (cond("decile", "like", 4), "op"),
    (cond("decile", "le", "four"), "value"),
    (cond("decile", "le", 11), "value"),
    (cond("decile", "le", True), "value"),
    (cond("decile", "between", [5, 2]), "value"),
    (cond("housing", "eq", "palace"), "value"),
    (cond("housing", "in", []), "value"),
    (cond("member_category", "in", ["pregnant", "astronaut"]), "value"),
    (cond("member_age", "ne", 5), "op"),
    (cond("receives", "not_in", ["PKH", "NOPE"]), "value"),
    (cond("in_register", "eq", "yes"), "value"),
    (cond("village", "eq", "Bekasijaya"), "value"),
    (cond("decile", "le", 4, basis=""), "legal_basis"),
])
def test_a_bad_condition_is_refused_at_its_field(condition, field):
    problems = condition_problems([cond("decile", "le", 4), condition], known_programs=KNOWN)
    assert list(problems) == [1]
    assert field in problems[1]
    assert check_conditions([condition], known_programs=KNOWN)[0]


def test_unknown_keys_and_non_lists_are_refused():
    assert check_conditions([{**cond("decile", "le", 4), "extra": 1}], known_programs=KNOWN)
    assert check_conditions("decile <= 4", known_programs=KNOWN)
    assert check_conditions(["decile"], known_programs=KNOWN)


def test_ranking_weights_need_points():
    assert check_ranking([{**cond("decile", "le", 2), "points": 10}], known_programs=KNOWN) == {}
    assert 0 in check_ranking([cond("decile", "le", 2)], known_programs=KNOWN)
    assert 0 in check_ranking([{**cond("decile", "le", 2), "points": 0}], known_programs=KNOWN)
    assert 0 in check_conditions([{**cond("decile", "le", 2), "points": 3}], known_programs=KNOWN)


def test_conditions_in_words():
    assert describe(cond("decile", "le", 4)) == "Desil kesejahteraan paling tinggi 4"
    assert describe(cond("member_age", "between", [6, 21])) == "Ada anggota berumur antara 6 dan 21"
    assert describe(cond("receives", "not_in", ["PKH", "BPNT"]), NAMES) == \
        "Tidak menerima Program Keluarga Harapan (PKH) atau Program Sembako (BPNT)"
    assert describe(cond("in_register", "eq", False)) == "Terdaftar di DTKS: tidak"
    assert "Rusak berat" in describe(cond("housing", "in", ["inadequate", "severely_damaged"]))


def test_pkh_needs_a_poor_household_with_a_component():
    pkh = next(p for p in national_programs() if p["code"] == "PKH")["criteria"]
    adults = household([member(), member("Budi", 40, "spouse", "L")])
    assert not qualifies(pkh, adults)
    with_child = household([member(), member("Citra", 4, "child")])
    assert qualifies(pkh, with_child)
    results = evaluate(pkh, with_child, NAMES)
    assert [r.met for r in results] == [True, True]
    assert results[1].detail == "Citra"
    assert not qualifies(pkh, household([member(), member("Citra", 4, "child")], decile=7))
    assert not qualifies(pkh, household([member(), member("Citra", 4, "child")], decile=None))


def test_member_conditions_mean_some_member():
    facts = household([member(), member("Dedi", 70, "parent", "L", disability="physical"),
                       member("Eka", 10, "child", education="none")])
    assert qualifies([cond("member_category", "in", ["elderly"])], facts)
    assert qualifies([cond("member_disability", "eq", "physical")], facts)
    assert qualifies([cond("member_age", "between", [6, 12])], facts)
    assert not qualifies([cond("member_pregnant", "eq", True)], facts)
    assert not qualifies([cond("member_age", "gt", 80)], facts)


def test_household_attributes():
    facts = household([member(age=65)], housing="severely_damaged", programs={"PKH"})
    assert qualifies([cond("elderly_head", "eq", True), cond("head_sex", "eq", "P"),
                      cond("member_count", "eq", 1), cond("housing", "ne", "decent")], facts)
    assert not qualifies([cond("receives", "not_in", ["PKH", "BPNT"])], facts)
    assert qualifies([cond("receives", "eq", "PKH")], facts)
    assert qualifies([cond("village_kind", "eq", "desa"), cond("district", "eq", "32.03.01")], facts)
    assert not qualifies([cond("village_kind", "eq", "desa")], household([member()], village="32.75.01.1001"))
    no_head = household([member(relation="child")])
    assert not qualifies([cond("head_age", "ge", 18)], no_head)
    assert evaluate([cond("head_age", "ge", 18)], no_head, NAMES)[0].detail == "tidak diketahui"


def test_no_criteria_qualifies_nobody_and_bad_stored_data_holds_for_nobody():
    facts = household([member()])
    assert not qualifies([], facts)
    assert not qualifies([cond("decile", "between", 4)], facts)
    assert not qualifies([cond("nonsense", "eq", 1)], facts)
    assert evaluate([cond("nonsense", "eq", 1)], facts, NAMES)[0].met is False
