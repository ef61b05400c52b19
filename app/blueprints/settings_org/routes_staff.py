"""Staff settings: invite people into posts, move them, deactivate them and hand their cases over."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.auth import current_membership
from app.accounts.handover import candidates_for, open_work, reassign_cases
from app.accounts.invitations import Invitation
from app.accounts.models import Membership, MembershipArea
from app.accounts.outbox import OutboundEmail, last_failures
from app.accounts.staff import (
    ExistingAccount,
    deactivate_member,
    invite_staff,
    move_member,
    pending_invitations,
    reactivate_member,
    revoke_invitation,
)
from app.blueprints.settings_org import bp
from app.blueprints.settings_org.common import configuring, load, refused
from app.blueprints.settings_org.forms import ConfirmForm, InviteForm, MoveForm, NipForm, ReassignForm
from app.casework.sop_checks import current_coverage
from app.extensions import db, htmx
from app.org.lookups import districts, find, members, parse_id, position_choices, villages_by_district
from app.org.models import Position
from app.org.operations import ConfigError
from app.tenancy.context import current_tenant_id


def _load_member(membership_id) -> Membership:
    return load(Membership, membership_id, selectinload(Membership.user),
                selectinload(Membership.areas).options(selectinload(MembershipArea.district),
                                                       selectinload(MembershipArea.village)),
                selectinload(Membership.position).selectinload(Position.unit))


def _areas(form) -> dict:
    """What the work-area fieldset needs for the post chosen in `form`."""
    position = find(Position, form.position_id.data)
    level = position.area_level if position else None
    return dict(position=position, level=level, district_rows=districts() if level == "district" else [],
                village_groups=villages_by_district() if level == "village" else [],
                selected=set(form.district_codes.data or []) | set(form.village_codes.data or []))


def _refreshing_areas() -> bool:
    """An htmx GET sent when the post changes: answer with the work-area fieldset only."""
    return request.method == "GET" and bool(htmx) and htmx.target == "area-fields"


def _area_form(form_class, initial: dict):
    """A form with a post and its work areas: posted, redrawn from the query string, or fresh."""
    if request.method == "POST":
        form = form_class()
    elif _refreshing_areas():
        form = form_class(formdata=request.args)
    else:
        form = form_class(formdata=None, **initial)
    form.position_id.choices = position_choices()
    return form


@bp.get("/staff/")
@configuring
def staff():
    """The region's staff (active or deactivated) and the invitations still open."""
    active = request.args.get("status") != "inactive"
    invitations = pending_invitations()
    ids = {i.position_id for i in invitations if i.position_id}
    titles = {p.id: p.title for p in db.session.scalars(select(Position).where(Position.id.in_(ids)))} if ids else {}
    return render_template("settings_org/staff.html", members=members(active), active=active,
                           invitations=invitations, position_titles=titles, form=ConfirmForm(),
                           mail_failures=last_failures(current_tenant_id(), [i.email for i in invitations]),
                           coverage_gaps=current_coverage() if active else [])


@bp.route("/staff/invite", methods=["GET", "POST"])
@configuring
def staff_invite():
    """Invite someone by email into a post, with their districts or villages where the post has them."""
    initial: dict[str, str | list[str]] = {}
    position = find(Position, request.args.get("position"))
    if position is not None:
        initial = {"position_id": str(position.id)}
        if position.area_level == "village" and position.unit.village_code:
            initial["village_codes"] = [position.unit.village_code]
    form = _area_form(InviteForm, initial)
    if _refreshing_areas():
        return render_block("settings_org/invite.html", "area_fields", form=form, **_areas(form))
    errors: list[str] = []
    notice = None
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        try:
            invitation, link = invite_staff(email=email, name=form.name.data,
                                            position=find(Position, form.position_id.data),
                                            district_codes=form.district_codes.data or [],
                                            village_codes=form.village_codes.data or [], invited_by=current_user.user,
                                            existing_ok=request.form.get("existing_ok") == email)
        except ExistingAccount as exc:  # said before sending; submitting again confirms
            notice = exc.errors["email"][0]
        except ConfigError as exc:
            errors = refused(exc, form)
        else:
            mail = db.session.scalars(select(OutboundEmail).where(
                OutboundEmail.to == invitation.email, OutboundEmail.tenant_id == current_tenant_id())
                .order_by(OutboundEmail.created_at.desc())).first()
            return render_template("settings_org/invited.html", invitation=invitation, link=link, mail=mail,
                                   position=find(Position, form.position_id.data),
                                   mail_relay=bool(current_app.config.get("MAIL_SMTP_URL")))
    status = 422 if request.method == "POST" and notice is None else 200
    return render_template("settings_org/invite.html", form=form, errors=errors, notice=notice,
                           **_areas(form)), status


@bp.post("/staff/invitations/<uuid:invitation_id>/revoke")
@configuring
def invitation_revoke(invitation_id):
    """Withdraw an open invitation (its link stops working)."""
    # Invitations are a platform table (they may be for the platform itself): scoped here by hand.
    invitation = db.one_or_404(select(Invitation).where(Invitation.id == invitation_id,
                                                        Invitation.tenant_id == current_tenant_id()))
    if ConfirmForm().validate_on_submit():
        try:
            revoke_invitation(invitation)
        except ConfigError as exc:
            for message in refused(exc):
                flash(message, "error")
        else:
            flash(_("Undangan untuk %(e)s dibatalkan.", e=invitation.email), "success")
    return redirect(url_for("settings_org.staff"))


def _reassign_form(membership: Membership, work, formdata=None) -> ReassignForm:
    form = ReassignForm(formdata=formdata) if formdata is not None else ReassignForm(formdata=None)
    form.case_ids.choices = [(str(c.id), c.ticket) for c in work.cases]
    form.target_id.choices = [("", _("— pilih petugas —"))] + [
        (str(m.id), f"{m.user.name} — {m.position.title_with_unit}") for m in candidates_for(work.cases, membership)]
    if formdata is None:
        form.case_ids.data = [str(c.id) for c in work.cases]
    return form


def _member_page(membership: Membership, form: ReassignForm | None = None, errors=(), status: int = 200,
                 nip_form: NipForm | None = None):
    work = open_work(membership)
    form = form or _reassign_form(membership, work)
    nip_form = nip_form or NipForm(formdata=None, nip=membership.nip)
    return render_template("settings_org/member.html", member=membership, work=work, form=form, errors=errors,
                           confirm=ConfirmForm(), nip_form=nip_form), status


@bp.get("/staff/<uuid:membership_id>")
@configuring
def member(membership_id):
    """A staff member: post, areas, status, and the open cases to hand over."""
    return _member_page(_load_member(membership_id))


@bp.route("/staff/<uuid:membership_id>/move", methods=["GET", "POST"])
@configuring
def member_move(membership_id):
    """Give a member another post and/or other districts or villages."""
    membership = _load_member(membership_id)
    initial = {"position_id": str(membership.position_id),
               "district_codes": [a.district_code for a in membership.areas if not a.village_code],
               "village_codes": [a.village_code for a in membership.areas if a.village_code]}
    form = _area_form(MoveForm, initial)
    if _refreshing_areas():
        return render_block("settings_org/move.html", "area_fields", form=form, member=membership, **_areas(form))
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            move_member(membership, position=find(Position, form.position_id.data),
                        district_codes=form.district_codes.data or [], village_codes=form.village_codes.data or [],
                        actor=current_membership)
        except ConfigError as exc:
            errors = refused(exc, form)
            membership = _load_member(membership_id)
        else:
            flash(_("%(n)s sekarang %(p)s.", n=membership.user.name, p=membership.position.title), "success")
            return redirect(url_for("settings_org.member", membership_id=membership.id))
    status = 422 if request.method == "POST" else 200
    return render_template("settings_org/move.html", form=form, errors=errors, member=membership,
                           **_areas(form)), status


@bp.route("/staff/<uuid:membership_id>/deactivate", methods=["GET", "POST"])
@configuring
def member_deactivate(membership_id):
    """Deactivate a member: every session they have ends at once; their open cases are listed."""
    membership = _load_member(membership_id)
    form = ConfirmForm()
    errors: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        try:
            closed = deactivate_member(membership, actor=current_membership)
        except ConfigError as exc:
            errors = refused(exc)
            membership = _load_member(membership_id)
        else:
            flash(_("%(n)s dinonaktifkan; semua sesi masuknya sudah berakhir.", n=membership.user.name)
                  + (" " + _("Akunnya ditutup (tidak ada jabatan aktif lain).") if closed else ""), "success")
            return redirect(url_for("settings_org.member", membership_id=membership.id, _anchor="open-cases"))
    status = 422 if errors else 200
    return render_template("settings_org/deactivate.html", member=membership, work=open_work(membership),
                           form=form, errors=errors), status


@bp.post("/staff/<uuid:membership_id>/reactivate")
@configuring
def member_reactivate(membership_id):
    """Give a deactivated member their post back."""
    membership = _load_member(membership_id)
    if ConfirmForm().validate_on_submit():
        try:
            reactivate_member(membership)
        except ConfigError as exc:
            for message in refused(exc):
                flash(message, "error")
        else:
            flash(_("%(n)s aktif kembali.", n=membership.user.name), "success")
    return redirect(url_for("settings_org.member", membership_id=membership_id))


@bp.post("/staff/<uuid:membership_id>/reassign")
@configuring
def member_reassign(membership_id):
    """Hand the chosen open cases of this member to one colleague (in bulk)."""
    membership = _load_member(membership_id)
    work = open_work(membership)
    form = _reassign_form(membership, work, formdata=request.form)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            cases = reassign_cases([parse_id(i) for i in form.case_ids.data or []], source=membership,
                                   target=find(Membership, form.target_id.data), note=form.note.data or "",
                                   add_areas=form.add_areas.data, user=current_user.user, actor=current_membership)
        except ConfigError as exc:
            errors = refused(exc, form)
            membership = _load_member(membership_id)
        else:
            target = find(Membership, form.target_id.data)
            flash(_("%(c)s kasus dialihkan ke %(n)s.", c=len(cases), n=target.user.name), "success")
            return redirect(url_for("settings_org.member", membership_id=membership.id, _anchor="open-cases"))
    return _member_page(membership, form=form, errors=errors, status=422)
