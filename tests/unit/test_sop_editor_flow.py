"""The SOP editor's structural edits and what a case does under them (no HTTP).

Stages and steps of any kind added anywhere, moved and taken out; approvals by anyone before a
stage or after a step; a referral between two approvals waits for the next approver by title.
Everything runs in one transaction that is rolled back, so the regions stay as seeded.
"""
import pytest
from sqlalchemy import select

from app.casework import sop_flow as flow
from app.casework.letters import ReferralLetter
from app.casework.models import CaseEvent, Partner
from app.casework.sop_drafts import check_definition, place_problems, publish_draft, save_draft, start_draft
from app.casework.sop_edits import EditError, set_step
from app.casework.sop_presets import add_approval, default_return, return_before
from app.casework.sop_procedure import referral_state_label
from app.casework.sop_store import current_version
from app.casework.step_kinds import REGISTRY
from app.casework.steps import StepInput, allowed_steps, take_step
from app.extensions import db
from tests.factories import make_case, member

SLUG = "payakumbuh"


@pytest.fixture()
def sop(region):
    """Payakumbuh's definition in force (the test runs inside the region; rolled back after)."""
    region(SLUG)
    return current_version().definition


def _step(definition, key):
    return next(t for t in definition["transitions"] if t["key"] == key)


def _stage_keys(definition):
    return [s["key"] for s in definition["states"]]


def test_a_stage_anywhere_is_checked_where_it_stands(sop):
    changed, key = flow.add_stage(sop, label="Menunggu telaah data", after="registered", sla_hours=24,
                                  legal_basis="Pasal 7")
    keys = _stage_keys(changed)
    assert keys[keys.index("registered") + 1] == key == "menunggu_telaah_data"
    assert sop["states"] == current_version().definition["states"]  # the input is not touched
    placed = place_problems(check_definition(changed))
    assert any("tidak dapat dicapai" in p for p in placed[f"stage:{key}"])
    first, key2 = flow.add_stage(changed, label="Menunggu telaah data", after=flow.FIRST)
    assert _stage_keys(first)[0] == key2 == "menunggu_telaah_data_2"
    with pytest.raises(EditError) as err:
        flow.add_stage(sop, label="  ", after="nowhere", sla_hours=0)
    assert set(err.value.errors) == {"label", "after", "sla_hours"}


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_a_step_of_every_kind_can_be_added(sop, kind):
    changed, key = flow.add_step(sop, source="analysis", target="informing", kind=kind, roles=["case_officer"],
                                 label=f"Langkah {kind}", legal_basis="Pasal 7 ayat (5)")
    step = _step(changed, key)
    assert (step["from"], step["to"], step["kind"], step["role"]) == ("analysis", "informing", kind, "case_officer")
    problems = place_problems(check_definition(changed))
    if REGISTRY[kind].keeps_approval:  # a referral request must lead to an approval: said at the step
        assert any("persetujuan" in p for p in problems[f"step:{key}"])
    else:
        assert problems == {}


def test_a_new_step_may_lead_to_a_new_stage_and_go_before_another(sop):
    changed, key = flow.add_step(sop, source="analysis", target=flow.NEW_STAGE, new_stage="Telaah data",
                                 kind="forward", roles=["admin_staff"], label="Teruskan ke telaah",
                                 legal_basis="Pasal 7", before="handle")
    step = _step(changed, key)
    assert step["to"] == "telaah_data" and "telaah_data" in _stage_keys(changed)
    from_analysis = [t["key"] for t in changed["transitions"] if t["from"] == "analysis"]
    assert from_analysis.index(key) < from_analysis.index("handle")
    with pytest.raises(EditError) as err:
        flow.add_step(sop, source="analysis", target=flow.NEW_STAGE, kind="teleport", roles=[], label="",
                      legal_basis="")
    assert set(err.value.errors) == {"new_stage", "kind", "roles", "label", "legal_basis"}
    with pytest.raises(EditError):
        flow.add_step(sop, source="closed", target="analysis", kind="forward", roles=["manager"], label="x",
                      legal_basis="y")


def test_steps_and_stages_reorder_and_go(sop):
    moved = flow.move_step(sop, "request_referral", flow.UP)
    keys = [t["key"] for t in moved["transitions"] if t["from"] == "analysis"]
    assert keys == ["request_referral", "handle"]
    assert flow.move_step(moved, "request_referral", flow.UP) == moved  # at the top: nothing changes
    staged = flow.move_stage(sop, "analysis", flow.DOWN)
    assert _stage_keys(staged).index("analysis") == _stage_keys(sop).index("analysis") + 1
    gone = flow.remove_step(sop, "handle")
    assert "handle" not in [t["key"] for t in gone["transitions"]]
    with pytest.raises(EditError) as err:
        flow.move_step(sop, "handle", "sideways")
    assert "direction" in err.value.errors


def test_removing_a_stage_redirects_what_led_into_it(sop):
    with pytest.raises(EditError) as err:
        flow.remove_stage(sop, "registered")  # the walk-in channel starts there
    assert "stage" in err.value.errors
    with pytest.raises(EditError) as err:
        flow.remove_stage(sop, "follow_up")  # record_answer leads into it
    assert "redirect_to" in err.value.errors
    changed = flow.remove_stage(sop, "follow_up", redirect_to="informing")
    assert "follow_up" not in _stage_keys(changed)
    assert _step(changed, "record_answer")["to"] == "informing"
    assert "record_outcome" not in [t["key"] for t in changed["transitions"]]
    assert check_definition(changed) == []


def test_a_step_changes_name_kind_target_and_note(sop):
    changed = flow.update_step(sop, "handle", label="Tangani langsung", target="closed", kind="close", note="none")
    step = _step(changed, "handle")
    assert (step["label"], step["to"], step["kind"], step["note"]) == ("Tangani langsung", "closed", "close", "none")
    with pytest.raises(EditError) as err:
        flow.update_step(sop, "handle", label="", target="x", kind="y", note="z")
    assert set(err.value.errors) == {"label", "target", "kind", "note"}


def test_changing_who_takes_a_step_asks_for_its_legal_basis(sop):
    basis = _step(sop, "approve_referral")["legal_basis"]
    with pytest.raises(EditError) as err:
        set_step(sop, "approve_referral", roles=["manager"], legal_basis=basis)
    assert "legal_basis" in err.value.errors
    assert _step(set_step(sop, "approve_referral", roles=["manager"], legal_basis=basis, basis_confirmed=True),
                 "approve_referral")["role"] == "manager"
    assert _step(set_step(sop, "approve_referral", roles=["manager"], legal_basis="Pasal 7 ayat (3) huruf f"),
                 "approve_referral")["role"] == "manager"
    set_step(sop, "approve_referral", roles=["unit_head"], legal_basis=basis)  # same roles: nothing to confirm


def _chain(definition):
    """The Manajer approves a referral, then the Kepala UPT (Payakumbuh's own approval)."""
    changed, stage = add_approval(definition, after_step="request_referral", roles=["manager"],
                                  legal_basis="Pasal 7 ayat (3) huruf f", sla_hours=24,
                                  return_to=default_return(definition, _step(definition, "request_referral")))
    return changed, stage


def test_an_approval_by_anyone_after_a_step_or_before_a_stage(sop):
    changed, stage = _chain(sop)
    assert check_definition(changed) == []
    new_stage = next(s for s in changed["states"] if s["key"] == stage)
    assert new_stage["label"] == "Menunggu persetujuan Manajer"
    assert _step(changed, "request_referral")["to"] == stage
    approve, back = _step(changed, f"approve_{stage}"), _step(changed, f"return_{stage}")
    assert (approve["to"], approve["role"], back["to"], back["kind"]) == ("referral_approval", "manager",
                                                                          "analysis", "return")
    assert default_return(sop, _step(sop, "approve_referral")) == "analysis"  # a chain returns to the proposer
    assert return_before(sop, "referral_approval") == "analysis"
    before, gate = add_approval(sop, before_stage="registered", roles=["supervisor"], legal_basis="Pasal 7",
                                label="Menunggu pemeriksaan Supervisor")
    channel = next(c for c in before["channels"] if c["key"] == "walk_in")
    assert channel["entry"] == gate and _step(before, f"approve_{gate}")["to"] == "registered"
    assert f"return_{gate}" not in [t["key"] for t in before["transitions"]]  # no return chosen
    assert check_definition(before) == []


def _partner():
    return db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))).first()


def _take(case, key, role, **data):
    user, membership = member(f"{role}@{SLUG}.demo")
    return take_step(case, key, StepInput(note=data.pop("note", "Catatan."), **data), user=user,
                     membership=membership, expected_version=case.version)


def test_between_two_approvals_the_referral_waits_for_the_next_approver(sop):
    user, _m = member(f"manager@{SLUG}.demo")
    draft = start_draft(user)
    changed, stage = _chain(sop)
    save_draft(draft, changed, what="approval")
    publish_draft(draft, user)

    case = make_case(SLUG)
    _take(case, "forward_to_back_office", "intake_officer")
    _take(case, "request_referral", "case_officer", partner_id=str(_partner().id))
    referral = case.referrals[-1]
    assert case.state == stage and referral_state_label(case, referral) == "Menunggu persetujuan Manajer"
    _u, head = member(f"unit_head@{SLUG}.demo")
    assert allowed_steps(case, head) == []  # the Kepala UPT comes second

    event = _take(case, f"approve_{stage}", "manager")
    assert case.state == "referral_approval" and referral.status == "requested" and referral.decided_at is None
    assert "referral" not in event.data
    assert referral_state_label(case, referral) == "Menunggu persetujuan Kepala UPT"

    _take(case, "approve_referral", "unit_head")
    assert referral.status == "approved" and referral.decided_at is not None
    assert referral_state_label(case, referral) == "Disetujui"
    _take(case, "send_referral", "case_officer")
    letter = db.session.scalar(select(ReferralLetter).where(ReferralLetter.referral_id == referral.id))
    assert letter.approver_title == "Kepala UPT"  # the letter names the last approver
    decided = [e for e in db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
               if (e.data or {}).get("referral") == "approved"]
    assert [e.action for e in decided] == ["approve_referral"]


def test_a_return_to_the_first_approval_keeps_the_referral_waiting(sop):
    user, _m = member(f"manager@{SLUG}.demo")
    draft = start_draft(user)
    changed, stage = _chain(sop)
    back = _step(changed, "return_referral")
    back["to"] = stage  # the Kepala UPT sends it back to the Manajer, not to the back office
    save_draft(draft, changed, what="approval")
    publish_draft(draft, user)
    case = make_case(SLUG)
    _take(case, "forward_to_back_office", "intake_officer")
    _take(case, "request_referral", "case_officer", partner_id=str(_partner().id))
    _take(case, f"approve_{stage}", "manager")
    _take(case, "return_referral", "unit_head", note="Lengkapi dulu.")
    referral = case.referrals[-1]
    assert case.state == stage and referral.status == "requested"
    assert referral_state_label(case, referral) == "Menunggu persetujuan Manajer"
    _take(case, f"return_{stage}", "manager", note="Kurang data.")
    assert referral.status == "returned" and case.state == "analysis"


def test_a_return_out_of_the_chain_returns_the_referral_even_with_approvals_further_on(sop):
    user, _m = member(f"manager@{SLUG}.demo")
    draft = start_draft(user)
    changed, gate = add_approval(sop, before_stage="analysis", roles=["supervisor"], legal_basis="Pasal 7")
    _step(changed, "return_referral")["to"] = "registered"  # from there a supervisor approval lies ahead
    save_draft(draft, changed, what="approval")
    publish_draft(draft, user)
    case = make_case(SLUG)
    _take(case, "forward_to_back_office", "intake_officer")
    _take(case, f"approve_{gate}", "supervisor")
    _take(case, "request_referral", "case_officer", partner_id=str(_partner().id))
    _take(case, "return_referral", "unit_head", note="Bukan untuk dirujuk.")
    assert case.state == "registered" and case.referrals[-1].status == "returned"
