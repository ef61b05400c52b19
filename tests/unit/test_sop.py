"""The five regions' SOPs as state machines: each parses, every stage is reachable and
can still be closed, only the roles the regulation names may take each step, and a case
can be walked from every channel to `closed` using only allowed steps. Then the SOP
parser's refusals, one broken SOP at a time.

Like test_region_templates.py, this uses only the template parser and `parse_sop` inside
a minimal Flask app with Babel (gettext needs an app context): no database.
"""
from __future__ import annotations

import copy
from collections import deque
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask_babel import Babel

from app.casework.sop import Sop, SopError, check_reachability, check_roles_held, parse_sop
from app.org.vocabulary import ROLES, SERVICE_AREAS
from app.reference.citations import Citation
from app.tenants.template import RegionTemplate, TemplateError, parse_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "app" / "tenants" / "templates"
SLUGS = ("bekasi", "cianjur", "batubara", "payakumbuh", "palembang")

#: Who approves (and returns) a referral, by the regulation.
REFERRAL_APPROVER = {
    "bekasi": "manager",       # Pasal 4 ayat (1) huruf c angka 2-3
    "cianjur": "manager",      # Pasal 2 ayat (2) huruf b angka 4 (Paragraf 2)
    "batubara": "manager",     # Pasal 11 ayat (2) huruf f
    "payakumbuh": "unit_head",  # Pasal 7 ayat (5) (kedua) huruf d
    "palembang": "manager",    # Pasal 11 huruf f
}

#: Who tells the citizen the result.
INFORMERS = {
    "bekasi": {"intake_officer"},
    "cianjur": {"intake_officer"},
    "batubara": {"facilitator", "intake_officer"},                                  # Pasal 17 ayat (5), Pasal 12
    "payakumbuh": {"intake_officer"},
    "palembang": {"intake_officer", "facilitator", "welfare_center_coordinator"},  # Pasal 23
}

CHANNELS = {
    "bekasi": {"walk_in", "home_visit"},
    "cianjur": {"walk_in", "welfare_center", "home_visit"},
    "batubara": {"walk_in", "welfare_center", "home_visit", "klink"},  # KLINK: its own, Pasal 1 angka 32
    "payakumbuh": {"walk_in", "home_visit"},
    "palembang": {"walk_in", "welfare_center", "home_visit"},
}

COMMON_STATES = {
    "field_review", "field_returned", "registered", "analysis", "referral_approval",
    "referral_sending", "awaiting_answer", "follow_up", "informing", "closed",
}
PALEMBANG_EXTRA = {"analysis_review", "decision"}

DEFAULT_SLA = {
    "field_review": 72, "field_returned": 120, "registered": 24, "analysis": 72,
    "analysis_review": 48, "decision": 48, "referral_approval": 48, "referral_sending": 24,
    "awaiting_answer": 336, "follow_up": 168, "informing": 72,
}

OBSERVERS = ("patron", "coordination_member")


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture()
def babel_ctx():
    """A minimal app context: enough for flask_babel.gettext in the parser."""
    flask_app = Flask(__name__)
    Babel(flask_app)
    with flask_app.app_context():
        yield flask_app


def _template(slug: str) -> RegionTemplate:
    path = TEMPLATES / f"{slug}.yaml"
    return parse_template(path.read_text(encoding="utf-8"), source=path.name)


@pytest.fixture()
def region(babel_ctx):
    """slug -> (template, parsed SOP)."""

    def _region(slug: str) -> tuple[RegionTemplate, Sop]:
        tpl = _template(slug)
        return tpl, parse_sop(tpl.sop, unit_keys=[u.key for u in tpl.units])

    return _region


@pytest.fixture()
def sop_of(region):
    return lambda slug: region(slug)[1]


def _kinds(sop: Sop, state: str, role: str | None) -> set[str]:
    return {t.kind for t in sop.allowed(state, role)}


def _step(sop: Sop, state: str, role: str, key: str) -> str:
    """Take step `key` from `state` as `role`; it must be among the allowed steps."""
    allowed = {t.key: t for t in sop.allowed(state, role)}
    assert key in allowed, f"{role} may not take {key} in {state}; allowed: {sorted(allowed)}"
    return allowed[key].target


# --- every region ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_sop_parses_and_names_its_regulation(region, slug):
    tpl, sop = region(slug)
    assert tpl.sop["regulation"] == tpl.regulation_short
    assert check_roles_held(sop, {p.role for p in tpl.positions}) == []
    assert set(sop.routing) == set(SERVICE_AREAS)


@pytest.mark.parametrize("slug", SLUGS)
def test_common_stage_skeleton(sop_of, slug):
    sop = sop_of(slug)
    expected = COMMON_STATES | (PALEMBANG_EXTRA if slug == "palembang" else set())
    assert set(sop.states) == expected
    assert [k for k, s in sop.states.items() if s.final] == ["closed"]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_stage_reachable_and_closable(sop_of, slug):
    sop = sop_of(slug)
    assert check_reachability(sop) == []
    # and independently of the parser's own check:
    reachable = {c.entry for c in sop.channels.values()}
    queue = deque(reachable)
    while queue:
        for t in sop.transitions_from(queue.popleft()):
            if t.target not in reachable:
                reachable.add(t.target)
                queue.append(t.target)
    assert reachable == set(sop.states)
    for state in sop.open_states():
        seen, queue = {state}, deque([state])
        while queue and "closed" not in seen:
            for t in sop.transitions_from(queue.popleft()):
                if t.target not in seen:
                    seen.add(t.target)
                    queue.append(t.target)
        assert "closed" in seen, f"{slug}: a case in {state} can never be closed"
        assert sop.waiting_roles(state), f"{slug}: nobody can act in {state}"


def _cites(stored: str) -> bool:
    """An article of the region's regulation, or of Permensos 15/2018 (Bekasi's Perwal has no procedure)."""
    citation = Citation.parse(stored)
    return citation.text.startswith("Pasal") or (citation.regulation == "Permensos 15/2018" and bool(citation.text))


@pytest.mark.parametrize("slug", SLUGS)
def test_channels_follow_the_regulation(sop_of, slug):
    sop = sop_of(slug)
    assert set(sop.channels) == CHANNELS[slug]
    walk_in = sop.channels["walk_in"]
    assert walk_in.entry == "registered" and walk_in.roles == ("intake_officer",)
    home = sop.channels["home_visit"]
    assert home.entry == "field_review" and home.roles == ("facilitator",)
    if "welfare_center" in sop.channels:
        center = sop.channels["welfare_center"]
        assert center.entry == "registered"
        assert "intake_officer" in center.roles
    for channel in sop.channels.values():
        assert _cites(channel.legal_basis), (slug, channel.key)


@pytest.mark.parametrize("slug", ["batubara", "palembang"])
def test_puskesos_coordinator_may_record_at_the_puskesos(sop_of, slug):
    assert set(sop_of(slug).channels["welfare_center"].roles) == {"intake_officer", "welfare_center_coordinator"}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_step_cites_an_article_and_open_stages_have_an_sla(sop_of, slug):
    sop = sop_of(slug)
    for t in sop.transitions:
        assert _cites(t.legal_basis), (slug, t.key, t.legal_basis)
        assert t.label and t.label != t.key, (slug, t.key)
    for key in sop.open_states():
        state = sop.state(key)
        assert _cites(state.legal_basis), (slug, key)
        assert state.sla_hours == DEFAULT_SLA[key], (slug, key)  # local policy, see the template's comment
    assert sop.state("closed").sla_hours is None


# --- who may take each step -----------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_allowed_is_exactly_the_roles_listed(sop_of, slug):
    sop = sop_of(slug)
    for state in sop.states:
        for role in ROLES:
            expected = [t for t in sop.transitions_from(state) if role in t.roles]
            assert sop.allowed(state, role) == expected
        assert sop.allowed(state, None) == []
        assert sop.allowed(state, "emperor") == []
    for role in ROLES:
        assert sop.allowed("closed", role) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_observers_take_no_step(sop_of, slug):
    sop = sop_of(slug)
    for state in sop.states:
        for role in OBSERVERS:
            assert sop.allowed(state, role) == [], (slug, state, role)


@pytest.mark.parametrize("slug", SLUGS)
def test_home_visit_waits_for_the_supervisor(sop_of, slug):
    sop = sop_of(slug)
    entry = sop.channels["home_visit"].entry
    assert entry == "field_review"
    assert sop.waiting_roles(entry) == {"supervisor"}
    for role in ROLES:
        kinds = _kinds(sop, entry, role)
        assert kinds == ({"approve", "return"} if role == "supervisor" else set()), (slug, role)
    # the facilitator cannot approve their own record; they correct a returned one
    assert sop.allowed("field_review", "facilitator") == []
    assert _kinds(sop, "field_returned", "facilitator") == {"forward"}
    assert sop.waiting_roles("field_returned") == {"facilitator"}
    (approve,) = [t for t in sop.allowed(entry, "supervisor") if t.kind == "approve"]
    (ret,) = [t for t in sop.allowed(entry, "supervisor") if t.kind == "return"]
    assert ret.target == "field_returned"
    # Palembang Pasal 22 ayat (3): the approved, already analysed record goes to the
    # Sekretariat Teknis like an approved back-office analysis (Pasal 21 ayat (5)).
    assert approve.target == ("decision" if slug == "palembang" else "registered")


@pytest.mark.parametrize("slug", SLUGS)
def test_front_office_forwards_to_the_back_office(sop_of, slug):
    sop = sop_of(slug)
    assert sop.waiting_roles("registered") == {"intake_officer"}
    (forward,) = sop.allowed("registered", "intake_officer")
    assert forward.kind == "forward" and forward.target == "analysis"
    assert sop.allowed("registered", "case_officer") == []


@pytest.mark.parametrize("slug", SLUGS)
def test_referral_approver(sop_of, slug):
    sop = sop_of(slug)
    approver = REFERRAL_APPROVER[slug]
    assert sop.waiting_roles("referral_approval") == {approver}
    for role in ROLES:
        kinds = _kinds(sop, "referral_approval", role)
        assert kinds == ({"approve", "return"} if role == approver else set()), (slug, role)
    # the back office proposes but cannot approve its own proposal
    assert sop.allowed("referral_approval", "case_officer") == []
    (approve,) = [t for t in sop.allowed("referral_approval", approver) if t.kind == "approve"]
    assert approve.target == "referral_sending"
    (ret,) = [t for t in sop.allowed("referral_approval", approver) if t.kind == "return"]
    assert ret.target == ("decision" if slug == "palembang" else "analysis")


def test_payakumbuh_only_the_kepala_upt_approves_a_referral(region):
    tpl, sop = region("payakumbuh")
    assert sop.allowed("referral_approval", "manager") == []
    assert {t.key for t in sop.allowed("referral_approval", "unit_head")} == {"approve_referral", "return_referral"}
    (head,) = [p for p in tpl.positions if p.role == "unit_head"]
    assert head.title == "Kepala UPT"


def test_cianjur_only_the_manager_approves_a_referral(sop_of):
    sop = sop_of("cianjur")
    assert {t.key for t in sop.allowed("referral_approval", "manager")} == {"approve_referral", "return_referral"}
    assert sop.allowed("referral_approval", "unit_head") == []
    assert sop.allowed("referral_approval", "supervisor") == []


@pytest.mark.parametrize("slug", [s for s in SLUGS if s != "palembang"])
def test_back_office_decides_in_analysis(sop_of, slug):
    sop = sop_of(slug)
    assert _kinds(sop, "analysis", "case_officer") == {"handle", "request_referral"}
    assert sop.waiting_roles("analysis") == {"case_officer"}
    targets = {t.kind: t.target for t in sop.allowed("analysis", "case_officer")}
    assert targets == {"handle": "informing", "request_referral": "referral_approval"}


def test_palembang_analysis_needs_the_supervisors_approval_first(sop_of):
    sop = sop_of("palembang")
    # Pasal 21 ayat (3)-(4): the back office can only submit its analysis
    assert _kinds(sop, "analysis", "case_officer") == {"forward"}
    (submit,) = sop.allowed("analysis", "case_officer")
    assert submit.target == "analysis_review"
    for role in ROLES:
        assert not _kinds(sop, "analysis", role) & {"handle", "request_referral"}, role
    # the supervisor approves (-> decision) or returns (-> analysis)
    assert sop.waiting_roles("analysis_review") == {"supervisor"}
    assert sop.allowed("analysis_review", "case_officer") == []
    assert sop.allowed("analysis_review", "manager") == []
    targets = {t.kind: t.target for t in sop.allowed("analysis_review", "supervisor")}
    assert targets == {"approve": "decision", "return": "analysis"}
    # Pasal 21 ayat (5): only then handled or referred
    targets = {t.kind: t.target for t in sop.allowed("decision", "case_officer")}
    assert targets == {"handle": "informing", "request_referral": "referral_approval"}
    assert sop.waiting_roles("decision") == {"case_officer"}


@pytest.mark.parametrize("slug", SLUGS)
def test_who_informs_the_citizen(sop_of, slug):
    sop = sop_of(slug)
    assert sop.waiting_roles("informing") == INFORMERS[slug]
    for role in INFORMERS[slug]:
        (inform,) = sop.allowed("informing", role)
        assert inform.kind == "inform" and inform.target == "closed"
        assert inform.needs_inform_channel
    assert sop.allowed("informing", "case_officer") == []


@pytest.mark.parametrize("slug", SLUGS)
def test_referral_is_sent_answered_and_followed_up(sop_of, slug):
    sop = sop_of(slug)
    chain = [("referral_sending", "send_referral", "awaiting_answer"),
             ("awaiting_answer", "record_answer", "follow_up"),
             ("follow_up", "record_outcome", "informing")]
    for state, kind, target in chain:
        assert _kinds(sop, state, "case_officer") == {kind}, (slug, state)
        (t,) = sop.allowed(state, "case_officer")
        assert t.target == target
        assert sop.allowed(state, "intake_officer") == []
        assert sop.allowed(state, "facilitator") == []
    (outcome,) = sop.allowed("follow_up", "case_officer")
    assert outcome.needs_outcome


def test_payakumbuh_kepala_upt_follows_up_referrals(sop_of):
    # Pasal 7 ayat (1) huruf h, assisted by Kasubag TU (ayat (2) huruf c)
    sop = sop_of("payakumbuh")
    for state in ("awaiting_answer", "follow_up"):
        assert sop.waiting_roles(state) == {"case_officer", "admin_staff", "unit_head"}


@pytest.mark.parametrize("slug", SLUGS)
def test_return_steps_and_data_steps_require_a_note(sop_of, slug):
    sop = sop_of(slug)
    returns = [t for t in sop.transitions if t.kind == "return"]
    assert returns
    for t in sop.transitions:
        if t.kind in ("return", "handle", "request_referral", "record_answer", "record_outcome"):
            assert t.note == "required", (slug, t.key)
        if t.kind == "request_referral":
            assert t.needs_partner
    for t in returns:
        assert t.is_approval


def test_a_return_step_needs_a_note_even_if_the_sop_says_otherwise(babel_ctx):
    data = _template_data("bekasi")["sop"]
    ret = next(t for t in data["transitions"] if t["kind"] == "return")
    ret["note"] = "optional"
    sop = parse_sop(data)
    assert sop.transition(ret["key"]).note == "required"


# --- walking a case through -----------------------------------------------------------


def _path(slug: str, channel: str, referral: bool) -> list[tuple[str, str]]:
    """(role, step key) from the channel's entry to closed, with one return at each approval."""
    steps: list[tuple[str, str]] = []
    if channel == "home_visit":
        steps += [("supervisor", "return_field_record"), ("facilitator", "resubmit_field_record"),
                  ("supervisor", "approve_field_record")]
    if slug != "palembang" or channel != "home_visit":
        steps += [("intake_officer", "forward_to_back_office")]
    if slug == "palembang" and channel != "home_visit":
        steps += [("case_officer", "submit_analysis"), ("supervisor", "return_analysis"),
                  ("case_officer", "submit_analysis"), ("supervisor", "approve_analysis")]
    approver = REFERRAL_APPROVER[slug]
    if referral:
        steps += [("case_officer", "request_referral"), (approver, "return_referral"),
                  ("case_officer", "request_referral"), (approver, "approve_referral"),
                  ("case_officer", "send_referral"), ("case_officer", "record_answer"),
                  ("case_officer", "record_outcome")]
    else:
        steps += [("case_officer", "handle")]
    informer = "facilitator" if slug == "batubara" else "intake_officer"
    steps += [(informer, "inform")]
    return steps


CASES = [(slug, channel) for slug in SLUGS for channel in sorted(CHANNELS[slug])]


@pytest.mark.parametrize("referral", [True, False], ids=["referred", "handled"])
@pytest.mark.parametrize("slug,channel", CASES)
def test_walk_from_channel_to_closed(sop_of, slug, channel, referral):
    sop = sop_of(slug)
    ch = sop.channels[channel]
    state = ch.entry
    visited = [state]
    for role, key in _path(slug, channel, referral):
        state = _step(sop, state, role, key)
        visited.append(state)
    assert state == "closed" and sop.state(state).final
    if referral:
        # returned once, then approved: the approval stage was passed twice
        assert visited.count("referral_approval") == 2
        assert {"referral_sending", "awaiting_answer", "follow_up"} <= set(visited)
    if channel == "home_visit":
        assert visited.count("field_review") == 2 and "field_returned" in visited
    if slug == "palembang":
        assert "decision" in visited
        if channel != "home_visit":
            assert visited.count("analysis_review") == 2


def test_palembang_referral_returned_goes_back_to_decision(sop_of):
    sop = sop_of("palembang")
    state = _step(sop, "decision", "case_officer", "request_referral")
    assert _step(sop, state, "manager", "return_referral") == "decision"


# --- the parser refuses broken SOPs ---------------------------------------------------


def _template_data(slug: str) -> dict:
    return yaml.safe_load((TEMPLATES / f"{slug}.yaml").read_text(encoding="utf-8"))


@pytest.fixture()
def payakumbuh(babel_ctx) -> tuple[dict, list[str]]:
    """(a fresh copy of Payakumbuh's SOP, its unit keys)."""
    data = _template_data("payakumbuh")
    return copy.deepcopy(data["sop"]), [u["key"] for u in data["units"]]


def _refused(sop: dict, unit_keys=None) -> str:
    with pytest.raises(SopError) as info:
        parse_sop(sop, unit_keys=unit_keys)
    assert info.value.problems
    return "\n".join(info.value.problems)


def _transition(sop: dict, key: str) -> dict:
    return next(t for t in sop["transitions"] if t["key"] == key)


def test_the_base_sop_is_valid(payakumbuh):
    sop, units = payakumbuh
    parse_sop(sop, unit_keys=units)


def test_refuses_an_unreachable_stage(payakumbuh):
    sop, units = payakumbuh
    sop["states"].append({"key": "orphan", "label": "Yatim"})
    sop["transitions"].append({"key": "orphan_out", "label": "x", "from": "orphan", "to": "closed",
                               "role": "manager", "kind": "close", "legal_basis": "Pasal 1"})
    msg = _refused(sop, units)
    assert "sop.states (orphan)" in msg
    assert "tidak dapat dicapai" in msg


def test_refuses_a_stage_from_which_a_case_cannot_be_closed(payakumbuh):
    sop, units = payakumbuh
    sop["states"].append({"key": "limbo", "label": "Limbo"})
    sop["transitions"].append({"key": "to_limbo", "label": "x", "from": "analysis", "to": "limbo",
                               "role": "case_officer", "kind": "forward", "legal_basis": "Pasal 1"})
    msg = _refused(sop, units)
    assert "sop.states (limbo)" in msg
    assert "penutupan" in msg
    assert "(analysis)" not in msg  # analysis can still close by the other steps


def test_refuses_a_loop_with_no_way_out(payakumbuh):
    sop, units = payakumbuh
    # cut follow_up's only exit and loop it back to awaiting_answer
    _transition(sop, "record_outcome").update({"to": "awaiting_answer", "kind": "forward"})
    msg = _refused(sop, units)
    for state in ("referral_sending", "awaiting_answer", "follow_up"):
        assert f"sop.states ({state})" in msg
    # still closable: referral_approval by its return step, informing by inform
    assert "sop.states (referral_approval)" not in msg
    assert "sop.states (informing)" not in msg


def test_refuses_an_unknown_role(payakumbuh):
    sop, units = payakumbuh
    _transition(sop, "approve_referral")["role"] = "emperor"
    msg = _refused(sop, units)
    assert "(approve_referral)" in msg and "emperor" in msg


def test_refuses_a_step_without_role(payakumbuh):
    sop, units = payakumbuh
    del _transition(sop, "approve_referral")["role"]
    assert "(approve_referral): 'role' wajib diisi" in _refused(sop, units)


def test_refuses_an_unknown_kind(payakumbuh):
    sop, units = payakumbuh
    _transition(sop, "send_referral")["kind"] = "teleport"
    msg = _refused(sop, units)
    assert "(send_referral)" in msg and "teleport" in msg


def test_refuses_a_step_without_legal_basis(payakumbuh):
    sop, units = payakumbuh
    del _transition(sop, "handle")["legal_basis"]
    msg = _refused(sop, units)
    assert "(handle)" in msg and "legal_basis" in msg


def test_refuses_routing_missing_an_area(payakumbuh):
    sop, units = payakumbuh
    del sop["routing"]["kesehatan"]
    msg = _refused(sop, units)
    assert "sop.routing" in msg and "kesehatan" in msg


def test_refuses_routing_to_an_unknown_unit_or_area(payakumbuh):
    sop, units = payakumbuh
    sop["routing"]["kesehatan"] = "no_such_unit"
    sop["routing"]["astrologi"] = "back_office"
    msg = _refused(sop, units)
    assert "sop.routing.kesehatan" in msg and "no_such_unit" in msg
    assert "astrologi" in msg


def test_refuses_a_step_to_or_from_an_unknown_stage(payakumbuh):
    sop, units = payakumbuh
    _transition(sop, "handle")["to"] = "nowhere"
    msg = _refused(sop, units)
    assert "(handle)" in msg and "nowhere" in msg


def test_refuses_a_step_out_of_the_final_stage(payakumbuh):
    sop, units = payakumbuh
    sop["transitions"].append({"key": "reopen", "label": "Buka lagi", "from": "closed", "to": "registered",
                               "role": "manager", "kind": "forward", "legal_basis": "Pasal 1"})
    assert "(reopen)" in _refused(sop, units)


def test_refuses_duplicate_step_keys(payakumbuh):
    sop, units = payakumbuh
    sop["transitions"].append(dict(_transition(sop, "handle")))
    assert "(handle)" in _refused(sop, units)


def test_refuses_no_final_stage(payakumbuh):
    sop, units = payakumbuh
    for state in sop["states"]:
        state.pop("final", None)
    assert "final: true" in _refused(sop, units)


def test_refuses_an_unknown_channel_or_entry(payakumbuh):
    sop, units = payakumbuh
    sop["channels"].append({"key": "carrier_pigeon", "label": "x", "entry": "registered", "role": "intake_officer"})
    sop["channels"][0]["entry"] = "lobby"
    msg = _refused(sop, units)
    assert "carrier_pigeon" in msg
    assert "sop.channels[1] (walk_in)" in msg and "lobby" in msg


def test_refuses_a_bad_sla(payakumbuh):
    sop, units = payakumbuh
    sop["states"][0]["sla_hours"] = -3
    assert "sla_hours" in _refused(sop, units)


def test_refuses_something_that_is_not_an_sop(babel_ctx):
    for data in (None, [], "sop"):
        with pytest.raises(SopError):
            parse_sop(data)


def test_roles_nobody_holds(payakumbuh):
    sop_data, units = payakumbuh
    sop = parse_sop(sop_data, unit_keys=units)
    held = {p["role"] for p in _template_data("payakumbuh")["positions"]}
    assert check_roles_held(sop, held) == []
    problems = check_roles_held(sop, held - {"unit_head"})
    msg = "\n".join(problems)
    assert "(approve_referral)" in msg and "(return_referral)" in msg and "unit_head" in msg
    # a step that another held role may take (send_referral: case_officer, manager, unit_head) is fine
    assert "(send_referral)" not in msg
    problems = check_roles_held(sop, held - {"facilitator"})
    assert any("sop.channels (home_visit)" in p for p in problems)


def test_template_refuses_an_sop_step_nobody_can_take(babel_ctx):
    data = _template_data("payakumbuh")
    data["positions"] = [p for p in data["positions"] if p["role"] != "unit_head"]
    with pytest.raises(TemplateError) as info:
        parse_template(yaml.safe_dump(data, allow_unicode=True), source="payakumbuh.yaml")
    assert "(approve_referral)" in str(info.value)


# --- malformed input the parser must refuse with a message, not a crash ------------


def test_refuses_a_role_that_is_not_text(payakumbuh):
    sop, units = payakumbuh
    _transition(sop, "approve_referral")["role"] = {"unit_head": True}
    assert "(approve_referral)" in _refused(sop, units)


def test_refuses_routing_to_a_list(payakumbuh):
    sop, units = payakumbuh
    sop["routing"]["kesehatan"] = ["back_office"]
    assert "sop.routing.kesehatan" in _refused(sop, units)


def test_refuses_duplicate_channels(payakumbuh):
    sop, units = payakumbuh
    sop["channels"].append(dict(sop["channels"][0], entry="analysis"))
    assert "walk_in" in _refused(sop, units)


def test_template_refuses_routing_to_a_unit_that_is_not_a_back_office(babel_ctx):
    data = _template_data("payakumbuh")
    data["sop"]["routing"]["kesehatan"] = "tkpk"  # the coordination team
    with pytest.raises(TemplateError) as info:
        parse_template(yaml.safe_dump(data, allow_unicode=True), source="payakumbuh.yaml")
    assert "kesehatan" in str(info.value)
