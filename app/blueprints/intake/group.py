"""Intake for a group or community: the group and its contact person instead of a citizen's NIK."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.accounts.auth import current_membership, staff_required
from app.blueprints.intake import bp
from app.blueprints.intake.forms import digits_of_phone
from app.blueprints.intake.group_form import GroupIntakeForm
from app.blueprints.intake.routes import _intake_access
from app.casework.group_intake import GroupData, open_group_case
from app.casework.intake import opened_with
from app.casework.intake_access import field_villages, region_villages
from app.extensions import db


def _form(channels) -> GroupIntakeForm:
    form = GroupIntakeForm()
    form.set_channels(channels)
    form.set_villages(region_villages(field_villages(current_membership, channels)))
    return form


def _render(form: GroupIntakeForm, sop, status: int = 200):
    stages = {c.key: sop.state(c.entry).label for c in sop.channels.values()}
    return render_template("intake/group.html", form=form, first_stage=stages), status


@bp.route("/group", methods=["GET", "POST"])
@staff_required()
def group():
    """A complaint brought by a group or community (Palembang Pasal 4); one case per form."""
    sop, channels = _intake_access()
    form = _form(channels)
    if request.method == "GET":
        form.intake_token.data = uuid.uuid4().hex
        return _render(form, sop)
    if not form.validate_on_submit():
        return _render(form, sop, status=422)
    data = GroupData(name=" ".join(form.group_name.data.split()), kind=form.group_kind.data,
                     contact_name=" ".join(form.contact_name.data.split()),
                     contact_phone=digits_of_phone(form.contact_phone.data), members=form.members,
                     village_code=form.village_code.data)
    try:
        case, created = open_group_case(group=data, complaint=form.complaint.data.strip(),
                                        service_area=form.service_area.data, channel=form.channel.data,
                                        intake_token=form.intake_token.data, user=current_user.user,
                                        membership=current_membership)
    except IntegrityError:  # the same form, submitted twice at the same moment
        db.session.rollback()
        earlier = opened_with(form.intake_token.data)
        if earlier is None:
            raise
        case, created = earlier, False
    if created:
        flash(_("Pengaduan kelompok tercatat dengan nomor tiket %(ticket)s. Tahap berikutnya: %(state)s.",
                ticket=case.ticket, state=sop.state(case.state).label), "success")
    else:
        flash(_("Pengaduan ini sudah tercatat dengan nomor tiket %(ticket)s.", ticket=case.ticket), "info")
    return redirect(url_for("intake.receipt", case_id=case.id))
