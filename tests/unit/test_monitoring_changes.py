"""Correcting a plan: editing and removing an activity or a budget line, the confirmation the
server insists on, the refusal while realisation is recorded, the audit trail, who may, and
other regions' users (404 via CROSS_TENANT)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Invalid
from app.extensions import db
from app.monitoring.changes import remove_activity, remove_budget_line, update_activity, update_budget_line
from app.monitoring.models import BudgetLine, BudgetSpending, PlanActivity
from app.monitoring.operations import record_achievement, record_spending
from app.tenancy.context import tenant_context
from tests.factories import member, tenant
from tests.helpers.monitoring import make_plan

OWNER = "bekasi"


def _activity_values():
    _plan, activity, _line = make_plan(OWNER)
    return {"activity_id": activity.id}


def _line_values():
    _plan, _activity, line = make_plan(OWNER)
    return {"line_id": line.id}


CROSS_TENANT = {
    "monitoring.activity_edit": ("GET", _activity_values),
    "monitoring.activity_update": ("POST", _activity_values),
    "monitoring.activity_remove": ("POST", _activity_values),
    "monitoring.budget_edit": ("GET", _line_values),
    "monitoring.budget_update": ("POST", _line_values),
    "monitoring.budget_remove": ("POST", _line_values),
}

ACTIVITY = {"name": "Sosialisasi SLRT", "target": "4", "target_unit": "kali", "months": ["2", "5"],
            "responsible": "Manajer"}


def _events(action: str, plan_id) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                            AuditEvent.object_id == str(plan_id))))


def test_an_activity_is_corrected_and_the_change_is_audited(region):
    region(OWNER)
    plan, activity, _line = make_plan(OWNER)
    assert update_activity(activity, **dict(ACTIVITY)) is False  # nothing changed: nothing recorded
    assert _events("monitoring.activity.edit", plan.id) == []
    assert update_activity(activity, **dict(ACTIVITY, target="1.200", months=["3"], responsible=" Kasubag TU "))
    assert (activity.target, activity.months, activity.responsible) == (1200, "3", "Kasubag TU")
    [event] = _events("monitoring.activity.edit", plan.id)
    assert event.detail["changes"] == {"target": [4, 1200], "months": ["2,5", "3"],
                                       "responsible": ["Manajer", "Kasubag TU"]}


def test_a_wrong_edit_comes_back_by_field_and_changes_nothing(region):
    region(OWNER)
    _plan, activity, line = make_plan(OWNER, amount="1.000.000")
    with pytest.raises(Invalid) as refused:
        update_activity(activity, name="", target="0", target_unit="", months=[], responsible="")
    assert set(refused.value.errors) == {"name", "target", "target_unit", "months"}
    with pytest.raises(Invalid) as refused:
        update_budget_line(line, account="", amount="1,5 juta", source="hibah")
    assert set(refused.value.errors) == {"account", "amount", "source"}
    db.session.expire_all()
    assert (activity.name, activity.target, line.amount, line.source) == ("Sosialisasi SLRT", 4, 1000000, "apbd")


def test_a_budget_line_cannot_drop_below_what_it_spent(region):
    region(OWNER)
    plan, _activity, line = make_plan(OWNER, amount="1.000.000")
    user, _m = member(f"manager@{OWNER}.demo")
    record_spending(user, line, month="1", amount="600.000", note="")
    with pytest.raises(Invalid) as refused:
        update_budget_line(line, account=line.account, amount="500.000", source="apbd")
    assert list(refused.value.errors) == ["amount"] and "Rp 600.000" in refused.value.errors["amount"][0]
    assert update_budget_line(line, account="Belanja ATK", amount="Rp 600.000", source="apbn")
    assert (line.account, line.amount, line.source) == ("Belanja ATK", 600000, "apbn")
    [event] = _events("monitoring.budget.edit", plan.id)
    assert event.detail["changes"]["amount"] == [1000000, 600000]


def test_removing_needs_the_confirmation_and_no_recorded_realisation(region):
    region(OWNER)
    plan, activity, line = make_plan(OWNER)
    user, _m = member(f"manager@{OWNER}.demo")
    with pytest.raises(Invalid) as refused:
        remove_activity(activity, confirmed=False)
    assert list(refused.value.errors) == ["confirm"]
    record_achievement(activity, achieved="1", on=date(plan.year, 2, 1), note="")
    record_spending(user, line, month="2", amount="100.000", note="")
    for remove, item in ((remove_activity, activity), (remove_budget_line, line)):
        with pytest.raises(Invalid) as refused:
            remove(item, confirmed=True)
        assert "tidak dapat dihapus" in refused.value.errors["confirm"][0]
    db.session.expire_all()
    assert db.session.get(PlanActivity, (plan.tenant_id, activity.id)) is not None
    assert db.session.get(BudgetLine, (plan.tenant_id, line.id)) is not None
    # A mistaken realisation is corrected to 0 first; then the item goes (the zero months with it).
    record_achievement(activity, achieved="0", on=date(plan.year, 2, 1), note="keliru")
    record_spending(user, line, month="2", amount="0", note="keliru")
    remove_activity(activity, confirmed=True)
    remove_budget_line(line, confirmed=True)
    db.session.expire_all()
    assert db.session.get(PlanActivity, (plan.tenant_id, activity.id)) is None
    assert db.session.get(BudgetLine, (plan.tenant_id, line.id)) is None
    assert db.session.scalar(select(BudgetSpending.id).where(BudgetSpending.line_id == line.id)) is None
    [gone] = _events("monitoring.activity.remove", plan.id)
    assert gone.detail["activity"] == "Sosialisasi SLRT"
    assert len(_events("monitoring.budget.remove", plan.id)) == 1


def _made(app, **kwargs):
    with app.app_context(), tenant_context(tenant(OWNER)):
        plan, activity, line = make_plan(OWNER, **kwargs)
        db.session.commit()
        return plan.id, activity.id, line.id


def test_editing_over_http_keeps_what_was_typed_and_shows_errors_at_the_field(app, staff):
    plan_id, activity_id, line_id = _made(app)
    client = staff("manager", OWNER)
    page = client.get(f"/monitoring/activities/{activity_id}/edit").get_data(as_text=True)
    assert 'value="Sosialisasi SLRT"' in page and 'value="4"' in page
    assert 'checked id="months-1"' in page and 'checked id="months-2"' not in page  # Feb kept, Mar not
    page = client.get(f"/monitoring/budget/{line_id}/edit").get_data(as_text=True)
    assert 'value="1.250.000"' in page and 'selected value="apbd"' in page
    response = client.post(f"/monitoring/activities/{activity_id}/edit",
                           data=dict(ACTIVITY, name="Sosialisasi di desa", target="dua belas"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Sosialisasi di desa"' in page and 'value="dua belas"' in page and 'id="target-error"' in page
    response = client.post(f"/monitoring/budget/{line_id}/edit", data={"account": "Belanja ATK",
                                                                       "amount": "2.500.000", "source": "apbn"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#line-{line_id}")
    assert "Belanja ATK" in client.get(f"/monitoring/plans/{plan_id}").get_data(as_text=True)


def test_removing_over_http_is_refused_without_the_box_ticked(app, staff):
    _plan_id, activity_id, line_id = _made(app)
    client = staff("manager", OWNER)
    response = client.post(f"/monitoring/activities/{activity_id}/remove", data={})
    assert response.status_code == 422 and 'id="confirm-error"' in response.get_data(as_text=True)
    response = client.post(f"/monitoring/budget/{line_id}/remove", data={"confirm": "y"})
    assert response.status_code == 302
    with app.app_context(), tenant_context(tenant(OWNER)):
        assert db.session.get(PlanActivity, (tenant(OWNER).id, activity_id)) is not None
        assert db.session.get(BudgetLine, (tenant(OWNER).id, line_id)) is None
    assert client.get(f"/monitoring/budget/{line_id}/edit").status_code == 404


def test_an_item_with_realisation_is_kept_and_the_reason_given(app, staff):
    _plan_id, activity_id, _line_id = _made(app)
    client = staff("manager", OWNER)
    with app.app_context(), tenant_context(tenant(OWNER)):
        activity = db.session.get(PlanActivity, (tenant(OWNER).id, activity_id))
        record_achievement(activity, achieved="2", on=date(activity_year(activity), 2, 1), note="")
        db.session.commit()
    response = client.post(f"/monitoring/activities/{activity_id}/remove", data={"confirm": "y"})
    assert response.status_code == 409
    assert "catat capaiannya 0 dulu" in response.get_data(as_text=True)


def activity_year(activity: PlanActivity) -> int:
    from app.monitoring.operations import plan_or_404

    return plan_or_404(activity.plan_id).year


def test_only_those_who_plan_may_edit_or_remove(app, staff):
    _plan_id, activity_id, line_id = _made(app)
    outsider = staff("intake_officer", OWNER)
    for url in (f"/monitoring/activities/{activity_id}/edit", f"/monitoring/budget/{line_id}/edit"):
        assert outsider.get(url).status_code == 403
        assert outsider.post(url, data={"name": "x", "account": "x"}).status_code == 403
    for url in (f"/monitoring/activities/{activity_id}/remove", f"/monitoring/budget/{line_id}/remove"):
        assert outsider.post(url, data={"confirm": "y"}).status_code == 403
    with app.app_context(), tenant_context(tenant(OWNER)):
        assert db.session.get(PlanActivity, (tenant(OWNER).id, activity_id)).name == "Sosialisasi SLRT"
        assert db.session.get(BudgetLine, (tenant(OWNER).id, line_id)) is not None


def test_another_regions_manager_cannot_touch_them(app, staff):
    _plan_id, activity_id, line_id = _made(app)
    intruder = staff("manager", "cianjur")
    assert intruder.post(f"/monitoring/activities/{activity_id}/remove", data={"confirm": "y"}).status_code == 404
    assert intruder.post(f"/monitoring/budget/{line_id}/edit", data={"account": "Dibajak", "amount": "1",
                                                                     "source": "apbd"}).status_code == 404
    with app.app_context(), tenant_context(tenant(OWNER)):
        assert db.session.get(PlanActivity, (tenant(OWNER).id, activity_id)) is not None
        assert db.session.get(BudgetLine, (tenant(OWNER).id, line_id)).account == "5.1.02 Belanja barang"
