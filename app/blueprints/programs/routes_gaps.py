"""Eligibility gaps of a household, and turning one into a referral (at its open case, or a new intake)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.accounts.auth import current_membership
from app.audit.log import record
from app.blueprints.programs import bp
from app.casework.intake_access import can_intake
from app.errors import Conflict, Forbidden
from app.permissions import Capability, requires
from app.programs.eligibility import gaps
from app.programs.gap_referral import open_cases_seen, start_referral
from app.programs.participation import household_in_reach


@bp.get("/gaps/<kk_number>")
@requires(Capability.SEE_HOUSEHOLDS)
def household_gaps(kk_number):
    """Programs the household appears to qualify for but does not receive, each condition shown met."""
    facts = household_in_reach(kk_number, current_membership)
    found = gaps(facts)
    record("program.gaps.view", "household", facts.kk_number, gaps=[g.program.code for g in found])
    return render_template("programs/gaps.html", gaps=found, household=facts,
                           open_cases=open_cases_seen(facts, current_membership))


@bp.post("/gaps/<kk_number>/<uuid:program_id>/refer")
@requires(Capability.SEE_HOUSEHOLDS)
def gap_refer(kk_number, program_id):
    """Refer a gap: to the household's open case (refer at its referral step), or start a case at intake."""
    facts = household_in_reach(kk_number, current_membership)
    try:
        start = start_referral(facts, program_id, current_membership)
    except Conflict as refused:
        flash(refused.message, "info")
        return redirect(url_for(".household_gaps", kk_number=facts.kk_number))
    partner = start.partner.name if start.partner else _("lembaga pengelola")
    if start.case is not None:
        flash(_("Warga ini punya kasus terbuka %(ticket)s: rujuk ke %(partner)s untuk %(program)s pada langkah "
                "rujukan kasus ini.", ticket=start.case.ticket, partner=partner, program=start.program.name), "info")
        return redirect(url_for("cases.show", case_id=start.case.id))
    if not can_intake():
        raise Forbidden(_("Anda tidak dapat mencatat pengaduan baru; mintalah petugas layanan untuk merujuk."))
    flash(_("Catat pengaduan untuk merujuk ke %(partner)s (%(program)s). Keluhan sudah diisi dari kesenjangan "
            "program; periksa bersama warga.", partner=partner, program=start.program.name), "info")
    return redirect(url_for("intake.new", nik=start.nik, complaint=start.complaint,
                            service_area=start.service_area or None))
