"""The plan tables: one plan per owner and year, its activities and budget lines, the money spent
per line and month, and the evaluating office's notes at the end of the year.

A plan's owner is an org unit (the secretariat or a Puskesos) or a district (`owner_key` is
`unit:<id>` or `district:<code>`, unique per year). Amounts are whole rupiah.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model, Vocabulary
from app.tenancy.keys import tenant_fk, tenant_join
from app.tenancy.models import TenantOwned, utcnow


class FundSource(Vocabulary):
    """Where a budget line's money comes from."""

    APBD = "apbd", _l("APBD")
    APBN = "apbn", _l("APBN")
    OTHER = "lainnya", _l("Sumber lain yang sah")


class ActivityPlan(TenantOwned, Model):
    """The activity plan and budget of one owner for one year."""

    __tablename__ = "activity_plans"
    __table_args__ = (
        UniqueConstraint("tenant_id", "year", "owner_key", name="uq_activity_plans_owner_year"),
        tenant_fk("owner_unit_id", "org_units"),
    )

    year: Mapped[int] = mapped_column(Integer)
    owner_key: Mapped[str] = mapped_column(String(60))
    owner_unit_id: Mapped[uuid.UUID | None] = mapped_column()
    owner_district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    owner_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    activities: Mapped[list[PlanActivity]] = relationship(
        primaryjoin=tenant_join("PlanActivity", "plan_id", "ActivityPlan"), order_by="PlanActivity.sort_order",
        viewonly=True)
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        primaryjoin=tenant_join("BudgetLine", "plan_id", "ActivityPlan"), order_by="BudgetLine.sort_order",
        viewonly=True)


class PlanActivity(TenantOwned, Model):
    """One planned activity: its target (a figure and its unit), the months it runs, who is responsible;
    and what it has achieved so far."""

    __tablename__ = "plan_activities"
    __table_args__ = (tenant_fk("plan_id", "activity_plans"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    target: Mapped[int] = mapped_column(Integer)
    target_unit: Mapped[str] = mapped_column(String(40))
    months: Mapped[str] = mapped_column(String(40), default="")  # "1,2,3"
    responsible: Mapped[str] = mapped_column(String(200), default="")
    achieved: Mapped[int] = mapped_column(Integer, default=0)
    achieved_on: Mapped[date | None] = mapped_column(Date)
    achieved_note: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def month_numbers(self) -> list[int]:
        return [int(m) for m in self.months.split(",") if m.strip().isdigit()]


class BudgetLine(TenantOwned, Model):
    """One line of the plan's budget: account or description, amount, source of funds."""

    __tablename__ = "budget_lines"
    __table_args__ = (tenant_fk("plan_id", "activity_plans"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(index=True)
    account: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(10), FundSource.check("source"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    spending: Mapped[list[BudgetSpending]] = relationship(
        primaryjoin=tenant_join("BudgetSpending", "line_id", "BudgetLine"), order_by="BudgetSpending.month",
        viewonly=True)


class BudgetSpending(TenantOwned, Model):
    """What a budget line spent in one month (one row per line and month; recording again replaces it)."""

    __tablename__ = "budget_spending"
    __table_args__ = (
        UniqueConstraint("tenant_id", "line_id", "month", name="uq_budget_spending_month"),
        tenant_fk("line_id", "budget_lines"),
    )

    line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    month: Mapped[int] = mapped_column(SmallInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class EvaluationNote(TenantOwned, Model):
    """A note of the evaluating office on one year: who wrote it, in which post and office."""

    __tablename__ = "evaluation_notes"

    year: Mapped[int] = mapped_column(Integer, index=True)
    text: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_title: Mapped[str] = mapped_column(String(200), default="")
    office: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
