"""Helpers of the intake form as it is filled in: the village search, filling from the register."""
from __future__ import annotations

from flask import render_template, request

from app.accounts.auth import current_membership, staff_required
from app.blueprints.intake import bp
from app.blueprints.intake.forms import IntakeForm
from app.blueprints.intake.routes import _form, _intake_access, _render
from app.casework.intake_access import field_villages
from app.casework.lookup import look_up_person
from app.reference.search import find_villages
from app.tenancy.context import tenant_in_context


@bp.get("/villages")
@staff_required()
def villages():
    """The village options whose name matches `village_q` (22 Ilir ↔ Dua-puluh-dua Ilir)."""
    _sop, channels = _intake_access()
    found = find_villages(request.args.get("village_q", "")[:60], tenant_in_context().region_code,
                          field_villages(current_membership, channels))
    return render_template("intake/_village_options.html", villages=found,
                           selected=request.args.get("village_code", ""))


@bp.get("/register-fill")
@staff_required()
def register_fill():
    """The citizen fields again, with name, KK, address and village taken from the register entry
    of the NIK (or KK) typed; what was typed in the other fields stays (an htmx swap)."""
    sop, channels = _intake_access()
    form = _form(channels, formdata=request.args)
    check = look_up_person(current_membership, form.nik.data, form.kk_number.data, purpose="intake_register_fill")
    if check.entry is not None:
        _fill_from_register(form, check.entry)
    return _render(form, sop, check=check)


def _fill_from_register(form: IntakeForm, entry) -> None:
    form.name.data, form.kk_number.data = entry.name, entry.kk_number
    if entry.address:
        form.address.data = entry.address
    if entry.village_code and any(c.value == entry.village_code for c in form.village_code.choices):
        form.village_code.data = entry.village_code
