"""Finding a household and its page: members, register status, cases, programs, needs, updates, gaps."""
from __future__ import annotations

import contextlib
import uuid

from flask import abort, render_template, request
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app.accounts.auth import current_membership
from app.audit.log import record
from app.blueprints.households import bp
from app.casework.access import visible_case
from app.citizens.identity import mask_nik
from app.extensions import db, htmx
from app.households.page import household_in_view, household_page, member_at
from app.households.search import member_villages, search_households
from app.permissions import Capability, can, requires


def case_from_query():
    """The case named by `?case=` (a form opened from a case page), if this member may see it; 404 otherwise."""
    raw = request.values.get("case", "").strip()
    if not raw:
        return None
    try:
        case_id = uuid.UUID(raw)
    except ValueError:
        abort(404)
    return db.one_or_404(visible_case(current_membership, case_id))


@bp.get("/")
@requires(Capability.SEE_HOUSEHOLDS)
def index():
    """Search: an exact NIK or KK number, or part of a name within a village (results masked, audited)."""
    term = request.args.get("q", "").strip()[:100]
    village = request.args.get("village", "").strip()[:13]
    result = search_households(term, village, current_membership)
    context = dict(term=term, village=village, result=result)
    if htmx and htmx.target == "household-results":
        return render_block("households/index.html", "results", **context)
    return render_template("households/index.html", villages=member_villages(current_membership), **context)


@bp.get("/<kk_number>")
@requires(Capability.SEE_HOUSEHOLDS)
def show(kk_number):
    """Everything the secretariat knows about one household and each member (every view audited)."""
    case = case_from_query()
    page = household_page(kk_number, current_membership)
    return render_template("households/show.html", page=page, case=case, update_urls=_verval_urls(page))


def _verval_urls(page) -> dict:
    """Links to helper pages of data updates (verval), where that blueprint has them."""
    from flask import url_for
    from werkzeug.routing import BuildError

    urls: dict = {"new": None, "updates": {}}
    with contextlib.suppress(BuildError):
        urls["new"] = url_for("verval.new_update", kk=page.facts.kk_number)
    for row in page.records.updates:
        try:
            urls["updates"][row.update.id] = url_for("verval.update", update_id=row.update.id)
        except BuildError:
            break
    return urls


@bp.post("/<kk_number>/members/<int:index>/reveal-nik")
@requires(Capability.REVEAL_NIK)
def reveal_nik(kk_number, index):
    """Show one member's full NIK to a role that needs it; every reveal is in the audit log."""
    if not can(current_user, Capability.SEE_HOUSEHOLDS):
        abort(403)
    facts, _citizens, _cases = household_in_view(kk_number, current_membership)
    member = member_at(facts, index)
    record("citizen.reveal_nik", "household", facts.kk_number, member=mask_nik(member.nik))
    if htmx:
        return render_template("households/_nik.html", kk_number=facts.kk_number, index=index, nik=member.nik,
                               revealed=True)
    page = household_page(kk_number, current_membership)
    return render_template("households/show.html", page=page, case=None, revealed=index,
                           update_urls=_verval_urls(page))
