"""A review before a stage (an approval before it, "add an approval by ___ before this stage"):
the steps and channels that lead into the stage pass the review first, but a return into the
stage (a referral the approver sends back to the back office) goes straight back to it, and the
new steps are named for what they do. The walk of a case under it is in
tests/e2e/test_onboard_any_procedure.py."""
import pytest

from app.casework.sop_drafts import check_definition
from app.casework.sop_presets import add_approval, return_before
from app.casework.sop_store import current_version

SLUG = "payakumbuh"


@pytest.fixture()
def sop(region):
    region(SLUG)
    return current_version().definition


def _step(definition, key):
    return next(t for t in definition["transitions"] if t["key"] == key)


def _label(definition, key):
    return next(s["label"] for s in definition["states"] if s["key"] == key)


def test_a_review_before_the_back_office_is_not_passed_again_by_a_returned_referral(sop):
    assert _step(sop, "return_referral")["to"] == "analysis"
    back_to = return_before(sop, "analysis")
    changed, gate = add_approval(sop, before_stage="analysis", roles=["supervisor"], legal_basis="Pasal 7",
                                 label="Menunggu telaah data", return_to=back_to)
    assert check_definition(changed) == []
    assert _step(changed, "forward_to_back_office")["to"] == gate  # the way in passes the review
    assert _step(changed, "return_referral")["to"] == "analysis"  # a referral sent back does not
    assert _step(changed, f"approve_{gate}")["to"] == "analysis"
    assert _step(changed, f"return_{gate}")["to"] == back_to == "registered"


def test_the_steps_of_a_review_before_a_stage_say_where_they_lead(sop):
    changed, gate = add_approval(sop, before_stage="analysis", roles=["supervisor"], legal_basis="Pasal 7",
                                 return_to="registered")
    onward, back = _label(sop, "analysis"), _label(sop, "registered")
    assert _step(changed, f"approve_{gate}")["label"] == f"Setujui (Supervisor), lanjut ke \u201c{onward}\u201d"
    assert _step(changed, f"return_{gate}")["label"] == f"Kembalikan (Supervisor) ke \u201c{back}\u201d"
    # After a step the approver approves what the step proposed (unchanged).
    after, stage = add_approval(sop, after_step="request_referral", roles=["manager"], legal_basis="Pasal 7",
                                return_to="analysis")
    proposal = _step(sop, "request_referral")["label"]
    assert _step(after, f"approve_{stage}")["label"] == f"Setujui (Manajer): {proposal}"
    assert _step(after, f"return_{stage}")["label"] == f"Kembalikan (Manajer): {proposal}"
