"""Monitoring and evaluation: the annual plan and budget, its realisation and totals, who may
enter it, and other regions' users (404 on every URL with an id, via CROSS_TENANT)."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.errors import Invalid
from app.extensions import db
from app.monitoring.figures import progress_of, totals
from app.monitoring.models import ActivityPlan, BudgetSpending
from app.monitoring.operations import (
    add_activity,
    add_budget_line,
    create_plan,
    parse_rupiah,
    record_achievement,
    record_spending,
)
from app.permissions import Capability, roles_for
from tests.factories import member, tenant
from tests.helpers.monitoring import free_owner_and_year, make_plan

OWNER = "bekasi"


def _plan_values():
    plan, _activity, _line = make_plan(OWNER)
    return {"plan_id": plan.id}


def _activity_values():
    _plan, activity, _line = make_plan(OWNER)
    return {"activity_id": activity.id}


def _line_values():
    _plan, _activity, line = make_plan(OWNER)
    return {"line_id": line.id}


CROSS_TENANT = {
    "monitoring.plan": ("GET", _plan_values),
    "monitoring.activity_add": ("POST", _plan_values),
    "monitoring.budget_add": ("POST", _plan_values),
    "monitoring.activity_realise": ("POST", _activity_values),
    "monitoring.budget_spend": ("POST", _line_values),
}


@pytest.mark.parametrize("typed, value", [("1.250.000", 1250000), ("Rp 1.250.000", 1250000), ("1250000", 1250000),
                                          ("Rp1.250.000,00", 1250000), ("0", 0), ("750.000,-", 750000)])
def test_amounts_are_read_as_indonesians_write_them(typed, value):
    assert parse_rupiah(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "1,250,000", "1.25.000", "12.5", "-5", "1.250.000,50"])
def test_other_amounts_are_refused(typed):
    assert parse_rupiah(typed) is None


def test_plan_activity_budget_and_totals(region):
    region(OWNER)
    plan, activity, line = make_plan(OWNER, amount="Rp 2.000.000", target="4")
    assert (line.amount, activity.target, activity.month_numbers) == (2000000, 4, [2, 5])
    user, _m = member(f"manager@{OWNER}.demo")
    record_achievement(activity, achieved="3", on=date(plan.year, 6, 30), note="tiga kecamatan")
    record_spending(user, line, month="2", amount="500.000", note="")
    record_spending(user, line, month="3", amount="1.000.000", note="")
    record_spending(user, line, month="2", amount="700.000", note="")  # recorded again: replaces February
    db.session.expire_all()
    progress = progress_of(db.session.get(ActivityPlan, (plan.tenant_id, plan.id)))
    assert (progress.activities, progress.reached, progress.budget, progress.spent) == (1, 0, 2000000, 1700000)
    assert progress.absorbed == pytest.approx(0.85) and progress.achievement == pytest.approx(0.75)
    second = add_activity(plan, name="Rapat koordinasi", target="2", target_unit="kali", months=["12"],
                          responsible="")
    record_achievement(second, achieved="5", on=date(plan.year, 12, 1), note="")
    add_budget_line(plan, account="Honor", amount="1.000.000", source="apbn")
    db.session.expire_all()
    progress = progress_of(db.session.get(ActivityPlan, (plan.tenant_id, plan.id)))
    assert (progress.activities, progress.reached, progress.budget) == (2, 1, 3000000)
    assert progress.achievement == pytest.approx((0.75 + 1.0) / 2)  # over-achievement counts as 100 %
    total = totals([progress, progress])
    assert total is not None and (total.activities, total.budget, total.spent) == (4, 6000000, 3400000)


def test_spending_beyond_the_budget_needs_a_note(region):
    region(OWNER)
    _plan, _activity, line = make_plan(OWNER, amount="1.000.000")
    user, _m = member(f"manager@{OWNER}.demo")
    record_spending(user, line, month="1", amount="800.000", note="")
    with pytest.raises(Invalid) as refused:
        record_spending(user, line, month="2", amount="300.000", note="")
    assert list(refused.value.errors) == ["note"]
    record_spending(user, line, month="2", amount="300.000", note="Harga naik; disetujui Kepala Dinas")
    assert db.session.scalar(select(BudgetSpending.amount).where(BudgetSpending.line_id == line.id,
                                                                 BudgetSpending.month == 2)) == 300000


def test_errors_come_back_by_field_and_nothing_is_stored(region):
    region(OWNER)
    user, _m = member(f"manager@{OWNER}.demo")
    key, year = free_owner_and_year(OWNER)
    with pytest.raises(Invalid) as refused:
        create_plan(user, year=1999, owner_key="unit:" + str(uuid.uuid4()))
    assert set(refused.value.errors) == {"year", "owner"}
    plan = create_plan(user, year=year, owner_key=key)
    with pytest.raises(Invalid) as refused:
        create_plan(user, year=year, owner_key=key)
    assert list(refused.value.errors) == ["owner"]
    with pytest.raises(Invalid) as refused:
        add_activity(plan, name="", target="nol", target_unit="", months=[], responsible="")
    assert set(refused.value.errors) == {"name", "target", "target_unit", "months"}
    with pytest.raises(Invalid) as refused:
        add_budget_line(plan, account="", amount="1,5 juta", source="hibah")
    assert set(refused.value.errors) == {"account", "amount", "source"}
    db.session.expire_all()
    assert progress_of(db.session.get(ActivityPlan, (plan.tenant_id, plan.id))).activities == 0


def test_a_manager_enters_a_plan_over_http_and_a_bad_amount_stays_at_its_field(app, staff):
    client = staff("manager", OWNER)
    with app.app_context():
        from app.tenancy.context import tenant_context

        with tenant_context(tenant(OWNER)):
            key, year = free_owner_and_year(OWNER)
    response = client.post("/monitoring/plans", data={"year": str(year), "owner": key})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    plan_url = response.headers["Location"]
    response = client.post(plan_url + "/budget", data={"account": "Belanja ATK", "amount": "1.250.000,5",
                                                       "source": "apbd"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Belanja ATK"' in page and 'value="1.250.000,5"' in page  # nothing typed is lost
    assert 'id="amount-error"' in page
    assert client.post(plan_url + "/budget", data={"account": "Belanja ATK", "amount": "1.250.000",
                                                   "source": "apbd"}).status_code == 302
    page = client.get(plan_url).get_data(as_text=True)
    assert "Belanja ATK" in page and "1.250.000" in page


def test_who_may_plan_and_evaluate_is_the_regions_data(app, staff):
    assert staff("intake_officer", OWNER).get("/monitoring/plans").status_code == 403
    assert staff("manager", OWNER).get("/monitoring/plans").status_code == 200
    # Bekasi keeps the defaults: the manager plans but does not write the evaluation
    assert staff("manager", OWNER).get("/monitoring/evaluation/notes").status_code == 403
    assert staff("monitoring_officer", OWNER).get("/monitoring/evaluation/notes").status_code == 200
    with app.app_context():
        # Batu Bara: the Dinas Sosial and Bappeda evaluation posts (Pasal 20 ayat (1)); Payakumbuh: the
        # Kepala UPT, Manajer and Kasubag TU plan (Pasal 7)
        assert roles_for(Capability.EVALUATE, tenant("batubara")) == {"unit_head", "monitoring_officer"}
        assert roles_for(Capability.EVALUATE, tenant("palembang")) == {"unit_head", "monitoring_officer"}
        assert roles_for(Capability.PLAN_ACTIVITIES, tenant("payakumbuh")) == {"unit_head", "manager",
                                                                               "admin_staff"}
    assert staff("monitoring_officer", "batubara").get("/monitoring/evaluation/notes").status_code == 200
    assert staff("coordination_member", "batubara").get("/monitoring/evaluation/notes").status_code == 403


def test_the_dashboard_panel_shows_plan_against_realisation(app, staff, region):
    with app.app_context():
        from app.tenancy.context import tenant_context

        with tenant_context(tenant(OWNER)):
            plan, activity, line = make_plan(OWNER, amount="4.000.000", target="10")
            user, _m = member(f"manager@{OWNER}.demo")
            record_achievement(activity, achieved="5", on=date(plan.year, 3, 1), note="")
            record_spending(user, line, month="3", amount="1.000.000", note="")
            owner, year = plan.owner_name, plan.year
            db.session.commit()
    page = staff("manager", OWNER).get(f"/monitoring/panel?year={year}").get_data(as_text=True)
    assert owner in page and "0 / 1" in page and "25%" in page and "Rp 4.000.000" in page
    assert 'hx-get="/monitoring/panel' in staff("manager", OWNER).get("/dashboard/").get_data(as_text=True)
