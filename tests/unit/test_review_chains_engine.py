"""The review engine reads chains from region data: who may act at each stage, in which area,
and what every decision leaves behind (a step, an audit event, the record's status).

Attackers first: a supervisor of another district, a wrong role, the proposer, a stale
decision, another region — then the chain carried from stage to stage."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEvent
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.reviews.operations import decide, may_act, steps_of, submit
from app.reviews.queue import waiting_page
from app.tenancy.context import tenant_in_context
from app.verval.models import DataUpdate
from tests.factories import member
from tests.helpers.regions import in_region
from tests.helpers.verval import TWO_STAGES, demo_user_id, district_village, submitted_update

SLUG = "payakumbuh"


def _m(role: str, slug: str = SLUG):
    return member(f"{role}@{slug}.demo")[1]


def _steps(record):
    return steps_of(record.kind, record.id)


# --- attackers ------------------------------------------------------------------------------


def test_a_supervisor_of_another_district_cannot_act(region):
    region(SLUG)
    elsewhere = submitted_update(district_village(1), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
    supervisor = _m("supervisor")
    assert {a.district_code for a in supervisor.areas} == {district_village(0).district_code}
    assert may_act(supervisor, elsewhere) is False
    with pytest.raises(Forbidden):
        decide(elsewhere, elsewhere.kind, "approve", "", supervisor)
    assert (elsewhere.status, elsewhere.stage, _steps(elsewhere)) == ("pending", 0, [])
    assert elsewhere.id not in {row.record.id for row in waiting_page(supervisor).items}


def test_a_wrong_role_is_refused_at_every_stage(region):
    region(SLUG)
    record = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
    for role in ("manager", "case_officer", "unit_head", "intake_officer"):  # the manager's turn is later
        assert may_act(_m(role), record) is False
        with pytest.raises(Forbidden):
            decide(record, record.kind, "approve", "", _m(role))
    assert record.stage == 0 and _steps(record) == []


def test_the_proposer_never_decides_their_own_proposal(region):
    region(SLUG)
    own = submitted_update(district_village(0), by=f"manager@{SLUG}.demo",
                           chain=[{"action": "decide", "roles": ["manager"], "legal_basis": "Pasal uji"}])
    assert may_act(_m("manager"), own) is False
    with pytest.raises(Forbidden, match="petugas lain"):
        decide(own, own.kind, "approve", "", _m("manager"))


def test_rejecting_needs_a_reason(region):
    region(SLUG)
    record = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
    with pytest.raises(Invalid) as refused:
        decide(record, record.kind, "reject", "   ", _m("supervisor"))
    assert "note" in refused.value.errors and (record.status, record.stage) == ("pending", 0)
    with pytest.raises(Invalid):
        decide(record, record.kind, "maybe", "", _m("supervisor"))
    decide(record, record.kind, "reject", "KK sudah pindah ke kota lain", _m("supervisor"))
    assert record.status == "rejected" and record.decided_at is not None
    assert record.note == "KK sudah pindah ke kota lain"
    assert [(s.stage, s.decision, s.role) for s in _steps(record)] == [(0, "reject", "supervisor")]
    with pytest.raises(Conflict):  # rejected at the first stage: nothing left for the manager
        decide(record, record.kind, "approve", "", _m("manager"))


def test_a_stale_decision_is_refused_not_doubled(region):
    region(SLUG)
    record = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
    # Another supervisor took the stage a moment ago (in the database, not in this object).
    db.session.execute(update(DataUpdate).where(DataUpdate.id == record.id).values(stage=1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(Conflict):
        decide(record, record.kind, "approve", "", _m("supervisor"))
    assert _steps(record) == []


def test_another_regions_user_gets_404_on_the_review_and_its_decision(app, staff):
    def build():
        record = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
        return record.kind, record.id
    kind, record_id = in_region(app, SLUG, build)
    intruder = staff("manager", "bekasi")
    assert intruder.get(f"/verval/reviews/{kind}/{record_id}").status_code == 404
    assert intruder.post(f"/verval/reviews/{kind}/{record_id}", data={"decision": "approve"}).status_code == 404
    assert in_region(app, SLUG, lambda: db.session.get(DataUpdate, {"tenant_id": _tid(), "id": record_id}).stage) == 0


def _tid():
    from app.tenancy.context import current_tenant_id

    return current_tenant_id()


def test_over_http_a_wrong_role_gets_403_and_an_outsider_404(app, staff):
    def build():
        here = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
        there = submitted_update(district_village(1), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
        return here.kind, here.id, there.id
    kind, here, there = in_region(app, SLUG, build)
    # The head of the UPT sees the data updates but is not in this chain: the page, no decision.
    unit_head = staff("unit_head", SLUG)
    assert unit_head.get(f"/verval/reviews/{kind}/{here}").status_code == 200
    assert unit_head.post(f"/verval/reviews/{kind}/{here}", data={"decision": "approve"}).status_code == 403
    # The supervisor of another district does not even see it.
    supervisor = staff("supervisor", SLUG)
    assert supervisor.get(f"/verval/reviews/{kind}/{there}").status_code == 404
    assert supervisor.post(f"/verval/reviews/{kind}/{there}", data={"decision": "approve"}).status_code == 404
    # The manager waits for the supervisor.
    assert staff("manager", SLUG).post(f"/verval/reviews/{kind}/{here}",
                                       data={"decision": "approve"}).status_code == 403
    response = supervisor.post(f"/verval/reviews/{kind}/{here}", data={"decision": "reject", "note": ""})
    assert response.status_code == 422 and "Tuliskan alasan penolakan." in response.get_data(as_text=True)


# --- the chain, carried through -------------------------------------------------------------


def waiting_ids(membership, **filters) -> set:
    """Every record waiting for the member, over all pages (the shared test database holds others' too)."""
    found, page = set(), 1
    while True:
        pager = waiting_page(membership, page=page, **filters)
        found |= {row.record.id for row in pager.items}
        if page >= (pager.pages or 1):
            return found
        page += 1


def test_payakumbuh_like_chain_supervisor_reviews_then_manager_decides(region):
    region(SLUG)
    record = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", kind="new_household",
                              chain=TWO_STAGES)
    assert record.chain == TWO_STAGES and (record.status, record.stage) == ("pending", 0)
    supervisor, manager = _m("supervisor"), _m("manager")
    assert may_act(supervisor, record) and not may_act(manager, record)
    assert record.id in waiting_ids(supervisor, kind="new_household")
    decide(record, "new_household", "approve", "Sudah diverifikasi di lapangan", supervisor)
    assert (record.status, record.stage, record.decided_at) == ("pending", 1, None)
    assert not may_act(supervisor, record) and may_act(manager, record)
    assert record.id in waiting_ids(manager)
    decide(record, "new_household", "approve", "", manager)
    assert record.status == "approved" and record.decided_at is not None and record.stage == 2
    steps = _steps(record)
    assert [(s.stage, s.action, s.role, s.decision) for s in steps] == [
        (0, "review", "supervisor", "approve"), (1, "decide", "manager", "approve")]
    assert [s.legal_basis for s in steps] == [stage["legal_basis"] for stage in TWO_STAGES]
    assert steps[0].decided_by == demo_user_id(f"supervisor@{SLUG}.demo")
    events = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "review.decide",
                                                                AuditEvent.object_id == str(record.id))
                                .order_by(AuditEvent.at)).all()
    assert [(e["stage"], e["decision"], e["status"]) for e in events] == [(0, "approve", "pending"),
                                                                          (1, "approve", "approved")]


def test_the_record_keeps_its_chain_when_the_region_changes_it(region):
    tenant = region(SLUG)
    record = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
    tenant.review_chains = {record.kind: [{"action": "decide", "roles": ["unit_head"], "legal_basis": "baru"}]}
    assert may_act(_m("supervisor"), record)
    decide(record, record.kind, "approve", "", _m("supervisor"))
    assert may_act(_m("manager"), record) and not may_act(_m("unit_head"), record)


def test_an_empty_chain_approves_at_once_and_submit_is_audited(region, monkeypatch):
    from app.reviews import operations

    region(SLUG)
    monkeypatch.setattr(operations, "_chain_for", lambda kind: [])
    record = DataUpdate(kind="member_moved", kk_number="1376011234567890", nik="", data={},
                        district_code=district_village(0).district_code, village_code=district_village(0).code,
                        created_by=demo_user_id(f"facilitator@{SLUG}.demo"))
    submit(record, "member_moved")
    assert record.status == "approved" and record.decided_at is not None and record.chain == []
    db.session.flush()
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == str(record.id))) == \
        "review.submit"


def test_the_queue_holds_every_kind_and_never_another_regions(region):
    region("bekasi")
    theirs = submitted_update(district_village(0), by="facilitator@bekasi.demo", chain=TWO_STAGES)
    region(SLUG)
    mine = submitted_update(district_village(0), by=f"facilitator@{SLUG}.demo", chain=TWO_STAGES)
    waiting = {row.record.id for row in waiting_page(_m("supervisor")).items}
    assert mine.id in waiting and theirs.id not in waiting


def test_the_queue_page_shows_a_need_with_its_chain_and_legal_basis(app, staff):
    from app.programs.models import Need

    def build():
        tenant = tenant_in_context()
        saved = dict(tenant.review_chains or {})
        tenant.review_chains = {**saved, "need": TWO_STAGES}
        village = district_village(0)
        need = Need(kk_number="1376017700000001", nik="", district_code=village.district_code,
                    village_code=village.code, service_area="pendidikan", reason="Seragam sekolah anak",
                    created_by=demo_user_id(f"facilitator@{SLUG}.demo"))
        submit(need, "need")
        tenant.review_chains = saved
        db.session.flush()
        return need.id
    need_id = in_region(app, SLUG, build)
    client = staff("supervisor", SLUG)
    page = client.get("/verval/reviews?kind=need").get_data(as_text=True)
    assert f"/verval/reviews/need/{need_id}" in page and "Seragam sekolah anak" in page
    assert "Pasal 7 ayat (4) huruf b" in page and "1376017700000001" not in page  # the KK is masked
    detail = client.get(f"/verval/reviews/need/{need_id}").get_data(as_text=True)
    assert "Keputusan Anda" in detail and "Pasal 7 ayat (3) huruf e angka b" in detail
    assert client.post(f"/verval/reviews/need/{need_id}", data={"decision": "approve"}).status_code == 302
    assert f"/verval/reviews/need/{need_id}" not in client.get("/verval/reviews").get_data(as_text=True)
