"""The year-end evaluation: the year's figures (the same `figures()` as the dashboard and the
yearly report), plan against realisation, each Puskesos's figures, and the notes of the
evaluating office.

Who evaluates is region data: the posts whose canonical role holds `Capability.EVALUATE` in the
region (its template's `permissions:` section, e.g. the Dinas Sosial and Bappeda posts of Batu
Bara, Pasal 20 ayat (1)); the evaluating office is the unit of those posts. A note records the
writer's name, post and unit as they were.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.log import record
from app.dashboard.figures import figures
from app.dashboard.periods import Period
from app.dashboard.queries import Figures
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.monitoring.figures import PlanProgress, WelfareCenterRow, plan_progress, totals, welfare_center_figures
from app.monitoring.models import EvaluationNote
from app.org.models import OrgUnit, Position
from app.permissions import Capability, can, rule_for


def evaluating_offices(tenant) -> list[str]:
    """The units whose posts may record the evaluation here, in the chart's order."""
    roles = rule_for(Capability.EVALUATE, tenant).roles
    rows = db.session.execute(
        select(OrgUnit.name)
        .join(Position, (Position.unit_id == OrgUnit.id) & (Position.tenant_id == OrgUnit.tenant_id))
        .where(Position.role.in_(roles), Position.retired_at.is_(None), OrgUnit.retired_at.is_(None))
        .order_by(OrgUnit.sort_order, OrgUnit.name)).scalars()
    return list(dict.fromkeys(rows))


def notes_of(year: int) -> list[EvaluationNote]:
    return list(db.session.scalars(select(EvaluationNote).where(EvaluationNote.year == year)
                                   .order_by(EvaluationNote.created_at)))


def add_note(user, membership, *, year: int, text: str) -> EvaluationNote:
    """A note of the evaluating office on `year`, signed with the writer's post and unit."""
    if not can(membership, Capability.EVALUATE):
        raise Forbidden(_("Hanya kantor pengevaluasi yang dapat mencatat evaluasi."))
    text = (text or "").strip()
    if not text:
        raise Invalid(errors={"text": [_("Tulis catatan evaluasi.")]})
    if len(text) > 5000:
        raise Invalid(errors={"text": [_("Paling banyak 5000 huruf.")]})
    position = membership.position
    note = EvaluationNote(year=year, text=text, author_name=user.name, author_title=position.title,
                          office=position.unit.name, created_by=user.id)
    db.session.add(note)
    db.session.flush()
    record("monitoring.evaluation.note", "evaluation_note", note.id, year=year)
    return note


@dataclass
class Evaluation:
    year: int
    figures: Figures
    plans: list[PlanProgress]
    total: PlanProgress | None
    welfare_centers: list[WelfareCenterRow]
    offices: list[str]
    legal_basis: str
    notes: list[EvaluationNote]


def evaluation_of(tenant, year: int) -> Evaluation:
    """Everything the year-end evaluation of `tenant` (the current region) shows for `year`."""
    period = Period.year(year)
    plans = plan_progress(year)
    return Evaluation(year=year, figures=figures(tenant, period), plans=plans, total=totals(plans),
                      welfare_centers=welfare_center_figures(period), offices=evaluating_offices(tenant),
                      legal_basis=rule_for(Capability.EVALUATE, tenant).legal_basis, notes=notes_of(year))
