"""Ranking candidates for a program (Cianjur BAB III "Tugas" f, Payakumbuh Pasal 7 (1) f): the programs
that can be ranked, a program's rankings and a new one, a ranking's table, ticks, exports and decision."""
from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_htmx.responses import make_response as htmx_response
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app.accounts.auth import current_membership
from app.blueprints.programs import bp
from app.blueprints.programs.ranking_forms import DecideForm, NewRankingForm
from app.citizens.identity import mask_nik
from app.errors import Invalid
from app.extensions import htmx
from app.permissions import Capability, requires
from app.programs.ranking import TIE_BREAK_RULE, rankable_programs, request_ranking, weight_labels
from app.programs.ranking_access import district_options, program_or_404, visible_ranking
from app.programs.ranking_decision import decide_ranking, set_ticks, ticked_count
from app.programs.ranking_export import PDF_LIMIT, age_on, ranking_pdf, ranking_workbook, weight_code
from app.programs.ranking_job import retry_ranking, watched_state
from app.programs.ranking_views import page_of_entries, ranking_facts, rankings_of
from app.programs.vocabulary import ProgramLevel, RankingStatus
from app.tenancy.context import current_tenant

EXPORTS = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _position(value: str) -> int:
    """A row's position from the ticks form (a value that is not one raises ValueError: the row is skipped)."""
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.get("/rankings")
@requires(Capability.RANK_CANDIDATES)
def rankings():
    """The programs of the catalogue whose candidates can be ranked (they have weights), regional first."""
    return render_template("programs/rankings.html", programs=rankable_programs(), levels=ProgramLevel.labels())


def _program_page(program, form: NewRankingForm, status: int = 200):
    form.district.choices = district_options(current_membership)
    return render_template("programs/ranking_program.html", program=program, form=form,
                           rankings=rankings_of(program, current_membership), statuses=RankingStatus.labels(),
                           weights=list(zip(weight_labels(program.ranking or []), program.ranking or [], strict=True)),
                           criteria=list(zip(weight_labels(program.criteria or []), program.criteria or [],
                                             strict=True)),
                           tie_break_rule=TIE_BREAK_RULE), status


@bp.get("/<uuid:program_id>/rankings")
@requires(Capability.RANK_CANDIDATES)
def program_rankings(program_id):
    """A program's weights, its earlier rankings, and the form to rank its candidates now."""
    return _program_page(program_or_404(program_id), NewRankingForm())


@bp.post("/<uuid:program_id>/rankings")
@requires(Capability.RANK_CANDIDATES)
def new_ranking(program_id):
    """Rank the program's candidates now (one district or the whole region) and open the ranking."""
    program = program_or_404(program_id)
    form = NewRankingForm()
    if form.validate_on_submit():
        try:
            ranking = request_ranking(program, membership=current_membership, user=current_user.user,
                                      district_code=form.district.data or "", quota=form.quota_number)
        except Invalid as refusal:
            form.district.errors = list(refusal.errors.get("district", []))
            form.quota.errors = list(refusal.errors.get("quota", []))
            form.form_errors = list(refusal.errors.get("", []))
        else:
            flash(_("Pemeringkatan dimulai; daftar calon tampil setelah selesai dihitung."), "success")
            return redirect(url_for("programs.ranking", ranking_id=ranking.id))
    return _program_page(program, form, 422)


def _ranking_page(ranking, form: DecideForm | None = None, status: int = 200):
    state = watched_state(ranking)
    if htmx and htmx.target == "ranking-progress":
        if state.done:  # the table is ready: the whole page, not the fragment
            return htmx_response("", refresh=True)
        return render_block("programs/ranking.html", "ranking_progress", ranking=ranking, state=state), status
    facts = ranking_facts(ranking)
    proposed_only = request.args.get("proposed") == "1"
    pager = page_of_entries(ranking, _page_number(), proposed_only) if state.done else None
    if form is None:
        form = DecideForm(formdata=None, data={"quota": str(ranking.quota) if ranking.quota else "",
                                               "basis": "quota" if ranking.quota else "ticked"})
    labels = weight_labels(ranking.weights or [])
    filters = {"proposed": "1"} if proposed_only else {}
    context = dict(facts=facts, ranking=ranking, state=state, pager=pager, rows=pager.items if pager else [],
                   form=form, filters=filters, proposed_only=proposed_only, ticked=ticked_count(ranking),
                   mask_nik=mask_nik, age_on=age_on, weight_code=weight_code, labels=labels,
                   day=ranking.created_at.date(), draft=ranking.status == RankingStatus.DRAFT,
                   weights=list(zip(labels, ranking.weights or [], strict=True)), tie_break_rule=TIE_BREAK_RULE,
                   statuses=RankingStatus.labels(), pdf_limit=PDF_LIMIT)
    if htmx and htmx.target == "ranking-table":
        return render_block("programs/ranking.html", "ranking_table", **context), status
    return render_template("programs/ranking.html", **context), status


@bp.get("/rankings/<uuid:ranking_id>")
@requires(Capability.RANK_CANDIDATES)
def ranking(ranking_id):
    """One ranking: the candidates by position with their points explained, the ticks, the decision."""
    return _ranking_page(visible_ranking(current_membership, ranking_id))


@bp.post("/rankings/<uuid:ranking_id>/ticks")
@requires(Capability.RANK_CANDIDATES)
def ranking_ticks(ranking_id):
    """Save the ticks of the rows shown on one page of a draft ranking."""
    ranking = visible_ranking(current_membership, ranking_id)
    total = set_ticks(ranking, request.form.getlist("shown", type=_position),
                      request.form.getlist("ticked", type=_position))
    flash(_("Centang disimpan: %(n)s rumah tangga dicentang.", n=total), "success")
    where: dict[str, Any] = {"ranking_id": ranking.id, "page": _page_number()}
    if request.args.get("proposed") == "1":
        where["proposed"] = "1"
    return redirect(url_for("programs.ranking", **where))


@bp.post("/rankings/<uuid:ranking_id>/retry")
@requires(Capability.RANK_CANDIDATES)
def ranking_retry(ranking_id):
    """Compute a ranking whose computation failed once more ("Coba lagi")."""
    retry_ranking(visible_ranking(current_membership, ranking_id))  # Conflict (409) unless it failed
    flash(_("Penghitungan diulang."), "success")
    return redirect(url_for("programs.ranking", ranking_id=ranking_id))


@bp.post("/rankings/<uuid:ranking_id>/decide")
@requires(Capability.RANK_CANDIDATES)
def ranking_decide(ranking_id):
    """Record who is proposed (top N by quota, or the ticked rows) with the decree's number and date."""
    ranking = visible_ranking(current_membership, ranking_id)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            proposed = decide_ranking(ranking, decree_number=form.decree_number.data or "",
                                      decree_date=form.decree_date.data, basis=form.basis.data or "",
                                      quota=form.quota_number, user=current_user.user)
        except Invalid as refusal:
            for name in ("decree_number", "decree_date", "basis", "quota"):
                getattr(form, name).errors = list(refusal.errors.get(name, []))
            form.form_errors = list(refusal.errors.get("", []))
        else:
            flash(_("Keputusan disimpan: %(n)s rumah tangga diusulkan.", n=proposed), "success")
            return redirect(url_for("programs.ranking", ranking_id=ranking.id))
    return _ranking_page(ranking, form, 422)


@bp.get("/rankings/<uuid:ranking_id>/export.<fmt>")
@requires(Capability.RANK_CANDIDATES)
def ranking_export(ranking_id, fmt):
    """The ranking as PDF or Excel (all candidates, or `?proposed=1` only those proposed); audited."""
    if fmt not in EXPORTS:
        abort(404)
    ranking = visible_ranking(current_membership, ranking_id)
    facts = ranking_facts(ranking)
    labels = weight_labels(ranking.weights or [])
    proposed_only = request.args.get("proposed") == "1"
    if fmt == "pdf":
        export = ranking_pdf(facts, labels, current_tenant, proposed_only)
    else:
        export = ranking_workbook(facts, labels, proposed_only)
    return send_file(BytesIO(export.content), mimetype=EXPORTS[fmt], as_attachment=True,
                     download_name=export.filename)
