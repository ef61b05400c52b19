"""The intake screen: find or register the citizen, record the complaint, open the case."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy.exc import IntegrityError

from app.accounts.auth import current_membership, staff_required
from app.blueprints.intake import bp
from app.blueprints.intake.forms import IntakeForm, digits_of_phone
from app.casework.access import may_see
from app.casework.home_visit import record_home_visit
from app.casework.intake import CitizenData, add_to_case, already_used, open_case, open_cases_of, opened_with
from app.casework.intake_access import can_intake, field_villages, intake_roles, offered_channels, region_villages
from app.casework.lookup import PersonLookup, look_up_person
from app.casework.models import Case
from app.casework.sop_store import current_version
from app.citizens.identity import check_identity
from app.errors import Invalid
from app.extensions import db, htmx
from app.org.service_areas import service_areas
from app.org.vocabulary import ROLES
from app.tenancy.context import tenant_in_context


@bp.app_context_processor
def intake_navigation():
    """`can_intake()` for the navigation: shown to whoever may record a complaint here."""
    return {"can_intake": can_intake}


def _intake_access():
    """The SOP's channels this member may use; 403 for everyone else."""
    try:
        sop = current_version().sop
    except LookupError:
        abort(404)
    if current_user.role not in intake_roles(sop):
        abort(403)
    channels = offered_channels(sop, current_membership)
    if not channels:
        abort(403)
    return sop, channels


def _form(channels, **kwargs) -> IntakeForm:
    form = IntakeForm(**kwargs)
    form.set_channels(channels)
    form.set_villages(region_villages(field_villages(current_membership, channels)))
    return form


def _render(form: IntakeForm, sop, status: int = 200, notices=(), check: PersonLookup | None = None):
    if check is None:
        check = look_up_person(current_membership, form.nik.data, form.kk_number.data, purpose="intake_form")
    context = dict(form=form, check=check, notices=notices,
                   first_stage={c.key: sop.state(c.entry).label for c in sop.channels.values()})
    if htmx and htmx.target == "citizen-fields":
        return render_block("intake/new.html", "citizen_fields", **context), status
    return render_template("intake/new.html", **context), status


@bp.route("/", methods=["GET", "POST"])
@staff_required()
def new():
    """One screen to find or register the citizen and record their complaint.

    GET `?nik=` fills the citizen's part from this region's record of them, if they live in
    the member's areas (the look-up is audited). A POST with an `intake_token` already used
    returns the case it opened (a double submit opens one case).
    """
    sop, channels = _intake_access()
    if request.method == "GET":
        nik = request.args.get("nik", "").strip()
        check = look_up_person(current_membership, nik, "", purpose="intake_prefill")
        form = _form(channels, obj=check.known) if check.known else _form(channels, nik=nik or None)
        # A gap turned into a referral (`programs.refer_gap`) brings the complaint and its service area.
        form.complaint.data = request.args.get("complaint", "")[:4000] or form.complaint.data
        if request.args.get("service_area") in service_areas():
            form.service_area.data = request.args["service_area"]
        form.intake_token.data = uuid.uuid4().hex
        return _render(form, sop, check=check)
    form = _form(channels)
    valid = form.validate_on_submit()
    identity = check_identity(form.nik.data or "", form.kk_number.data or "", form.birth_date.data,
                              form.sex.data, form.village_code.data)
    for name, messages in identity.errors.items():
        if not form[name].errors:
            form[name].errors = list(messages)
    if not valid or not identity.ok:
        return _render(form, sop, status=422, notices=identity.notices)
    open_cases = [] if already_used(form.intake_token.data) else open_cases_of(form.nik.data.strip())
    target = None
    if open_cases:
        form.set_open_cases(open_cases)
        choice = form.existing_case.data or ""
        target = next((c for c in open_cases if str(c.id) == choice), None)
        if target is None and choice != "new":
            form.existing_case.errors = [
                _("Pilih: tambahkan pengaduan ini ke kasus yang terbuka, atau buka kasus baru.")]
            return _render(form, sop, status=422, notices=identity.notices)
    if target is not None:
        return _added(form, target)
    case, created = _open(form)
    if created and form.is_home_visit:
        try:
            record_home_visit(case, form.home_visit(), form.photo.data, current_user.user)
        except Invalid as exc:  # nothing of this intake is kept: the person fixes the photo and sends again
            db.session.rollback()
            for name, messages in exc.errors.items():
                form[name].errors = list(messages)
            return _render(form, sop, status=422, notices=identity.notices)
    if created:
        _announce(case, sop, identity.notices)
    else:
        flash(_("Pengaduan ini sudah tercatat dengan nomor tiket %(ticket)s.", ticket=case.ticket), "info")
    return redirect(url_for("intake.receipt", case_id=case.id))


def _added(form: IntakeForm, case: Case):
    """Add the complaint to the person's open case; to its receipt if the member may see the case."""
    added_to, added = add_to_case(case, citizen_data=_citizen_data(form), complaint=form.complaint.data.strip(),
                                  service_area=form.service_area.data, channel=form.channel.data,
                                  intake_token=form.intake_token.data, user=current_user.user,
                                  membership=current_membership)
    message = (_("Pengaduan ditambahkan ke kasus %(ticket)s; tidak ada tiket baru.", ticket=added_to.ticket) if added
               else _("Pengaduan ini sudah tercatat dengan nomor tiket %(ticket)s.", ticket=added_to.ticket))
    flash(message, "success" if added else "info")
    if may_see(current_membership, added_to):
        return redirect(url_for("intake.receipt", case_id=added_to.id))
    return redirect(url_for("intake.new"))


def _citizen_data(form: IntakeForm) -> CitizenData:
    return CitizenData(
        nik=form.nik.data.strip(), kk_number=form.kk_number.data.strip(), name=" ".join(form.name.data.split()),
        birth_date=form.birth_date.data, sex=form.sex.data, address=form.address.data.strip(),
        village_code=form.village_code.data, phone=digits_of_phone(form.phone.data))


def _open(form: IntakeForm) -> tuple[Case, bool]:
    try:
        return open_case(citizen_data=_citizen_data(form), complaint=form.complaint.data.strip(),
                         service_area=form.service_area.data, channel=form.channel.data,
                         intake_token=form.intake_token.data, user=current_user.user, membership=current_membership)
    except IntegrityError:  # the same form, submitted twice at the same moment
        db.session.rollback()
        case = opened_with(form.intake_token.data)
        if case is None:
            raise
        return case, False


def _announce(case: Case, sop, notices) -> None:
    register = tenant_in_context().term("welfare_register", _("Data Terpadu"))
    waiting = ", ".join(str(ROLES.get(r, r)) for r in sorted(sop.waiting_roles(case.state)))
    flash(_("Pengaduan tercatat dengan nomor tiket %(ticket)s. Tahap berikutnya: %(state)s — menunggu %(roles)s.",
            ticket=case.ticket, state=sop.state(case.state).label, roles=waiting), "success")
    if case.in_register:
        flash(_("Warga terdaftar di %(register)s.", register=register), "info")
    else:
        flash(_("Warga belum terdaftar di %(register)s — diusulkan ke daftar awal (pre-list).", register=register),
              "info")
    for notice in notices:
        flash(notice, "warning")


@bp.get("/register-check")
@staff_required()
def register_check():
    """As the NIK / KK is typed: is the citizen in the register, and already known here?"""
    _intake_access()
    check = look_up_person(current_membership, request.args.get("nik"), request.args.get("kk_number"),
                           purpose="register_check")
    return render_template("intake/_register_check.html", check=check)

