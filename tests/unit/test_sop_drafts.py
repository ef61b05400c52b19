"""SOP drafts: the edits, their validation, the diff, publishing, and version pinning.

Everything runs inside one transaction that is rolled back, so the seeded regions stay
as their templates made them.
"""
import pytest
from sqlalchemy import func, select

from app.casework import sop_edits as edits
from app.casework.models import Partner, SopVersion
from app.casework.sop_diff import diff_sop
from app.casework.sop_drafts import (
    DraftInvalid,
    check_definition,
    current_draft,
    discard_draft,
    place_problems,
    publish_draft,
    save_draft,
    start_draft,
)
from app.casework.sop_edits import EditError
from app.casework.sop_store import current_version
from app.casework.steps import StepInput, allowed_steps, take_step
from app.extensions import db
from app.tenancy.context import tenant_context
from tests.factories import make_case, member, tenant


@pytest.fixture()
def region(app_ctx):
    """`region("payakumbuh")` enters the region for the rest of the test (rolled back after)."""
    contexts = []

    def enter(slug):
        ctx = tenant_context(tenant(slug))
        ctx.__enter__()
        contexts.append(ctx)
        return current_version().definition

    yield enter
    for ctx in reversed(contexts):
        ctx.__exit__(None, None, None)


def _step(definition, key):
    return next(t for t in definition["transitions"] if t["key"] == key)


def _manager_approves(definition):
    return edits.set_step(definition, "approve_referral", roles=["manager"],
                          legal_basis="Pasal 7 ayat (3) huruf f", with_pair=True)


def test_changing_the_referral_approver_keeps_the_sop_valid(region):
    base = region("payakumbuh")
    changed = _manager_approves(base)
    assert _step(changed, "approve_referral")["role"] == "manager"
    assert _step(changed, "return_referral")["role"] == "manager"  # the paired return follows
    assert _step(base, "approve_referral")["role"] == "unit_head"  # the input is not touched
    assert check_definition(changed) == []
    lines = [str(c) for c in diff_sop(base, changed)]
    assert any("Setujui rujukan" in line and "Manajer" in line for line in lines)


def test_an_approver_nobody_holds_is_a_problem_at_that_step(region):
    base = region("payakumbuh")  # Payakumbuh has no Puskesos coordinator post
    changed = edits.set_step(base, "approve_referral", roles=["welfare_center_coordinator"], legal_basis="Pasal 1")
    problems = check_definition(changed)
    assert problems and "step:approve_referral" in place_problems(problems)


def test_step_edit_needs_a_role_and_a_legal_basis(region):
    base = region("payakumbuh")
    with pytest.raises(EditError) as err:
        edits.set_step(base, "approve_referral", roles=[], legal_basis="")
    assert "roles" in err.value.errors
    with pytest.raises(EditError) as err:
        edits.set_step(base, "approve_referral", roles=["manager"], legal_basis="  ")
    assert "legal_basis" in err.value.errors


def test_add_a_supervisor_approval_after_a_step(region):
    base = region("payakumbuh")
    changed, key = edits.add_review(base, "forward_to_back_office", label="Menunggu persetujuan Supervisor",
                                    sla_hours=24, legal_basis="Pasal 7 ayat (4) (pertama) huruf d")
    assert key == "registered_review"
    assert _step(changed, "forward_to_back_office")["to"] == key
    approve, back = _step(changed, f"approve_{key}"), _step(changed, f"return_{key}")
    assert (approve["from"], approve["to"], approve["role"], approve["kind"]) == \
        (key, "analysis", "supervisor", "approve")
    assert (back["from"], back["to"], back["kind"]) == (key, "registered", "return")
    order = [s["key"] for s in changed["states"]]
    assert order.index(key) == order.index("registered") + 1
    assert check_definition(changed) == []
    actions = {(c.action, c.section) for c in diff_sop(base, changed)}
    assert {("added", "stage"), ("added", "step"), ("changed", "step")} <= actions


def test_a_new_approval_needs_its_legal_basis(region):
    base = region("payakumbuh")
    with pytest.raises(EditError) as err:
        edits.add_review(base, "forward_to_back_office", label="x", sla_hours=None, legal_basis="")
    assert "legal_basis" in err.value.errors


def test_remove_a_supervisor_approval_reconnects_the_steps(region):
    base = region("palembang")
    changed = edits.remove_review(base, "analysis_review")
    assert "analysis_review" not in {s["key"] for s in changed["states"]}
    assert _step(changed, "submit_analysis")["to"] == "decision"
    assert not any(t["from"] == "analysis_review" for t in changed["transitions"])
    assert check_definition(changed) == []


def test_add_then_remove_gives_back_the_same_procedure(region):
    base = region("payakumbuh")
    added, key = edits.add_review(base, "handle", label="Menunggu persetujuan Supervisor", sla_hours=48,
                                  legal_basis="Pasal 7 ayat (4) (pertama) huruf d")
    assert edits.remove_review(added, key) == base


def test_channel_entries_and_plain_stages_cannot_be_removed_as_approvals(region):
    base = region("payakumbuh")
    assert edits.removable_review(base, "field_review") is None  # the home-visit channel starts there
    assert edits.removable_review(base, "analysis") is None
    assert edits.removable_review(base, "referral_approval") is None  # a referral is always approved
    with pytest.raises(EditError):
        edits.remove_review(base, "analysis")


def test_approvals_are_offered_after_work_steps_only(region):
    base = region("payakumbuh")
    offered = {t["key"] for t in base["transitions"] if edits.can_add_review(base, t)}
    assert {"forward_to_back_office", "handle"} <= offered
    assert not offered & {"request_referral", "approve_referral", "resubmit_field_record", "inform"}
    with pytest.raises(EditError):
        edits.add_review(base, "request_referral", label="x", sla_hours=None, legal_basis="Pasal 1")


def test_unreachable_stage_and_missing_close_are_reported_in_place(region):
    base = region("payakumbuh")
    orphan = {**base, "states": base["states"] + [{"key": "limbo", "label": "Tidak terjangkau", "sla_hours": 1}]}
    assert "stage:limbo" in place_problems(check_definition(orphan))
    no_close = {**base, "transitions": [t for t in base["transitions"] if t["to"] != "closed"]}
    problems = check_definition(no_close)
    assert any("penutupan" in p for p in problems)


def test_routing_only_to_back_office_units(region):
    base = region("palembang")
    with pytest.raises(EditError) as err:
        edits.set_routing(base, {**base["routing"], "kesehatan": "front_office"}, ["back_office"])
    assert "kesehatan" in err.value.errors
    bad = {**base, "routing": {**base["routing"], "kesehatan": "front_office"}}
    assert "routing:kesehatan" in place_problems(check_definition(bad))


def test_open_a_welfare_center_channel(region):
    base = region("payakumbuh")
    opened = edits.set_channel(base, "welfare_center", enabled=True, label="Datang ke PUSKESOS", entry="registered",
                               roles=["intake_officer"], legal_basis="Pasal 8 ayat (3)")
    assert [c["key"] for c in opened["channels"]] == ["walk_in", "welfare_center", "home_visit"]
    # Payakumbuh's Puskesos unit has no post: its secretariat front office may not take the Puskesos channel
    placed = place_problems(check_definition(opened))
    assert list(placed) == ["channel:welfare_center"]
    assert "Jalur \u201cDatang ke PUSKESOS\u201d tidak dapat dipakai" in placed["channel:welfare_center"][0]
    nobody = edits.set_channel(base, "welfare_center", enabled=True, label="x", entry="registered",
                               roles=["welfare_center_coordinator"], legal_basis="Pasal 8 ayat (3)")
    assert "channel:welfare_center" in place_problems(check_definition(nobody))
    closed = edits.set_channel(opened, "welfare_center", enabled=False)
    assert closed == base
    with pytest.raises(EditError) as err:
        edits.set_channel(base, "welfare_center", enabled=True, label="", entry="closed", roles=[], legal_basis="")
    assert {"label", "entry", "roles", "legal_basis"} <= set(err.value.errors)


def test_stage_sla_edit(region):
    base = region("payakumbuh")
    changed = edits.set_stage(base, "referral_approval", label="Menunggu persetujuan rujukan oleh Manajer",
                              sla_hours=24, legal_basis="Pasal 7 ayat (3) huruf f")
    stage = next(s for s in changed["states"] if s["key"] == "referral_approval")
    assert stage["sla_hours"] == 24 and stage["label"].endswith("Manajer")
    with pytest.raises(EditError):
        edits.set_stage(base, "referral_approval", label="x", sla_hours=0)


def test_one_draft_per_region_copied_from_the_current_version(region):
    base = region("cianjur")
    user, _m = member("manager@cianjur.demo")
    draft = start_draft(user)
    assert draft.status == "draft" and draft.definition == base and draft.number == current_version().number + 1
    assert start_draft(user).id == draft.id
    assert db.session.scalar(select(func.count()).select_from(SopVersion).where(SopVersion.status == "draft")) == 1
    discard_draft(draft)
    assert current_draft() is None


def test_publish_refused_while_the_draft_has_problems_or_changes_nothing(region):
    base = region("payakumbuh")
    user, _m = member("manager@payakumbuh.demo")
    draft = start_draft(user)
    with pytest.raises(DraftInvalid):  # identical to the version in force
        publish_draft(draft, user)
    save_draft(draft, edits.set_step(base, "approve_referral", roles=["welfare_center_coordinator"],
                                     legal_basis="Pasal 1"), what="step")
    with pytest.raises(DraftInvalid) as err:
        publish_draft(draft, user)
    assert any("approve_referral" in p for p in err.value.problems)
    assert current_version().definition == base


def _partner():
    return db.session.scalars(select(Partner).where(Partner.retired_at.is_(None))).first()


def _to_referral_approval(case, slug):
    for key, email, data in (("forward_to_back_office", f"intake_officer@{slug}.demo", StepInput()),
                             ("request_referral", f"case_officer@{slug}.demo",
                              StepInput(note="Perlu bantuan", partner_id=str(_partner().id)))):
        user, membership = member(email)
        take_step(case, key, data, user=user, membership=membership, expected_version=case.version)
    assert case.state == "referral_approval"


def test_publishing_pins_open_cases_and_new_cases_follow_the_new_rule(region):
    base = region("payakumbuh")
    old_version = current_version()
    open_case = make_case("payakumbuh")
    _to_referral_approval(open_case, "payakumbuh")
    user, _m = member("manager@payakumbuh.demo")
    draft = start_draft(user)
    save_draft(draft, _manager_approves(base), what="step")
    published = publish_draft(draft, user)

    assert published.status == "published" and published.published_by == user.id and published.published_at
    assert db.session.get(SopVersion, (old_version.tenant_id, old_version.id)).status == "superseded"
    assert current_version().id == published.id
    assert open_case.sop_version_id == old_version.id
    _u, head = member("unit_head@payakumbuh.demo")
    _u, manager = member("manager@payakumbuh.demo")
    assert "approve_referral" in [t.key for t in allowed_steps(open_case, head)]
    assert "approve_referral" not in [t.key for t in allowed_steps(open_case, manager)]

    new_case = make_case("payakumbuh")
    assert new_case.sop_version_id == published.id
    _to_referral_approval(new_case, "payakumbuh")
    assert "approve_referral" in [t.key for t in allowed_steps(new_case, manager)]
    assert "approve_referral" not in [t.key for t in allowed_steps(new_case, head)]
