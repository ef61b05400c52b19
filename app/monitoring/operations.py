"""Entering the annual plan and its realisation: the owners a plan may have, the plan itself,
its activities and budget lines, what each activity achieved and what each line spent per month.

Every operation validates what the person typed and raises `Invalid` with the errors by field
(nothing is stored then), and records an audit event. Amounts are typed as Indonesians write
them ("1.250.000", "Rp 1.250.000,00") and kept as whole rupiah.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.log import record
from app.errors import Invalid, NotFound
from app.extensions import db
from app.monitoring.models import ActivityPlan, BudgetLine, BudgetSpending, FundSource, PlanActivity
from app.org.models import OrgUnit
from app.reference.models import District
from app.tenancy.context import tenant_in_context

#: Unit kinds that can own a plan (the secretariat and the Puskesos); districts own one by code.
OWNER_UNIT_KINDS = ("secretariat", "welfare_center")
MAX_AMOUNT = 10**15  # a thousand trillion rupiah: more is a typing error
MAX_TARGET = 10**9
_RUPIAH = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")


def parse_rupiah(text: str | None) -> int | None:
    """`1.250.000`, `Rp 1.250.000,00`, `1250000` → 1250000; None when it is not an amount."""
    value = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if value[:2].lower() == "rp":
        value = value[2:].lstrip(".")
    if value.endswith(",00") or value.endswith(",-"):
        value = value[:-3] if value.endswith(",00") else value[:-2]
    if not _RUPIAH.match(value):
        return None
    return int(value.replace(".", ""))


def parse_count(text: str | None) -> int | None:
    """A whole number as typed ("1.200" or "1200"); None otherwise."""
    return parse_rupiah(text)


@dataclass(frozen=True)
class Owner:
    key: str  # unit:<id> | district:<code>
    name: str
    group: str  # the unit kind, or "district"


def owner_choices() -> list[Owner]:
    """Who may have a plan here: the secretariat, each Puskesos, each district of the region."""
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.kind.in_(OWNER_UNIT_KINDS), OrgUnit.retired_at.is_(None))
                               .order_by(OrgUnit.kind.desc(), OrgUnit.sort_order, OrgUnit.name)).all()
    owners = [Owner(f"unit:{u.id}", u.name, u.kind) for u in units]
    districts = db.session.execute(select(District.code, District.name).where(
        District.regency_code == tenant_in_context().region_code).order_by(District.name)).all()
    owners += [Owner(f"district:{code}", _("Kecamatan %(name)s", name=name), "district") for code, name in districts]
    return owners


def plans_of(year: int) -> list[ActivityPlan]:
    return list(db.session.scalars(select(ActivityPlan).where(ActivityPlan.year == year)
                                   .order_by(ActivityPlan.owner_key.desc(), ActivityPlan.owner_name)))


def plan_or_404(plan_id: uuid.UUID) -> ActivityPlan:
    plan = db.session.get(ActivityPlan, (tenant_in_context().id, plan_id))
    if plan is None:
        raise NotFound(_("Rencana tidak ditemukan."))
    return plan


def activity_or_404(activity_id: uuid.UUID) -> PlanActivity:
    activity = db.session.get(PlanActivity, (tenant_in_context().id, activity_id))
    if activity is None:
        raise NotFound(_("Kegiatan tidak ditemukan."))
    return activity


def line_or_404(line_id: uuid.UUID) -> BudgetLine:
    line = db.session.get(BudgetLine, (tenant_in_context().id, line_id))
    if line is None:
        raise NotFound(_("Mata anggaran tidak ditemukan."))
    return line


def _year_error(year: int | None) -> str | None:
    from app.dashboard.periods import today

    if year is None or not 2000 <= year <= today().year + 1:
        return _("Tahun anggaran antara 2000 dan %(y)s.", y=today().year + 1)
    return None


def create_plan(user, *, year: int | None, owner_key: str) -> ActivityPlan:
    """The plan of one owner for one year (one per owner and year)."""
    errors: dict[str, list[str]] = {"year": [], "owner": []}
    if (problem := _year_error(year)) is not None:
        errors["year"].append(problem)
    owner = next((o for o in owner_choices() if o.key == owner_key), None)
    if owner is None:
        errors["owner"].append(_("Pilih pemilik rencana dari daftar."))
    elif year is not None and db.session.scalar(select(ActivityPlan.id).where(
            ActivityPlan.year == year, ActivityPlan.owner_key == owner_key)) is not None:
        errors["owner"].append(_("%(owner)s sudah punya rencana tahun %(year)s.", owner=owner.name, year=year))
    if any(errors.values()):
        raise Invalid(errors=errors)
    assert owner is not None and year is not None
    kind, _sep, ref = owner.key.partition(":")
    plan = ActivityPlan(year=year, owner_key=owner.key, owner_name=owner.name, created_by=user.id,
                        owner_unit_id=uuid.UUID(ref) if kind == "unit" else None,
                        owner_district_code=ref if kind == "district" else None)
    db.session.add(plan)
    db.session.flush()
    record("monitoring.plan.create", "activity_plan", plan.id, year=year, owner=owner.name)
    return plan


def _next_order(model, plan_id) -> int:
    return (db.session.scalar(select(func.max(model.sort_order)).where(model.plan_id == plan_id)) or 0) + 1


def parse_months(values) -> list[int]:
    return sorted({int(v) for v in values or [] if str(v).isdigit() and 1 <= int(v) <= 12})


@dataclass(frozen=True)
class ActivityValues:
    name: str
    target: int
    target_unit: str
    months: str  # "1,2,3"
    responsible: str


def activity_values(*, name: str, target: str, target_unit: str, months: list, responsible: str) -> ActivityValues:
    """An activity as typed, checked (`Invalid` with the errors by field); used to add and to edit."""
    errors: dict[str, list[str]] = {"name": [], "target": [], "target_unit": [], "months": [], "responsible": []}
    name, target_unit, responsible = name.strip(), target_unit.strip(), responsible.strip()
    if not name:
        errors["name"].append(_("Tulis nama kegiatan."))
    elif len(name) > 200:
        errors["name"].append(_("Paling banyak 200 huruf."))
    figure = parse_count(target)
    if figure is None or figure <= 0 or figure > MAX_TARGET:
        errors["target"].append(_("Tulis target berupa bilangan bulat lebih dari nol, misalnya 12."))
    if not target_unit:
        errors["target_unit"].append(_("Tulis satuan target, misalnya \u201ckali\u201d atau \u201corang\u201d."))
    elif len(target_unit) > 40:
        errors["target_unit"].append(_("Paling banyak 40 huruf."))
    chosen = parse_months(months)
    if not chosen:
        errors["months"].append(_("Pilih sedikitnya satu bulan pelaksanaan."))
    if len(responsible) > 200:
        errors["responsible"].append(_("Paling banyak 200 huruf."))
    if any(errors.values()):
        raise Invalid(errors=errors)
    assert figure is not None
    return ActivityValues(name, figure, target_unit, ",".join(str(m) for m in chosen), responsible)


def add_activity(plan: ActivityPlan, *, name: str, target: str, target_unit: str, months: list,
                 responsible: str) -> PlanActivity:
    """A planned activity with its target figure and unit, the months it runs and who is responsible."""
    values = activity_values(name=name, target=target, target_unit=target_unit, months=months,
                             responsible=responsible)
    activity = PlanActivity(plan_id=plan.id, name=values.name, target=values.target, target_unit=values.target_unit,
                            months=values.months, responsible=values.responsible,
                            sort_order=_next_order(PlanActivity, plan.id))
    db.session.add(activity)
    db.session.flush()
    record("monitoring.activity.add", "activity_plan", plan.id, activity=values.name, target=values.target,
           unit=values.target_unit)
    return activity


@dataclass(frozen=True)
class BudgetValues:
    account: str
    amount: int
    source: str


def budget_values(*, account: str, amount: str, source: str) -> BudgetValues:
    """A budget line as typed, checked (`Invalid` with the errors by field); used to add and to edit."""
    errors: dict[str, list[str]] = {"account": [], "amount": [], "source": []}
    account = account.strip()
    if not account:
        errors["account"].append(_("Tulis kode rekening atau uraian belanja."))
    elif len(account) > 200:
        errors["account"].append(_("Paling banyak 200 huruf."))
    value = parse_rupiah(amount)
    if value is None or value <= 0 or value > MAX_AMOUNT:
        errors["amount"].append(_("Tulis jumlah dalam rupiah, misalnya 1.250.000."))
    if source not in FundSource.labels():
        errors["source"].append(_("Pilih sumber dana."))
    if any(errors.values()):
        raise Invalid(errors=errors)
    assert value is not None
    return BudgetValues(account, value, source)


def add_budget_line(plan: ActivityPlan, *, account: str, amount: str, source: str) -> BudgetLine:
    """A budget line: account or description, amount in rupiah, source of funds."""
    values = budget_values(account=account, amount=amount, source=source)
    line = BudgetLine(plan_id=plan.id, account=values.account, amount=values.amount, source=values.source,
                      sort_order=_next_order(BudgetLine, plan.id))
    db.session.add(line)
    db.session.flush()
    record("monitoring.budget.add", "activity_plan", plan.id, account=values.account, amount=values.amount,
           source=values.source)
    return line


def record_achievement(activity: PlanActivity, *, achieved: str, on: date | None, note: str) -> PlanActivity:
    """What the activity has achieved so far (a running total), as of a date, with a note."""
    errors: dict[str, list[str]] = {"achieved": [], "on": [], "note": []}
    figure = parse_count(achieved)
    if figure is None or figure > MAX_TARGET:
        errors["achieved"].append(_("Tulis capaian berupa bilangan bulat, misalnya 3."))
    plan = plan_or_404(activity.plan_id)
    if on is None:
        errors["on"].append(_("Isi tanggal capaian."))
    elif on.year != plan.year:
        errors["on"].append(_("Tanggal harus dalam tahun anggaran %(y)s.", y=plan.year))
    if len(note) > 2000:
        errors["note"].append(_("Paling banyak 2000 huruf."))
    if any(errors.values()):
        raise Invalid(errors=errors)
    assert figure is not None
    activity.achieved, activity.achieved_on, activity.achieved_note = figure, on, note.strip()
    record("monitoring.activity.realise", "activity_plan", plan.id, activity=activity.name, achieved=figure,
           on=on.isoformat() if on else "")
    return activity


def record_spending(user, line: BudgetLine, *, month: str | int, amount: str, note: str) -> BudgetSpending:
    """What the line spent in one month (replacing what was recorded for that month). Spending
    beyond the line's amount is kept only with a note saying why."""
    errors: dict[str, list[str]] = {"month": [], "amount": [], "note": []}
    number = int(month) if str(month).isdigit() else 0
    if not 1 <= number <= 12:
        errors["month"].append(_("Pilih bulan."))
    value = parse_rupiah(amount)
    if value is None or value > MAX_AMOUNT:
        errors["amount"].append(_("Tulis jumlah dalam rupiah, misalnya 1.250.000 (0 bila tidak ada)."))
    note = note.strip()
    if len(note) > 2000:
        errors["note"].append(_("Paling banyak 2000 huruf."))
    existing = db.session.scalar(select(BudgetSpending).where(BudgetSpending.line_id == line.id,
                                                              BudgetSpending.month == number))
    if value is not None and not errors["month"]:
        others = sum(s.amount for s in line.spending if s.month != number)
        if others + value > line.amount and not note:
            errors["note"].append(_("Realisasi melebihi pagu (%(total)s dari %(plan)s): tulis alasannya di catatan.",
                                    total=rupiah(others + value), plan=rupiah(line.amount)))
    if any(errors.values()):
        raise Invalid(errors=errors)
    assert value is not None
    row = existing or BudgetSpending(line_id=line.id, month=number)
    row.amount, row.note, row.recorded_by = value, note, user.id
    db.session.add(row)
    db.session.flush()
    db.session.expire(line, ["spending"])
    record("monitoring.budget.spend", "activity_plan", line.plan_id, account=line.account, month=number,
           amount=value)
    return row


def rupiah(value: int) -> str:
    """1250000 → `Rp 1.250.000` (the thousands separator of the request's language)."""
    from app.dashboard.periods import number

    return "Rp " + number(value)
